// Signature hashes. BIP 143 (segwit v0) is what every Lightning transaction uses: SIGHASH_ALL for
// commitment, closing and our own HTLC signatures, SIGHASH_SINGLE|ANYONECANPAY for the
// counterparty's HTLC signatures on anchor channels (so the holder can add fee inputs/outputs).
// The legacy algorithm exists only for spending pre-segwit outputs (BOLT 3 Appendix B's P2PKH
// coinbase), and only with SIGHASH_ALL.
import type { Bytes } from '../../util/bytes.js';
import type { Sat } from '../../types.js';
import { TxError } from '../errors.js';
import { TxWriter } from './codec.js';
import { doubleSha256, serializeTx, writeTxOut } from './tx.js';
import type { Tx } from './tx.js';

export const SIGHASH_ALL = 0x01;
export const SIGHASH_NONE = 0x02;
export const SIGHASH_SINGLE = 0x03;
export const SIGHASH_ANYONECANPAY = 0x80;
/** 0x83: what BOLT 3 anchors use for the counterparty's HTLC-tx signatures. */
export const SIGHASH_SINGLE_ANYONECANPAY = SIGHASH_SINGLE | SIGHASH_ANYONECANPAY;

const ZERO32: Bytes = new Uint8Array(32);

function checkSighashType(type: number): void {
  const base = type & 0x1f;
  if (!Number.isInteger(type) || type < 0 || type > 0xff || base < SIGHASH_ALL || base > SIGHASH_SINGLE) {
    throw new TxError('UNSUPPORTED', `sighash type 0x${type.toString(16)} is not supported`);
  }
}

function checkInput(tx: Tx, inputIndex: number): void {
  if (!Number.isInteger(inputIndex) || inputIndex < 0 || inputIndex >= tx.inputs.length) {
    throw new TxError('OUT_OF_RANGE', `input ${inputIndex} does not exist`);
  }
}

/**
 * BIP 143 signature hash of input `inputIndex` spending `amount` sat, where `scriptCode` is the
 * witness script (P2WSH) or the implied P2PKH script (P2WPKH).
 */
export function segwitV0Sighash(tx: Tx, inputIndex: number, scriptCode: Bytes, amount: Sat, sighashType: number): Bytes {
  checkSighashType(sighashType);
  checkInput(tx, inputIndex);
  const base = sighashType & 0x1f;
  const anyoneCanPay = (sighashType & SIGHASH_ANYONECANPAY) !== 0;

  let hashPrevouts = ZERO32;
  if (!anyoneCanPay) {
    const w = new TxWriter(36 * tx.inputs.length);
    for (const i of tx.inputs) w.bytes(i.prevout.txid).u32le(i.prevout.vout);
    hashPrevouts = doubleSha256(w.finish());
  }

  let hashSequence = ZERO32;
  if (!anyoneCanPay && base !== SIGHASH_SINGLE && base !== SIGHASH_NONE) {
    const w = new TxWriter(4 * tx.inputs.length);
    for (const i of tx.inputs) w.u32le(i.sequence);
    hashSequence = doubleSha256(w.finish());
  }

  let hashOutputs = ZERO32;
  if (base !== SIGHASH_SINGLE && base !== SIGHASH_NONE) {
    const w = new TxWriter(44 * tx.outputs.length);
    for (const o of tx.outputs) writeTxOut(w, o);
    hashOutputs = doubleSha256(w.finish());
  } else if (base === SIGHASH_SINGLE && inputIndex < tx.outputs.length) {
    const w = new TxWriter(44);
    writeTxOut(w, tx.outputs[inputIndex]!);
    hashOutputs = doubleSha256(w.finish());
  }

  const input = tx.inputs[inputIndex]!;
  const w = new TxWriter(160 + scriptCode.length);
  w.u32le(tx.version).bytes(hashPrevouts).bytes(hashSequence);
  w.bytes(input.prevout.txid).u32le(input.prevout.vout);
  w.varBytes(scriptCode).u64le(amount).u32le(input.sequence);
  w.bytes(hashOutputs).u32le(tx.locktime).u32le(sighashType);
  return doubleSha256(w.finish());
}

/** Pre-segwit signature hash, SIGHASH_ALL (optionally |ANYONECANPAY) only. */
export function legacySighash(tx: Tx, inputIndex: number, scriptCode: Bytes, sighashType: number): Bytes {
  checkSighashType(sighashType);
  checkInput(tx, inputIndex);
  if ((sighashType & 0x1f) !== SIGHASH_ALL) {
    throw new TxError('UNSUPPORTED', 'legacy sighash supports SIGHASH_ALL only');
  }
  const anyoneCanPay = (sighashType & SIGHASH_ANYONECANPAY) !== 0;
  const inputs = tx.inputs
    .map((inp, i) => ({ ...inp, witness: [], scriptSig: i === inputIndex ? scriptCode : new Uint8Array(0) }))
    .filter((_, i) => !anyoneCanPay || i === inputIndex);
  const body = serializeTx({ ...tx, inputs }, { witness: false });
  const w = new TxWriter(body.length + 4);
  w.bytes(body).u32le(sighashType);
  return doubleSha256(w.finish());
}
