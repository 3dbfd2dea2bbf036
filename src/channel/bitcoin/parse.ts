// Strict parser for serialized transactions received from peers, chain sources or test vectors.
// Strict means: whatever parses serializes back to the same bytes (minimal CompactSize, no
// trailing data, no segwit marker without a witness), and every failure is a TxError.
import type { Bytes } from '../../util/bytes.js';
import { fromHex } from '../../util/bytes.js';
import type { Sat } from '../../types.js';
import { TxError } from '../errors.js';
import { TxReader } from './codec.js';
import type { Tx, TxIn, TxOut } from './tx.js';

/** 21 million BTC: no output can carry more (Bitcoin Core's MAX_MONEY). */
export const MAX_MONEY_SAT = 2_100_000_000_000_000n;

/** Smallest encodings: outpoint + empty script + sequence; amount + empty script. */
const MIN_INPUT_SIZE = 41;
const MIN_OUTPUT_SIZE = 9;

function readInputs(r: TxReader): { prevout: TxIn['prevout']; scriptSig: Bytes; sequence: number }[] {
  const n = r.count(MIN_INPUT_SIZE, 'input');
  const inputs = [];
  for (let i = 0; i < n; i++) {
    const txid = r.bytes(32, 'prevout txid').slice();
    const vout = r.u32le('prevout index');
    const scriptSig = r.varBytes('scriptSig').slice();
    const sequence = r.u32le('sequence');
    inputs.push({ prevout: { txid, vout }, scriptSig, sequence });
  }
  return inputs;
}

function readOutputs(r: TxReader): TxOut[] {
  const n = r.count(MIN_OUTPUT_SIZE, 'output');
  const outputs: TxOut[] = [];
  for (let i = 0; i < n; i++) {
    const value = r.u64le('output amount');
    if (value > MAX_MONEY_SAT) throw new TxError('OUT_OF_RANGE', `output ${i} amount exceeds 21M BTC`);
    const scriptPubKey = r.varBytes('scriptPubKey').slice();
    outputs.push({ value: value as Sat, scriptPubKey });
  }
  return outputs;
}

function readWitness(r: TxReader): Bytes[] {
  const n = r.count(1, 'witness item');
  const items: Bytes[] = [];
  for (let i = 0; i < n; i++) items.push(r.varBytes('witness item').slice());
  return items;
}

export function parseTx(bytes: Uint8Array): Tx {
  if (!(bytes instanceof Uint8Array)) throw new TxError('MALFORMED', 'transaction must be bytes');
  const r = new TxReader(bytes);
  const version = r.u32le('version');
  // BIP 144: a zero where the input count would be, followed by flag 1, marks the witness form.
  let segwit = false;
  if (r.peek() === 0) {
    if (r.peek(1) !== 1) throw new TxError('MALFORMED', 'segwit marker without flag 0x01');
    r.u8();
    r.u8();
    segwit = true;
  }
  const rawInputs = readInputs(r);
  const outputs = readOutputs(r);
  let witnesses: Bytes[][] = rawInputs.map(() => []);
  if (segwit) {
    if (rawInputs.length === 0) throw new TxError('MALFORMED', 'segwit transaction without inputs');
    witnesses = rawInputs.map(() => readWitness(r));
    if (witnesses.every((w) => w.length === 0)) {
      throw new TxError('MALFORMED', 'segwit serialization with no witness data');
    }
  }
  const locktime = r.u32le('locktime');
  if (r.remaining !== 0) throw new TxError('MALFORMED', `${r.remaining} trailing bytes after the transaction`);
  const inputs: TxIn[] = rawInputs.map((inp, i) => ({ ...inp, witness: witnesses[i]! }));
  return { version, inputs, outputs, locktime };
}

export function parseTxHex(hex: string): Tx {
  let bytes: Bytes;
  try {
    bytes = fromHex(hex);
  } catch {
    throw new TxError('MALFORMED', 'transaction hex is not valid hex');
  }
  return parseTx(bytes);
}
