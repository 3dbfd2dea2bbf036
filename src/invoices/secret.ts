// Payment secret and hash from a preimage, as Core Lightning derives them: the secret is
// SHA256 of the preimage with its first bit flipped, so it never needs storing separately and
// cannot be confused with the payment hash (SHA256 of the preimage itself).
import { sha256 } from '../crypto/secp256k1.js';

export function paymentHashOf(preimage: Uint8Array): Uint8Array {
  return sha256(preimage);
}

export function paymentSecretOf(preimage: Uint8Array): Uint8Array {
  const modified = preimage.slice();
  modified[0]! ^= 1;
  return sha256(modified);
}
