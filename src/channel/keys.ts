// BOLT 3 key derivation. Every per-commitment key is a basepoint tweaked with that commitment's
// per_commitment_point, so a party can hand out its basepoints once and both sides derive the
// same keys for each commitment without further messages.
import type { Bytes } from '../util/bytes.js';
import { concatBytes } from '../util/bytes.js';
import {
  pubkeyCombine,
  pubkeyCreate,
  pubkeyTweakAdd,
  pubkeyTweakMul,
  secretTweakAdd,
  secretTweakMul,
  sha256,
} from '../crypto/secp256k1.js';
import { ChannelError } from './errors.js';

function key33(name: string, b: Bytes): void {
  if (!(b instanceof Uint8Array) || b.length !== 33) throw new ChannelError('BAD_KEY', `${name} must be a 33-byte public key`);
}

function secret32(name: string, b: Bytes): void {
  if (!(b instanceof Uint8Array) || b.length !== 32) throw new ChannelError('BAD_KEY', `${name} must be 32 bytes`);
}

/** pubkey = basepoint + SHA256(per_commitment_point || basepoint)·G (localpubkey, htlcpubkey, delayedpubkey). */
export function derivePubkey(basepoint: Bytes, perCommitmentPoint: Bytes): Bytes {
  key33('basepoint', basepoint);
  key33('per_commitment_point', perCommitmentPoint);
  return pubkeyTweakAdd(basepoint, sha256(concatBytes(perCommitmentPoint, basepoint)));
}

/** privkey = basepoint_secret + SHA256(per_commitment_point || basepoint). */
export function derivePrivkey(basepointSecret: Bytes, perCommitmentPoint: Bytes): Bytes {
  secret32('basepoint_secret', basepointSecret);
  key33('per_commitment_point', perCommitmentPoint);
  const basepoint = pubkeyCreate(basepointSecret);
  return secretTweakAdd(basepointSecret, sha256(concatBytes(perCommitmentPoint, basepoint)));
}

/**
 * revocationpubkey = revocation_basepoint·SHA256(revocation_basepoint || per_commitment_point)
 *                  + per_commitment_point·SHA256(per_commitment_point || revocation_basepoint).
 * Neither side alone knows its private key until the holder reveals the per-commitment secret.
 */
export function deriveRevocationPubkey(revocationBasepoint: Bytes, perCommitmentPoint: Bytes): Bytes {
  key33('revocation_basepoint', revocationBasepoint);
  key33('per_commitment_point', perCommitmentPoint);
  const a = pubkeyTweakMul(revocationBasepoint, sha256(concatBytes(revocationBasepoint, perCommitmentPoint)));
  const b = pubkeyTweakMul(perCommitmentPoint, sha256(concatBytes(perCommitmentPoint, revocationBasepoint)));
  return pubkeyCombine([a, b]);
}

/** The matching private key, computable once the per-commitment secret has been revealed. */
export function deriveRevocationPrivkey(revocationBasepointSecret: Bytes, perCommitmentSecret: Bytes): Bytes {
  secret32('revocation_basepoint_secret', revocationBasepointSecret);
  secret32('per_commitment_secret', perCommitmentSecret);
  const revocationBasepoint = pubkeyCreate(revocationBasepointSecret);
  const perCommitmentPoint = pubkeyCreate(perCommitmentSecret);
  const a = secretTweakMul(revocationBasepointSecret, sha256(concatBytes(revocationBasepoint, perCommitmentPoint)));
  const b = secretTweakMul(perCommitmentSecret, sha256(concatBytes(perCommitmentPoint, revocationBasepoint)));
  return secretTweakAdd(a, b);
}

/** One party's basepoints, as sent in open_channel / accept_channel (BOLT 2 field names). */
export interface ChannelBasepoints {
  readonly funding_pubkey: Bytes;
  readonly revocation_basepoint: Bytes;
  readonly payment_basepoint: Bytes;
  readonly delayed_payment_basepoint: Bytes;
  readonly htlc_basepoint: Bytes;
}

/** The secrets behind our own basepoints. */
export interface ChannelBasepointSecrets {
  readonly funding_privkey: Bytes;
  readonly revocation_basepoint_secret: Bytes;
  readonly payment_basepoint_secret: Bytes;
  readonly delayed_payment_basepoint_secret: Bytes;
  readonly htlc_basepoint_secret: Bytes;
}

export function basepointsFromSecrets(s: ChannelBasepointSecrets): ChannelBasepoints {
  return {
    funding_pubkey: pubkeyCreate(s.funding_privkey),
    revocation_basepoint: pubkeyCreate(s.revocation_basepoint_secret),
    payment_basepoint: pubkeyCreate(s.payment_basepoint_secret),
    delayed_payment_basepoint: pubkeyCreate(s.delayed_payment_basepoint_secret),
    htlc_basepoint: pubkeyCreate(s.htlc_basepoint_secret),
  };
}

/**
 * The keys of one commitment transaction, named as BOLT 3 names them: "local" is the holder of
 * the commitment (whose own outputs are delayed and revocable), "remote" its counterparty. When we
 * build the peer's commitment, "local" is the peer.
 */
export interface CommitmentKeys {
  /** revocationpubkey: counterparty's revocation_basepoint + holder's per_commitment_point. */
  readonly revocation_pubkey: Bytes;
  /** local_delayedpubkey: holder's delayed_payment_basepoint + holder's per_commitment_point. */
  readonly local_delayed_pubkey: Bytes;
  /** local_htlcpubkey: holder's htlc_basepoint + holder's per_commitment_point. */
  readonly local_htlc_pubkey: Bytes;
  /** remote_htlcpubkey: counterparty's htlc_basepoint + holder's per_commitment_point. */
  readonly remote_htlc_pubkey: Bytes;
  /** remotepubkey: with static_remotekey and anchors, the counterparty's payment_basepoint as is. */
  readonly remote_payment_pubkey: Bytes;
}

/** Keys of the commitment owned by `holder`, for the holder's `perCommitmentPoint`. */
export function deriveCommitmentKeys(
  holder: ChannelBasepoints,
  counterparty: ChannelBasepoints,
  perCommitmentPoint: Bytes,
): CommitmentKeys {
  key33('remote payment_basepoint', counterparty.payment_basepoint);
  return {
    revocation_pubkey: deriveRevocationPubkey(counterparty.revocation_basepoint, perCommitmentPoint),
    local_delayed_pubkey: derivePubkey(holder.delayed_payment_basepoint, perCommitmentPoint),
    local_htlc_pubkey: derivePubkey(holder.htlc_basepoint, perCommitmentPoint),
    remote_htlc_pubkey: derivePubkey(counterparty.htlc_basepoint, perCommitmentPoint),
    remote_payment_pubkey: counterparty.payment_basepoint,
  };
}
