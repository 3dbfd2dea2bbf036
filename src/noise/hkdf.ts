// BOLT 8's HKDF: RFC 5869 with SHA-256, zero-length info, always 64 bytes of output split into
// two 32-byte keys. HMAC goes through the crypto facade so the WASM backend serves it.
import { hmacSha256 } from '../crypto/secp256k1.js';
import type { Bytes } from '../util/bytes.js';

const ONE = new Uint8Array([1]);

/** HKDF(salt, ikm) → [first 32 bytes, second 32 bytes]. */
export function hkdf2(salt: Bytes, ikm: Bytes): [Bytes, Bytes] {
  const prk = hmacSha256(salt, ikm);
  const t1 = hmacSha256(prk, ONE);
  const msg2 = new Uint8Array(33);
  msg2.set(t1, 0);
  msg2[32] = 2;
  const t2 = hmacSha256(prk, msg2);
  return [t1, t2];
}
