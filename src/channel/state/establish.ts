// Channel establishment (v1), first half: the funder's open_channel and the fundee's validation of
// it and accept_channel, with the new channel record. The funding half (accept_channel checks,
// funding_created/signed, channel_ready) is funding-flow.ts. Nothing is persisted before
// funding_signed: until then a crash or disconnect simply abandons the attempt (the funder has not
// broadcast anything yet).
import type { Bytes } from '../../util/bytes.js';
import { concatBytes, equalBytes, toHex, utf8 } from '../../util/bytes.js';
import { sha256 } from '../../crypto/secp256k1.js';
import type { AcceptChannel, OpenChannel } from '../../wire/messages.js';
import { channelTypeBits, hasFeature, isNegotiated, parseChannelType } from '../../wire/features.js';
import type { ChannelType } from '../channel-type.js';
import { emptyShachainStore } from '../shachain-store.js';
import type { ChannelKeySource } from './keys.js';
import { ChannelSigner } from './keys.js';
import type { ChannelPolicy } from './params.js';
import {
  MAX_FUNDING_SATOSHIS_NO_WUMBO,
  initialFunderCostMsat,
  localParams,
  remoteKeysOf,
  remoteParamsOf,
  reserveFor,
  resolvePolicy,
  validateAnnounced,
} from './params.js';
import type { ChannelRecord, ClosingNegotiation } from './types.js';
import { badCommand, protocolError } from './errors.js';
import { FEERATE_FLOOR_PER_KW } from './fee-update.js';
import { isValidShutdownScript } from './shutdown-script.js';

/** What the runtime knows about the peer connection a channel is created on. */
export interface PeerContext {
  /** Peer node id, 33-byte hex. */
  readonly node_id: string;
  /** Our and their init features. */
  readonly local_features: Bytes;
  readonly remote_features: Bytes;
}

export interface NewChannelArgs {
  readonly keys: ChannelKeySource;
  /** Allocated (and persisted) by the runtime; the channel's secrets derive from it. */
  readonly key_index: number;
  readonly peer: PeerContext;
  readonly chain_hash: Bytes;
  readonly policy?: Partial<ChannelPolicy>;
  /** Zero-conf is acceptable with this peer (it may double-spend nothing we rely on). */
  readonly trusted?: boolean;
  /** Our upfront shutdown script (empty or absent: none). */
  readonly upfront_shutdown_script?: Bytes;
  /** Our alias scid; derived from the channel's public keys when absent. */
  readonly local_alias?: bigint;
}

export interface OpenChannelArgs extends NewChannelArgs {
  readonly funding_satoshis: bigint;
  readonly push_msat?: bigint;
  readonly feerate_per_kw: number;
  readonly channel_type?: { readonly anchors?: boolean; readonly scid_alias?: boolean; readonly zeroconf?: boolean };
  readonly announce?: boolean;
  readonly temporary_channel_id?: Bytes;
}

export const INITIAL_CLOSING: ClosingNegotiation = {
  shutdown_requested: false,
  shutdown_sent: false,
  shutdown_received: false,
  local_script: null,
  remote_script: null,
  feerate_per_kw: null,
  fee_range: null,
  feerate_range: null,
  fee_step: null,
  last_sent_fee: null,
  last_received_fee: null,
  closing_tx: null,
};

function derivedId(label: string, signer: ChannelSigner): Bytes {
  return sha256(concatBytes(utf8(`lightning-worker/${label}`), signer.basepoints.funding_pubkey));
}

function aliasFor(signer: ChannelSigner, given: bigint | undefined): bigint {
  if (given !== undefined) {
    if (typeof given !== 'bigint' || given <= 0n || given > 0xffffffffffffffffn) throw badCommand('local_alias must be a u64');
    return given;
  }
  const h = derivedId('alias', signer);
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(h[i]!);
  return v === 0n ? 1n : v;
}

function peerIdHex(id: string): string {
  if (typeof id !== 'string' || !/^0[23][0-9a-fA-F]{64}$/.test(id)) throw badCommand('peer node_id must be 33-byte hex');
  return id.toLowerCase();
}

function typeName(anchors: boolean): ChannelType {
  return anchors ? 'anchors_zero_fee_htlc_tx' : 'static_remotekey';
}

interface RecordInit {
  readonly args: NewChannelArgs;
  readonly signer: ChannelSigner;
  readonly policy: ChannelPolicy;
  readonly temporaryId: string;
  readonly funder: boolean;
  readonly type: { anchors: boolean; scid_alias: boolean; zeroconf: boolean };
  readonly announce: boolean;
  readonly funding: bigint;
  readonly push: bigint;
  readonly feerate: number;
  readonly minimumDepth: number;
  readonly local: ChannelRecord['local_params'];
  readonly state: ChannelRecord['state'];
}

function newRecord(i: RecordInit): ChannelRecord {
  const { args } = i;
  const funderMsat = i.funding * 1000n - i.push;
  return {
    v: 1,
    channel_id: i.temporaryId,
    temporary_channel_id: i.temporaryId,
    peer_id: peerIdHex(args.peer.node_id),
    key_index: args.key_index,
    chain_hash: args.chain_hash.slice(),
    funder: i.funder,
    channel_type: typeName(i.type.anchors),
    scid_alias: i.type.scid_alias,
    zeroconf: i.type.zeroconf,
    announce: i.announce,
    peer_scid_alias: hasFeature(args.peer.remote_features, 'option_scid_alias'),
    peer_anysegwit: isNegotiated(args.peer.local_features, args.peer.remote_features, 'option_shutdown_anysegwit'),
    state: i.state,
    funding_txid: null,
    funding_output_index: 0,
    funding_satoshis: i.funding,
    push_msat: i.push,
    minimum_depth: i.minimumDepth,
    funding_depth: 0,
    local_params: i.local,
    remote_params: null,
    remote_keys: null,
    remote_current_point: null,
    remote_next_point: null,
    local_ctn: 0,
    remote_ctn: 0,
    awaiting_revoke: false,
    last_commit_seq: 0,
    last_revoke_seq: 0,
    local_commit_sig: null,
    local_htlc_sigs: [],
    remote_secrets: emptyShachainStore(),
    base_local_msat: i.funder ? funderMsat : i.push,
    base_remote_msat: i.funder ? i.push : funderMsat,
    base_feerate_per_kw: i.feerate,
    fee_updates: [],
    next_local_htlc_id: 0,
    next_update_seq: 1,
    next_remote_htlc_id: 0,
    local_alias: aliasFor(i.signer, args.local_alias),
    remote_alias: null,
    short_channel_id: null,
    ready_sent: false,
    ready_received: false,
    closing: INITIAL_CLOSING,
    policy: i.policy,
    failure: null,
  };
}

function checkChainHash(b: Bytes): void {
  if (!(b instanceof Uint8Array) || b.length !== 32) throw badCommand('chain_hash must be 32 bytes');
}

function upfrontOf(args: NewChannelArgs): Bytes {
  const s = args.upfront_shutdown_script ?? new Uint8Array(0);
  if (s.length > 0 && !isValidShutdownScript(s, true)) throw badCommand('upfront_shutdown_script is not a valid shutdown script');
  return s.slice();
}

/** Funder: a new channel record and the open_channel to send. */
export function createOpen(args: OpenChannelArgs): { record: ChannelRecord; signer: ChannelSigner; message: OpenChannel } {
  checkChainHash(args.chain_hash);
  const policy = resolvePolicy(args.policy);
  const signer = new ChannelSigner(args.keys(args.key_index));
  const funding = args.funding_satoshis;
  const push = args.push_msat ?? 0n;
  if (typeof funding !== 'bigint' || funding <= 0n) throw badCommand('funding_satoshis must be a positive bigint');
  const wumbo = isNegotiated(args.peer.local_features, args.peer.remote_features, 'option_support_large_channel');
  if (!wumbo && funding >= MAX_FUNDING_SATOSHIS_NO_WUMBO) throw badCommand('funding_satoshis must be below 2^24 without option_support_large_channel');
  if (typeof push !== 'bigint' || push < 0n || push > funding * 1000n) throw badCommand('push_msat must be between 0 and the funding amount');
  if (!Number.isInteger(args.feerate_per_kw) || args.feerate_per_kw < FEERATE_FLOOR_PER_KW) throw badCommand(`feerate_per_kw must be an integer >= ${FEERATE_FLOOR_PER_KW}`);
  const type = { anchors: !!args.channel_type?.anchors, scid_alias: !!args.channel_type?.scid_alias, zeroconf: !!args.channel_type?.zeroconf };
  if (type.scid_alias && args.announce) throw badCommand('an option_scid_alias channel cannot be announced');
  if (funding * 1000n - push < initialFunderCostMsat(typeName(type.anchors), args.feerate_per_kw)) {
    throw badCommand('funding minus push cannot pay the initial commitment fee');
  }
  const temp = args.temporary_channel_id ?? derivedId('temporary_channel_id', signer);
  if (!(temp instanceof Uint8Array) || temp.length !== 32) throw badCommand('temporary_channel_id must be 32 bytes');
  const upfront = upfrontOf(args);
  const reserve = reserveFor(funding, policy, policy.dust_limit_satoshis);
  const local = localParams(policy, funding, reserve, policy.dust_limit_satoshis, upfront);
  const record = newRecord({
    args,
    signer,
    policy,
    temporaryId: toHex(temp),
    funder: true,
    type,
    announce: !!args.announce,
    funding,
    push,
    feerate: args.feerate_per_kw,
    minimumDepth: 0,
    local,
    state: 'OPEN_SENT',
  });
  const bp = signer.basepoints;
  const message: OpenChannel = {
    type: 'open_channel',
    chain_hash: args.chain_hash.slice(),
    temporary_channel_id: temp.slice(),
    funding_satoshis: funding,
    push_msat: push,
    dust_limit_satoshis: local.dust_limit_satoshis,
    max_htlc_value_in_flight_msat: local.max_htlc_value_in_flight_msat,
    channel_reserve_satoshis: local.channel_reserve_satoshis,
    htlc_minimum_msat: local.htlc_minimum_msat,
    feerate_per_kw: args.feerate_per_kw,
    to_self_delay: local.to_self_delay,
    max_accepted_htlcs: local.max_accepted_htlcs,
    funding_pubkey: bp.funding_pubkey,
    revocation_basepoint: bp.revocation_basepoint,
    payment_basepoint: bp.payment_basepoint,
    delayed_payment_basepoint: bp.delayed_payment_basepoint,
    htlc_basepoint: bp.htlc_basepoint,
    first_per_commitment_point: signer.point(0),
    channel_flags: args.announce ? 1 : 0,
    tlvs: { upfront_shutdown_script: upfront, channel_type: channelTypeBits(type) },
  };
  return { record, signer, message };
}

/**
 * Fundee: validates open_channel and builds the record and accept_channel. Throws a protocol
 * error (the caller answers with `error`) when the peer's parameters are not acceptable.
 */
export function createAccept(args: NewChannelArgs, m: OpenChannel): { record: ChannelRecord; signer: ChannelSigner; message: AcceptChannel } {
  checkChainHash(args.chain_hash);
  const policy = resolvePolicy(args.policy);
  if (!equalBytes(m.chain_hash, args.chain_hash)) throw protocolError('open_channel for an unknown chain_hash');
  const funding = m.funding_satoshis;
  const wumbo = isNegotiated(args.peer.local_features, args.peer.remote_features, 'option_support_large_channel');
  if (funding < policy.min_funding_satoshis) throw protocolError(`funding_satoshis ${funding} is too small`);
  if (!wumbo && funding >= MAX_FUNDING_SATOSHIS_NO_WUMBO) throw protocolError(`funding_satoshis ${funding} needs option_support_large_channel`);
  if (m.push_msat > funding * 1000n) throw protocolError('push_msat is greater than funding_satoshis * 1000');
  if (m.feerate_per_kw < policy.min_feerate_per_kw || m.feerate_per_kw > policy.max_feerate_per_kw) {
    throw protocolError(`feerate_per_kw ${m.feerate_per_kw} outside ${policy.min_feerate_per_kw}..${policy.max_feerate_per_kw}`);
  }
  if (m.dust_limit_satoshis > m.channel_reserve_satoshis) throw protocolError('dust_limit_satoshis is greater than channel_reserve_satoshis');
  const anysegwit = isNegotiated(args.peer.local_features, args.peer.remote_features, 'option_shutdown_anysegwit');
  validateAnnounced(m, funding, policy, anysegwit, m.tlvs.upfront_shutdown_script);

  let type: { anchors: boolean; scid_alias: boolean; zeroconf: boolean };
  if (m.tlvs.channel_type) {
    const t = parseChannelType(m.tlvs.channel_type);
    if (!t) throw protocolError(`unsupported channel_type ${toHex(m.tlvs.channel_type)}`);
    type = t;
  } else if (isNegotiated(args.peer.local_features, args.peer.remote_features, 'option_anchors') && policy.allow_anchors) {
    type = { anchors: true, scid_alias: false, zeroconf: false };
  } else {
    type = { anchors: false, scid_alias: false, zeroconf: false };
  }
  if (type.anchors && !policy.allow_anchors) throw protocolError('anchors channels are not accepted');
  if (type.zeroconf && !args.trusted) throw protocolError('option_zeroconf channel from an untrusted peer');
  const announce = (m.channel_flags & 1) === 1;
  if (type.scid_alias && announce) throw protocolError('option_scid_alias channel with announce_channel set');

  const cost = initialFunderCostMsat(typeName(type.anchors), m.feerate_per_kw);
  const funderMsat = funding * 1000n - m.push_msat;
  if (funderMsat < cost) throw protocolError('the funder cannot pay the initial commitment fee');
  const reserveMsat = m.channel_reserve_satoshis * 1000n;
  if (funderMsat - cost <= reserveMsat && m.push_msat <= reserveMsat) throw protocolError('both initial balances are at or below the channel reserve');

  const signer = new ChannelSigner(args.keys(args.key_index));
  // Our dust limit may not exceed the reserve they require from us (BOLT 2, accept_channel).
  const dust = policy.dust_limit_satoshis <= m.channel_reserve_satoshis ? policy.dust_limit_satoshis : m.channel_reserve_satoshis;
  const reserve = reserveFor(funding, policy, dust, m.dust_limit_satoshis);
  // The funder pays every commitment fee: it must start with the fee and the reserve we require.
  if (funderMsat - cost < reserve * 1000n) throw protocolError('the funder cannot pay the initial commitment fee and keep the channel reserve');
  const upfront = upfrontOf(args);
  const local = localParams(policy, funding, reserve, dust, upfront);
  const minimumDepth = args.trusted || type.zeroconf ? 0 : policy.minimum_depth;
  const record: ChannelRecord = {
    ...newRecord({
      args,
      signer,
      policy,
      temporaryId: toHex(m.temporary_channel_id),
      funder: false,
      type,
      announce,
      funding,
      push: m.push_msat,
      feerate: m.feerate_per_kw,
      minimumDepth,
      local,
      state: 'ACCEPT_SENT',
    }),
    remote_params: remoteParamsOf(m, m.tlvs.upfront_shutdown_script),
    remote_keys: remoteKeysOf(m),
    remote_current_point: m.first_per_commitment_point,
  };
  const bp = signer.basepoints;
  const message: AcceptChannel = {
    type: 'accept_channel',
    temporary_channel_id: m.temporary_channel_id,
    dust_limit_satoshis: local.dust_limit_satoshis,
    max_htlc_value_in_flight_msat: local.max_htlc_value_in_flight_msat,
    channel_reserve_satoshis: local.channel_reserve_satoshis,
    htlc_minimum_msat: local.htlc_minimum_msat,
    minimum_depth: minimumDepth,
    to_self_delay: local.to_self_delay,
    max_accepted_htlcs: local.max_accepted_htlcs,
    funding_pubkey: bp.funding_pubkey,
    revocation_basepoint: bp.revocation_basepoint,
    payment_basepoint: bp.payment_basepoint,
    delayed_payment_basepoint: bp.delayed_payment_basepoint,
    htlc_basepoint: bp.htlc_basepoint,
    first_per_commitment_point: signer.point(0),
    tlvs: { upfront_shutdown_script: upfront, channel_type: m.tlvs.channel_type ?? channelTypeBits(type) },
  };
  return { record, signer, message };
}

/**
 * Fundee: the record of an open_channel we refuse, so the refusal travels through the usual
 * failure path (an `error` on the temporary_channel_id). Values are clamped: none of them is used.
 */
export function refusedOpenRecord(args: NewChannelArgs, m: OpenChannel, reason: string): { record: ChannelRecord; signer: ChannelSigner } {
  const policy = resolvePolicy(args.policy);
  const signer = new ChannelSigner(args.keys(args.key_index));
  const funding = m.funding_satoshis;
  const push = m.push_msat > funding * 1000n ? funding * 1000n : m.push_msat;
  const record = newRecord({
    args,
    signer,
    policy,
    temporaryId: toHex(m.temporary_channel_id),
    funder: false,
    type: { anchors: false, scid_alias: false, zeroconf: false },
    announce: false,
    funding,
    push,
    feerate: m.feerate_per_kw,
    minimumDepth: policy.minimum_depth,
    local: localParams(policy, funding, 0n, policy.dust_limit_satoshis, new Uint8Array(0)),
    state: 'ACCEPT_SENT',
  });
  return { record: { ...record, failure: reason }, signer };
}
