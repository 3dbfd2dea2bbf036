// channel_update (BOLT 7): building and signing ours, verifying a peer's and reading its policy.
// Private channels never see gossip, so the peer's channel_update (sent directly after
// channel_ready) is the only way to learn what it charges to forward to us: our invoices' route
// hints are made from it. Ours travels inside UPDATE-flagged BOLT 4 failures.
import { isValidPubkey, sha256, signCompact, verifyCompact, pubkeyCreate } from '../crypto/secp256k1.js';
import { LightningError } from '../errors.js';
import type { Scid } from '../types.js';
import { compareBytes, equalBytes, fromHex, isHex } from '../util/bytes.js';
import { chainHash, channelUpdateSignedBytes, decodeMessage, encodeMessage, WireError, type ChannelUpdate, type Network } from '../wire/index.js';
import type { RelayPolicy } from './policy.js';

/** message_flags bit 0: `must_be_one` (BOLT 7: "MUST set must_be_one in message_flags to 1"). */
export const MSG_FLAG_MUST_BE_ONE = 1;
/** message_flags bit 1: `dont_forward`, required on updates for unannounced channels. */
export const MSG_FLAG_DONT_FORWARD = 2;
/** channel_flags bit 0: direction (0 when the origin is node_id_1, the lexicographically smaller id). */
export const CHAN_FLAG_DIRECTION = 1;
/** channel_flags bit 1: disable. */
export const CHAN_FLAG_DISABLE = 2;

export class ChannelUpdateError extends LightningError {
  constructor(message: string) {
    super('BAD_CHANNEL_UPDATE', message);
  }
}

export interface ChannelUpdateParams {
  network: Network;
  /** The scid the peer knows the channel by: the real one or the alias it gave us. */
  short_channel_id: Scid;
  /** Unix seconds; MUST be greater than any update we sent before for this scid. */
  timestamp: number;
  /** The peer's node id (hex): decides our direction bit. */
  peer_node_id: string;
  disabled: boolean;
  /** Unannounced channels get `dont_forward` (BOLT 7). */
  announced: boolean;
  policy: RelayPolicy;
}

export interface SignedChannelUpdate {
  message: ChannelUpdate;
  /** The full message, 0x0102 type prefix included: what BOLT 4 failures embed. */
  bytes: Uint8Array;
}

/** BOLT 7: direction 0 iff our node id is node_id_1, i.e. sorts first as 33 compressed bytes. */
export function directionBit(ourNodeId: Uint8Array, peerNodeId: Uint8Array): 0 | 1 {
  return compareBytes(ourNodeId, peerNodeId) < 0 ? 0 : 1;
}

function u32ok(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

/** Builds our channel_update and signs the double-SHA256 of everything after the signature. */
export function buildChannelUpdate(p: ChannelUpdateParams, nodeSecret: Uint8Array): SignedChannelUpdate {
  const peer = isHex(p.peer_node_id, 33) ? fromHex(p.peer_node_id) : new Uint8Array(0);
  if (!isValidPubkey(peer)) throw new ChannelUpdateError('peer_node_id is not a valid public key');
  if (!u32ok(p.timestamp) || p.timestamp === 0) throw new ChannelUpdateError('timestamp must be a u32 greater than 0');
  const { policy } = p;
  if (!u32ok(policy.fee_base_msat) || !u32ok(policy.fee_proportional_millionths)) throw new ChannelUpdateError('fees must be u32');
  if (!Number.isInteger(policy.cltv_expiry_delta) || policy.cltv_expiry_delta < 0 || policy.cltv_expiry_delta > 0xffff) {
    throw new ChannelUpdateError('cltv_expiry_delta must be u16');
  }
  // BOLT 7: "MUST set htlc_maximum_msat ... greater than or equal to htlc_minimum_msat".
  if (policy.htlc_maximum_msat < policy.htlc_minimum_msat) throw new ChannelUpdateError('htlc_maximum_msat is below htlc_minimum_msat');
  const direction = directionBit(pubkeyCreate(nodeSecret), peer);
  const unsigned: ChannelUpdate = {
    type: 'channel_update',
    signature: new Uint8Array(64),
    chain_hash: chainHash(p.network),
    short_channel_id: p.short_channel_id,
    timestamp: p.timestamp,
    message_flags: MSG_FLAG_MUST_BE_ONE | (p.announced ? 0 : MSG_FLAG_DONT_FORWARD),
    channel_flags: direction | (p.disabled ? CHAN_FLAG_DISABLE : 0),
    cltv_expiry_delta: policy.cltv_expiry_delta,
    htlc_minimum_msat: policy.htlc_minimum_msat,
    fee_base_msat: policy.fee_base_msat,
    fee_proportional_millionths: policy.fee_proportional_millionths,
    htlc_maximum_msat: policy.htlc_maximum_msat,
  };
  const digest = sha256(sha256(channelUpdateSignedBytes(unsigned)));
  const message: ChannelUpdate = { ...unsigned, signature: signCompact(digest, nodeSecret) };
  return { message, bytes: encodeMessage(message) };
}

/** A peer's policy as its channel_update states it. */
export interface PeerPolicy extends RelayPolicy {
  readonly short_channel_id: Scid;
  readonly timestamp: number;
  readonly direction: 0 | 1;
  readonly disabled: boolean;
  readonly dont_forward: boolean;
}

export type VerifiedUpdate =
  | { readonly ok: true; readonly update: ChannelUpdate; readonly policy: PeerPolicy }
  | { readonly ok: false; readonly reason: string };

/**
 * Verifies a channel_update as received (full message with its 0x0102 type) against the node id
 * that should have signed it, over "the entire remaining packet" so appended unknown fields are
 * covered, as BOLT 7 requires. Never throws on hostile bytes.
 */
export function verifyChannelUpdate(raw: Uint8Array, signerNodeId: string, network?: Network): VerifiedUpdate {
  const signer = isHex(signerNodeId, 33) ? fromHex(signerNodeId) : new Uint8Array(0);
  if (!isValidPubkey(signer)) return { ok: false, reason: 'signer is not a valid public key' };
  let update: ChannelUpdate;
  try {
    const m = decodeMessage(raw);
    if (m.type !== 'channel_update') return { ok: false, reason: `not a channel_update (${m.type})` };
    update = m;
  } catch (e) {
    if (e instanceof WireError) return { ok: false, reason: `malformed channel_update: ${e.message}` };
    throw e;
  }
  if (network !== undefined && !equalBytes(update.chain_hash, chainHash(network))) return { ok: false, reason: 'channel_update is for another chain' };
  const digest = sha256(sha256(channelUpdateSignedBytes(raw)));
  if (!verifyCompact(update.signature, digest, signer)) return { ok: false, reason: 'bad channel_update signature' };
  return { ok: true, update, policy: policyOf(update) };
}

/** The policy fields of a (verified) channel_update. */
export function policyOf(u: ChannelUpdate): PeerPolicy {
  return {
    short_channel_id: u.short_channel_id,
    timestamp: u.timestamp,
    direction: (u.channel_flags & CHAN_FLAG_DIRECTION) === 0 ? 0 : 1,
    disabled: (u.channel_flags & CHAN_FLAG_DISABLE) !== 0,
    dont_forward: (u.message_flags & MSG_FLAG_DONT_FORWARD) !== 0,
    cltv_expiry_delta: u.cltv_expiry_delta,
    htlc_minimum_msat: u.htlc_minimum_msat,
    fee_base_msat: u.fee_base_msat,
    fee_proportional_millionths: u.fee_proportional_millionths,
    htlc_maximum_msat: u.htlc_maximum_msat,
  };
}
