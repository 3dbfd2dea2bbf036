// BOLT 3 per-commitment secret generation ("shachain"). Commitment n uses index 2^48-1-n, so the
// sender reveals secrets in decreasing index order and the receiver can store them compactly
// (see shachain-store.ts): a secret at index I derives every secret whose index shares I's bits
// above I's lowest set bit.
import type { Bytes } from '../util/bytes.js';
import { pubkeyCreate, sha256 } from '../crypto/secp256k1.js';
import { ChannelError } from './errors.js';

export const SHACHAIN_MAX_INDEX = (1n << 48n) - 1n;
/** Commitment numbers are 48-bit too (they are obscured into locktime/sequence). */
export const MAX_COMMITMENT_NUMBER = SHACHAIN_MAX_INDEX;

export function checkShachainIndex(index: bigint): void {
  if (typeof index !== 'bigint' || index < 0n || index > SHACHAIN_MAX_INDEX) {
    throw new ChannelError('BAD_INDEX', 'shachain index must be a bigint in 0..2^48-1');
  }
}

/**
 * Applies the generation steps for bits `bits-1` down to 0 of `index` to `base`: flip the bit in
 * the running value, then hash. From the seed, `bits` is 48; from a stored secret, it is the
 * number of trailing bits that secret leaves free.
 */
export function shachainDerive(base: Bytes, bits: number, index: bigint): Bytes {
  let p: Bytes = base.slice();
  for (let b = bits - 1; b >= 0; b--) {
    if ((index >> BigInt(b)) & 1n) {
      p[b >> 3]! ^= 1 << (b & 7);
      p = sha256(p);
    }
  }
  return p;
}

/** generate_from_seed(seed, I). */
export function shachainSecret(seed: Bytes, index: bigint): Bytes {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new ChannelError('BAD_KEY', 'shachain seed must be 32 bytes');
  checkShachainIndex(index);
  return shachainDerive(seed, 48, index);
}

export function commitmentIndex(commitmentNumber: bigint): bigint {
  if (typeof commitmentNumber !== 'bigint' || commitmentNumber < 0n || commitmentNumber > MAX_COMMITMENT_NUMBER) {
    throw new ChannelError('BAD_INDEX', 'commitment number must be a bigint in 0..2^48-1');
  }
  return SHACHAIN_MAX_INDEX - commitmentNumber;
}

/** per_commitment_secret of commitment `commitmentNumber` (0 = the first commitment). */
export function perCommitmentSecret(seed: Bytes, commitmentNumber: bigint): Bytes {
  return shachainSecret(seed, commitmentIndex(commitmentNumber));
}

/** per_commitment_point = per_commitment_secret·G. */
export function perCommitmentPoint(seed: Bytes, commitmentNumber: bigint): Bytes {
  return pubkeyCreate(perCommitmentSecret(seed, commitmentNumber));
}
