// One direction of an established BOLT 8 transport: a key, its chaining key and a nonce counter.
// After every 1000th use (the nonce reaching 1000) the key is rotated: ck', k' = HKDF(ck, k).
// Since each message spends two nonces (length header and body), rotation happens every 500
// messages, always between messages.
import { decryptWithAD, encryptWithAD } from './aead.js';
import { hkdf2 } from './hkdf.js';
import type { Bytes } from '../util/bytes.js';

const EMPTY = new Uint8Array(0);
export const ROTATE_AT_NONCE = 1000;

export class CipherState {
  private key: Bytes;
  private ck: Bytes;
  private n = 0;

  constructor(key: Bytes, chainingKey: Bytes) {
    this.key = key.slice();
    this.ck = chainingKey.slice();
  }

  /** Nonce the next operation will use (exposed for tests and diagnostics, never the key). */
  get nonce(): number {
    return this.n;
  }

  encrypt(plaintext: Bytes): Bytes {
    const c = encryptWithAD(this.key, this.n, EMPTY, plaintext);
    this.advance();
    return c;
  }

  /** Null on a bad tag. The nonce advances either way: a failed stream is never reused. */
  decrypt(ciphertext: Bytes): Bytes | null {
    const p = decryptWithAD(this.key, this.n, EMPTY, ciphertext);
    this.advance();
    return p;
  }

  private advance(): void {
    this.n++;
    if (this.n === ROTATE_AT_NONCE) {
      const [ck, k] = hkdf2(this.ck, this.key);
      this.ck = ck;
      this.key = k;
      this.n = 0;
    }
  }
}
