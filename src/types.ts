// Branded primitives: the compiler keeps msat apart from sat, node ids apart from other hex.
import { isHex } from './util/bytes.js';
import { LightningError } from './errors.js';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Millisatoshi amount, always a bigint (u64 on the wire). */
export type Msat = Brand<bigint, 'Msat'>;
/** Satoshi amount, always a bigint. */
export type Sat = Brand<bigint, 'Sat'>;
/** 33-byte compressed secp256k1 public key as 66 lowercase hex chars. */
export type NodeId = Brand<string, 'NodeId'>;
/** short_channel_id as its u64 value (block << 40 | tx << 16 | output). */
export type Scid = Brand<bigint, 'Scid'>;
/** 32-byte hash as 64 lowercase hex chars. */
export type Hash32Hex = Brand<string, 'Hash32Hex'>;

export const U64_MAX = 0xffffffffffffffffn;

export class TypeBrandError extends LightningError {
  constructor(message: string) {
    super('BAD_VALUE', message);
  }
}

export function msat(v: bigint | number): Msat {
  const b = BigInt(v);
  if (b < 0n || b > U64_MAX) throw new TypeBrandError('msat amount out of u64 range');
  return b as Msat;
}

export function sat(v: bigint | number): Sat {
  const b = BigInt(v);
  if (b < 0n || b > U64_MAX) throw new TypeBrandError('sat amount out of u64 range');
  return b as Sat;
}

export function satToMsat(s: Sat): Msat {
  return msat(s * 1000n);
}

/** Floor division, as BOLT 3 does when trimming msat balances to outputs. */
export function msatToSat(m: Msat): Sat {
  return (m / 1000n) as Sat;
}

/** Syntax check only (length and hex); curve validity is crypto's job (`isValidPubkey`). */
export function asNodeId(hex: string): NodeId {
  if (!isHex(hex, 33) || (hex[1] !== '2' && hex[1] !== '3') || hex[0] !== '0') {
    throw new TypeBrandError('node id must be 33 bytes of hex starting with 02 or 03');
  }
  return hex.toLowerCase() as NodeId;
}

export function asHash32(hex: string): Hash32Hex {
  if (!isHex(hex, 32)) throw new TypeBrandError('expected 32 bytes of hex');
  return hex.toLowerCase() as Hash32Hex;
}

export function scid(v: bigint): Scid {
  if (v < 0n || v > U64_MAX) throw new TypeBrandError('short_channel_id out of range');
  return v as Scid;
}
