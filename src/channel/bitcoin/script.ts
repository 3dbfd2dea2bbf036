// Script assembly: opcodes, minimal data pushes, script numbers, and the standard output templates
// (P2WSH, P2WPKH, P2PKH). BOLT 3 scripts are compared byte for byte by both peers, so every push
// uses the minimal encoding Bitcoin Core's CScript produces.
import type { Bytes } from '../../util/bytes.js';
import { sha256 } from '../../crypto/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { TxError } from '../errors.js';

/** The opcodes BOLT 3 scripts and the standard templates use. */
export const OP = {
  OP_0: 0x00,
  OP_PUSHDATA1: 0x4c,
  OP_PUSHDATA2: 0x4d,
  OP_PUSHDATA4: 0x4e,
  OP_1NEGATE: 0x4f,
  OP_1: 0x51,
  OP_2: 0x52,
  OP_16: 0x60,
  OP_IF: 0x63,
  OP_NOTIF: 0x64,
  OP_ELSE: 0x67,
  OP_ENDIF: 0x68,
  OP_VERIFY: 0x69,
  OP_IFDUP: 0x73,
  OP_DROP: 0x75,
  OP_DUP: 0x76,
  OP_SWAP: 0x7c,
  OP_SIZE: 0x82,
  OP_EQUAL: 0x87,
  OP_EQUALVERIFY: 0x88,
  OP_HASH160: 0xa9,
  OP_CHECKSIG: 0xac,
  OP_CHECKSIGVERIFY: 0xad,
  OP_CHECKMULTISIG: 0xae,
  OP_CHECKLOCKTIMEVERIFY: 0xb1,
  OP_CHECKSEQUENCEVERIFY: 0xb2,
} as const;

/** An opcode (number), data to push (bytes), or an integer to push as a script number. */
export type ScriptPart = number | Bytes | { readonly num: number | bigint };

/** RIPEMD160(SHA256(data)): P2WPKH/P2PKH programs and BOLT 3's revocation-key hash. */
export function hash160(data: Bytes): Bytes {
  return ripemd160(sha256(data));
}

export function ripemd(data: Bytes): Bytes {
  return ripemd160(data);
}

/** CScriptNum encoding: little-endian magnitude, sign in the top bit, minimal length. */
export function scriptNum(n: number | bigint): Bytes {
  let v = BigInt(n);
  if (v === 0n) return new Uint8Array(0);
  const negative = v < 0n;
  if (negative) v = -v;
  const out: number[] = [];
  while (v > 0n) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  // If the top bit of the last byte is taken, a separate sign byte is needed.
  if ((out[out.length - 1]! & 0x80) !== 0) out.push(negative ? 0x80 : 0x00);
  else if (negative) out[out.length - 1]! |= 0x80;
  return Uint8Array.from(out);
}

/** Length of the opcode(s) that push `n` bytes of data. */
function pushHeaderLength(n: number): number {
  return n <= 75 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 5;
}

function writePushHeader(out: Uint8Array, at: number, n: number): number {
  if (n <= 75) {
    out[at] = n;
    return at + 1;
  }
  if (n <= 0xff) {
    out[at] = OP.OP_PUSHDATA1;
    out[at + 1] = n;
    return at + 2;
  }
  if (n <= 0xffff) {
    out[at] = OP.OP_PUSHDATA2;
    out[at + 1] = n & 0xff;
    out[at + 2] = n >>> 8;
    return at + 3;
  }
  out[at] = OP.OP_PUSHDATA4;
  out[at + 1] = n & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = (n >>> 16) & 0xff;
  out[at + 4] = n >>> 24;
  return at + 5;
}

/** Minimal push of arbitrary data (direct, PUSHDATA1/2/4). */
export function pushData(data: Bytes): Bytes {
  const out = new Uint8Array(pushHeaderLength(data.length) + data.length);
  out.set(data, writePushHeader(out, 0, data.length));
  return out;
}

/** Pushes an integer the way CScript << int64 does: OP_0, OP_1NEGATE, OP_1..OP_16, else a script number. */
export function pushNumber(n: number | bigint): Bytes {
  // Fast path: HTLC scripts push 1, 2, 16 and 32 once per HTLC.
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 16) return Uint8Array.of(OP.OP_1 + n - 1);
  const v = BigInt(n);
  if (v === 0n) return Uint8Array.of(OP.OP_0);
  if (v === -1n) return Uint8Array.of(OP.OP_1NEGATE);
  if (v >= 1n && v <= 16n) return Uint8Array.of(OP.OP_1 + Number(v) - 1);
  return pushData(scriptNum(v));
}

/**
 * Assembles a script in one allocation (commitments with hundreds of HTLCs build a script per
 * HTLC, so this sits on the hot path).
 */
export function compileScript(parts: readonly ScriptPart[]): Bytes {
  const encoded: (number | Bytes)[] = [];
  let size = 0;
  for (const p of parts) {
    if (typeof p === 'number') {
      if (!Number.isInteger(p) || p < 0 || p > 0xff) throw new TxError('OUT_OF_RANGE', `bad opcode ${p}`);
      encoded.push(p);
      size += 1;
    } else if (p instanceof Uint8Array) {
      encoded.push(p);
      size += pushHeaderLength(p.length) + p.length;
    } else {
      const num = pushNumber(p.num);
      encoded.push(num.length === 1 ? num[0]! : num);
      size += num.length;
    }
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (let i = 0; i < encoded.length; i++) {
    const e = encoded[i]!;
    if (typeof e === 'number') {
      out[at++] = e;
    } else if (parts[i] instanceof Uint8Array) {
      at = writePushHeader(out, at, e.length);
      out.set(e, at);
      at += e.length;
    } else {
      // An already-encoded number push.
      out.set(e, at);
      at += e.length;
    }
  }
  return out;
}

/** OP_0 <SHA256(witnessScript)> */
export function p2wsh(witnessScript: Bytes): Bytes {
  return compileScript([OP.OP_0, sha256(witnessScript)]);
}

/** OP_0 <HASH160(pubkey)> */
export function p2wpkh(pubkey: Bytes): Bytes {
  if (pubkey.length !== 33) throw new TxError('OUT_OF_RANGE', 'P2WPKH needs a 33-byte compressed key');
  return compileScript([OP.OP_0, hash160(pubkey)]);
}

/** OP_DUP OP_HASH160 <HASH160(pubkey)> OP_EQUALVERIFY OP_CHECKSIG; also the BIP 143 scriptCode of P2WPKH. */
export function p2pkh(pubkey: Bytes): Bytes {
  return p2pkhFromHash(hash160(pubkey));
}

export function p2pkhFromHash(hash20: Bytes): Bytes {
  if (hash20.length !== 20) throw new TxError('OUT_OF_RANGE', 'P2PKH needs a 20-byte hash');
  return compileScript([OP.OP_DUP, OP.OP_HASH160, hash20, OP.OP_EQUALVERIFY, OP.OP_CHECKSIG]);
}
