// ChaCha20-Poly1305 (IETF) with BOLT 8's nonce layout: 4 zero bytes, then the 64-bit counter in
// little-endian. Counters never exceed 1000 (keys rotate), so a JS number is exact.
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { Bytes } from '../util/bytes.js';

export function nonceBytes(n: number): Bytes {
  const out = new Uint8Array(12);
  new DataView(out.buffer).setBigUint64(4, BigInt(n), true);
  return out;
}

export function encryptWithAD(key: Bytes, n: number, ad: Bytes, plaintext: Bytes): Bytes {
  return chacha20poly1305(key, nonceBytes(n), ad).encrypt(plaintext);
}

/** Returns null when the tag does not verify, so callers pick the error code that fits. */
export function decryptWithAD(key: Bytes, n: number, ad: Bytes, ciphertext: Bytes): Bytes | null {
  if (ciphertext.length < 16) return null;
  try {
    return chacha20poly1305(key, nonceBytes(n), ad).decrypt(ciphertext);
  } catch {
    // @noble/ciphers throws a plain Error on a bad tag; that is the only failure possible here
    // (key and nonce lengths are fixed by construction).
    return null;
  }
}
