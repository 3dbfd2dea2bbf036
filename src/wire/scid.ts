// short_channel_id (BOLT 7): a u64 packing the funding output's location, block height (24 bits),
// transaction index in the block (24 bits) and output index (16 bits); written BLOCKxTXxOUT.
import type { Scid } from '../types.js';
import { WireError } from './errors.js';

const MAX_BLOCK = 0xffffff;
const MAX_TX = 0xffffff;
const MAX_OUT = 0xffff;

export interface ScidParts {
  block: number;
  tx: number;
  out: number;
}

export function scidFromParts(block: number, tx: number, out: number): Scid {
  const ok = (v: number, max: number): boolean => Number.isInteger(v) && v >= 0 && v <= max;
  if (!ok(block, MAX_BLOCK) || !ok(tx, MAX_TX) || !ok(out, MAX_OUT)) {
    throw new WireError('BAD_VALUE', `short_channel_id parts out of range: ${block}x${tx}x${out}`);
  }
  return ((BigInt(block) << 40n) | (BigInt(tx) << 16n) | BigInt(out)) as Scid;
}

export function scidParts(s: Scid): ScidParts {
  if (typeof s !== 'bigint' || s < 0n || s > 0xffffffffffffffffn) {
    throw new WireError('BAD_VALUE', `short_channel_id out of range: ${String(s)}`);
  }
  return { block: Number(s >> 40n), tx: Number((s >> 16n) & 0xffffffn), out: Number(s & 0xffffn) };
}

export function formatScid(s: Scid): string {
  const { block, tx, out } = scidParts(s);
  return `${block}x${tx}x${out}`;
}

// Decimal without sign or leading zeros: the text form must be as unambiguous as the u64 is.
const SCID_TEXT = /^(0|[1-9][0-9]{0,7})x(0|[1-9][0-9]{0,7})x(0|[1-9][0-9]{0,4})$/;

/** Parses `BLOCKxTXxOUT` strictly (decimal, in range, no padding or signs). */
export function parseScid(text: string): Scid {
  const m = typeof text === 'string' ? SCID_TEXT.exec(text) : null;
  if (m === null) throw new WireError('BAD_VALUE', `not a short_channel_id (BLOCKxTXxOUT): ${JSON.stringify(text)}`);
  return scidFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
}
