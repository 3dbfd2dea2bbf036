// Typed, validating secp256k1 API used by every layer. The arithmetic lives in a backend: the
// project's WASM build of libsecp256k1 in production (see wasm/ and ./wasm-backend.ts); tests may
// install another backend (e.g. @noble/curves) to cross-check. Every function validates lengths and
// turns invalid points/scalars into CryptoError, never a trap or a raw exception.
import { requireBytes as len } from './args.js';
import { CryptoError } from './errors.js';
import type { Bytes } from '../util/bytes.js';

/** Raw operations. Inputs are already length-checked; invalid values return null / false. */
export interface Secp256k1Backend {
  readonly name: string;
  pubkeyCreate(secret: Bytes): Bytes | null; // 33-byte compressed
  ecdh(secret: Bytes, pubkey: Bytes): Bytes | null; // SHA256(compressed shared point)
  pubkeyTweakAdd(pubkey: Bytes, tweak: Bytes): Bytes | null;
  pubkeyTweakMul(pubkey: Bytes, tweak: Bytes): Bytes | null;
  pubkeyCombine(pubkeys: Bytes[]): Bytes | null;
  secretTweakAdd(secret: Bytes, tweak: Bytes): Bytes | null;
  secretTweakMul(secret: Bytes, tweak: Bytes): Bytes | null;
  isValidSecret(secret: Bytes): boolean;
  /** Parses 33- or 65-byte encodings; returns the 33-byte compressed form. */
  pubkeyParse(pubkey: Bytes): Bytes | null;
  pubkeyDecompress(pubkey: Bytes): Bytes | null; // 65 bytes
  signCompact(msg32: Bytes, secret: Bytes): Bytes | null; // RFC 6979, low-S
  signRecoverable(msg32: Bytes, secret: Bytes): { signature: Bytes; recoveryId: number } | null;
  recoverPubkey(msg32: Bytes, sig64: Bytes, recoveryId: number): Bytes | null;
  verifyCompact(sig64: Bytes, msg32: Bytes, pubkey: Bytes): boolean; // rejects high-S
  compactToDer(sig64: Bytes): Bytes | null;
  derToCompact(der: Bytes): Bytes | null; // strict DER
  /** Normalizes a compact signature to low-S (returns a copy). */
  normalizeS(sig64: Bytes): Bytes | null;
  sha256(data: Bytes): Bytes;
  hmacSha256(key: Bytes, data: Bytes): Bytes;
}

let backend: Secp256k1Backend | undefined;

export function setSecp256k1Backend(b: Secp256k1Backend): void {
  backend = b;
}

export function secp256k1BackendName(): string | undefined {
  return backend?.name;
}

export function hasSecp256k1Backend(): boolean {
  return backend !== undefined;
}

function be(): Secp256k1Backend {
  if (!backend) throw new CryptoError('NOT_INITIALIZED', 'crypto not initialized: await initCrypto() first');
  return backend;
}


function must<T>(v: T | null, code: CryptoError['code'], message: string): T {
  if (v === null) throw new CryptoError(code, message);
  return v;
}

export function pubkeyCreate(secret: Bytes): Bytes {
  len('secret', secret, 32);
  return must(be().pubkeyCreate(secret), 'INVALID_SECRET', 'invalid secret key');
}

/** BOLT 8 / BOLT 4 ECDH: SHA256 of the compressed shared point. Constant time in the secret. */
export function ecdh(secret: Bytes, pubkey: Bytes): Bytes {
  len('secret', secret, 32);
  len('pubkey', pubkey, 33);
  return must(be().ecdh(secret, pubkey), 'INVALID_PUBKEY', 'ECDH failed: invalid point or secret');
}

export function pubkeyTweakAdd(pubkey: Bytes, tweak: Bytes): Bytes {
  len('pubkey', pubkey, 33);
  len('tweak', tweak, 32);
  return must(be().pubkeyTweakAdd(pubkey, tweak), 'INVALID_TWEAK', 'pubkey tweak-add failed');
}

export function pubkeyTweakMul(pubkey: Bytes, tweak: Bytes): Bytes {
  len('pubkey', pubkey, 33);
  len('tweak', tweak, 32);
  return must(be().pubkeyTweakMul(pubkey, tweak), 'INVALID_TWEAK', 'pubkey tweak-mul failed');
}

export function pubkeyCombine(pubkeys: Bytes[]): Bytes {
  if (pubkeys.length === 0) throw new CryptoError('BAD_LENGTH', 'no pubkeys to combine');
  pubkeys.forEach((p, i) => len(`pubkeys[${i}]`, p, 33));
  return must(be().pubkeyCombine(pubkeys), 'INVALID_PUBKEY', 'pubkey combine failed');
}

export function secretTweakAdd(secret: Bytes, tweak: Bytes): Bytes {
  len('secret', secret, 32);
  len('tweak', tweak, 32);
  return must(be().secretTweakAdd(secret, tweak), 'INVALID_TWEAK', 'secret tweak-add failed');
}

export function secretTweakMul(secret: Bytes, tweak: Bytes): Bytes {
  len('secret', secret, 32);
  len('tweak', tweak, 32);
  return must(be().secretTweakMul(secret, tweak), 'INVALID_TWEAK', 'secret tweak-mul failed');
}

export function isValidSecret(secret: Bytes): boolean {
  return secret instanceof Uint8Array && secret.length === 32 && be().isValidSecret(secret);
}

export function isValidPubkey(pubkey: Bytes): boolean {
  return pubkey instanceof Uint8Array && pubkey.length === 33 && be().pubkeyParse(pubkey) !== null;
}

/** Parse a 33- or 65-byte public key; returns the compressed form. */
export function pubkeyParse(pubkey: Bytes): Bytes {
  len('pubkey', pubkey, [33, 65]);
  return must(be().pubkeyParse(pubkey), 'INVALID_PUBKEY', 'invalid public key');
}

export function pubkeyDecompress(pubkey: Bytes): Bytes {
  len('pubkey', pubkey, [33, 65]);
  return must(be().pubkeyDecompress(pubkey), 'INVALID_PUBKEY', 'invalid public key');
}

/** ECDSA, RFC 6979 nonce, low-S, 64-byte compact r||s. */
export function signCompact(msg32: Bytes, secret: Bytes): Bytes {
  len('msg32', msg32, 32);
  len('secret', secret, 32);
  return must(be().signCompact(msg32, secret), 'INVALID_SECRET', 'signing failed: invalid secret');
}

export function signDer(msg32: Bytes, secret: Bytes): Bytes {
  return compactToDer(signCompact(msg32, secret));
}

export function signRecoverable(msg32: Bytes, secret: Bytes): { signature: Bytes; recoveryId: number } {
  len('msg32', msg32, 32);
  len('secret', secret, 32);
  return must(be().signRecoverable(msg32, secret), 'INVALID_SECRET', 'signing failed: invalid secret');
}

/** Recovers the compressed public key; accepts high-S signatures (BOLT 11 readers must). */
export function recoverPubkey(msg32: Bytes, sig64: Bytes, recoveryId: number): Bytes {
  len('msg32', msg32, 32);
  len('signature', sig64, 64);
  if (!Number.isInteger(recoveryId) || recoveryId < 0 || recoveryId > 3) {
    throw new CryptoError('INVALID_SIGNATURE', 'recovery id must be 0..3');
  }
  return must(be().recoverPubkey(msg32, sig64, recoveryId), 'INVALID_SIGNATURE', 'public key recovery failed');
}

/** Strict verification: high-S signatures are rejected (as libsecp256k1 does). */
export function verifyCompact(sig64: Bytes, msg32: Bytes, pubkey: Bytes): boolean {
  len('signature', sig64, 64);
  len('msg32', msg32, 32);
  len('pubkey', pubkey, [33, 65]);
  return be().verifyCompact(sig64, msg32, pubkey);
}

export function verifyDer(der: Bytes, msg32: Bytes, pubkey: Bytes): boolean {
  if (!(der instanceof Uint8Array) || der.length < 8 || der.length > 73) return false;
  const sig = be().derToCompact(der);
  return sig !== null && verifyCompact(sig, msg32, pubkey);
}

export function compactToDer(sig64: Bytes): Bytes {
  len('signature', sig64, 64);
  return must(be().compactToDer(sig64), 'INVALID_SIGNATURE', 'invalid compact signature');
}

export function derToCompact(der: Bytes): Bytes {
  if (!(der instanceof Uint8Array) || der.length < 8 || der.length > 73) {
    throw new CryptoError('INVALID_SIGNATURE', 'DER signature has a bad length');
  }
  return must(be().derToCompact(der), 'INVALID_SIGNATURE', 'invalid DER signature');
}

export function normalizeS(sig64: Bytes): Bytes {
  len('signature', sig64, 64);
  return must(be().normalizeS(sig64), 'INVALID_SIGNATURE', 'invalid compact signature');
}

export function sha256(data: Bytes): Bytes {
  len('data', data);
  return be().sha256(data);
}

export function hmacSha256(key: Bytes, data: Bytes): Bytes {
  len('key', key);
  len('data', data);
  return be().hmacSha256(key, data);
}

export function randomBytes(n: number): Bytes {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}
