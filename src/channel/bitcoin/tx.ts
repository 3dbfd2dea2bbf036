// The Bitcoin transaction model used by every BOLT 3 builder, with its consensus serialization
// (BIP 144 segwit form when any input carries a witness), txid/wtxid and weight.
//
// Txids are kept as 32 bytes in *internal* order, i.e. as they appear inside a serialized
// transaction and in BOLT 2 messages (funding_txid); `txidToHex`/`txidFromHex` convert to and
// from the reversed hex that block explorers and RPCs display.
import type { Bytes } from '../../util/bytes.js';
import { fromHex, toHex } from '../../util/bytes.js';
import type { Sat } from '../../types.js';
import { sha256 } from '../../crypto/secp256k1.js';
import { TxError } from '../errors.js';
import { TxWriter } from './codec.js';

export interface Outpoint {
  /** 32 bytes, internal byte order. */
  readonly txid: Bytes;
  readonly vout: number;
}

export interface TxIn {
  readonly prevout: Outpoint;
  readonly scriptSig: Bytes;
  readonly sequence: number;
  /** Witness stack items, bottom first; empty for non-witness inputs. */
  readonly witness: readonly Bytes[];
}

export interface TxOut {
  readonly value: Sat;
  readonly scriptPubKey: Bytes;
}

export interface Tx {
  readonly version: number;
  readonly inputs: readonly TxIn[];
  readonly outputs: readonly TxOut[];
  readonly locktime: number;
}

export const SEQUENCE_FINAL = 0xffffffff;

export function doubleSha256(data: Bytes): Bytes {
  return sha256(sha256(data));
}

export function hasWitness(tx: Tx): boolean {
  return tx.inputs.some((i) => i.witness.length > 0);
}

function writeOutpoint(w: TxWriter, o: Outpoint): void {
  if (o.txid.length !== 32) throw new TxError('OUT_OF_RANGE', 'outpoint txid must be 32 bytes');
  w.bytes(o.txid).u32le(o.vout);
}

export function writeTxOut(w: TxWriter, o: TxOut): void {
  w.u64le(o.value).varBytes(o.scriptPubKey);
}

function writeBody(w: TxWriter, tx: Tx): void {
  w.varint(tx.inputs.length);
  for (const i of tx.inputs) {
    writeOutpoint(w, i.prevout);
    w.varBytes(i.scriptSig).u32le(i.sequence);
  }
  w.varint(tx.outputs.length);
  for (const o of tx.outputs) writeTxOut(w, o);
}

/**
 * Consensus serialization. With `witness` (the default) the BIP 144 form is used when any input
 * has witness items; otherwise (and always for txid) the legacy form.
 */
export function serializeTx(tx: Tx, opts: { witness?: boolean } = {}): Bytes {
  const segwit = (opts.witness ?? true) && hasWitness(tx);
  const w = new TxWriter(64 + 48 * tx.inputs.length + 44 * tx.outputs.length);
  w.u32le(tx.version);
  if (segwit) w.u8(0).u8(1);
  writeBody(w, tx);
  if (segwit) {
    for (const i of tx.inputs) {
      w.varint(i.witness.length);
      for (const item of i.witness) w.varBytes(item);
    }
  }
  w.u32le(tx.locktime);
  return w.finish();
}

/** txid in internal byte order (hash of the non-witness serialization). */
export function txid(tx: Tx): Bytes {
  return doubleSha256(serializeTx(tx, { witness: false }));
}

/** wtxid in internal byte order (equals the txid for transactions without witness). */
export function wtxid(tx: Tx): Bytes {
  return doubleSha256(serializeTx(tx));
}

/** Reversed hex, as explorers and Bitcoin Core display txids. */
export function txidToHex(id: Bytes): string {
  if (id.length !== 32) throw new TxError('OUT_OF_RANGE', 'txid must be 32 bytes');
  return toHex(id.slice().reverse());
}

/** Parses a displayed (reversed) txid into internal byte order. */
export function txidFromHex(hex: string): Bytes {
  let b: Bytes;
  try {
    b = fromHex(hex, 32);
  } catch {
    throw new TxError('MALFORMED', 'txid must be 64 hex characters');
  }
  return b.reverse();
}

export function txidHex(tx: Tx): string {
  return txidToHex(txid(tx));
}

/** BIP 141 weight: 3 × stripped size + total size. */
export function txWeight(tx: Tx): number {
  const stripped = serializeTx(tx, { witness: false }).length;
  const total = hasWitness(tx) ? serializeTx(tx).length : stripped;
  return stripped * 3 + total;
}

export function txVsize(tx: Tx): number {
  return Math.ceil(txWeight(tx) / 4);
}

/** A copy of `tx` with the witness of input `index` replaced. */
export function withWitness(tx: Tx, index: number, witness: readonly Bytes[]): Tx {
  if (!Number.isInteger(index) || index < 0 || index >= tx.inputs.length) {
    throw new TxError('OUT_OF_RANGE', `input ${index} does not exist`);
  }
  return { ...tx, inputs: tx.inputs.map((inp, i) => (i === index ? { ...inp, witness } : inp)) };
}
