// The runtime's entry points. Every function is pure: it takes a Channel and returns a Step (the
// next Channel plus what to persist, send and act on). Commands throw ChannelStateError for misuse;
// peer input never throws (see machine.ts).
import type { Bytes } from '../../util/bytes.js';
import { toHex } from '../../util/bytes.js';
import type { OpenChannel } from '../../wire/messages.js';
import type { ChannelType } from '../channel-type.js';
import { isChannelType } from '../channel-type.js';
import { channelIdFromFunding } from '../funding.js';
import { verifyHolderCommitmentSignatures } from '../signatures.js';
import { isValidPubkey } from '../../crypto/secp256k1.js';
import type { ChannelKeySource } from './keys.js';
import { ChannelSigner } from './keys.js';
import { Draft } from './draft.js';
import { runCommand, runPeer } from './machine.js';
import { signIfNeeded } from './commit.js';
import { buildCommitment } from './commitments.js';
import type { NewChannelArgs, OpenChannelArgs, PeerContext } from './establish.js';
import { INITIAL_CLOSING, createAccept, createOpen, refusedOpenRecord } from './establish.js';
import { fundingDepth as onDepth, provideFunding as onFunding } from './funding-flow.js';
import { resolvePolicy } from './params.js';
import type { AddHtlcRequest } from './updates.js';
import { localAdd, localFail, localFailMalformed, localFulfill, localUpdateFee } from './updates.js';
import { FAILURE } from './limits.js';
import type { LimitKind } from './limits.js';
import { requestShutdown } from './close.js';
import type { ShutdownOptions } from './close.js';
import { onConnect, onDisconnect } from './reestablish.js';
import { failChannel } from './fail.js';
import { checkDeadlines } from './deadlines.js';
import type { Channel, ChannelParams, ChannelPolicy, ChannelRecord, RemoteKeys, Step } from './types.js';
import { ChannelStateError, badCommand, badState } from './errors.js';
import { emptyShachainStore } from '../shachain-store.js';

function fresh(record: ChannelRecord, signer: ChannelSigner): Channel {
  return { record, htlcs: new Map(), signer, connection: 'active', persisted: false };
}

/** Funder: a new channel and its open_channel. */
export function openChannel(args: OpenChannelArgs): Step {
  const { record, signer, message } = createOpen(args);
  return { channel: fresh(record, signer), persist: { channel: null, htlcs: [], deleted_htlcs: [] }, send: [message], events: [] };
}

/**
 * Fundee: answers an open_channel. Unacceptable parameters give an ABORTED channel whose `send`
 * holds the `error` for the peer (keyed by the temporary_channel_id).
 */
export function acceptChannel(args: NewChannelArgs, open: OpenChannel): Step {
  try {
    const { record, signer, message } = createAccept(args, open);
    return { channel: fresh(record, signer), persist: { channel: null, htlcs: [], deleted_htlcs: [] }, send: [message], events: [] };
  } catch (e) {
    // Our own misuse (bad key index, bad chain_hash argument) is the caller's error, not the peer's.
    if (e instanceof ChannelStateError && (e.code === 'BAD_COMMAND' || e.code === 'BAD_STATE')) throw e;
    const { record, signer } = refusedOpenRecord(args, open, 'refused');
    return runPeer(fresh(record, signer), () => {
      throw e;
    });
  }
}

/** Funder: the funding outpoint, once the runtime built the tx asked for by `funding_needed`. */
export function provideFunding(ch: Channel, funding: { readonly txid: Bytes; readonly output_index: number }): Step {
  return runCommand(ch, (d) => onFunding(d, funding.txid, funding.output_index));
}

/** Chain input: funding depth (0 = unconfirmed) and its short_channel_id once mined. */
export function fundingDepth(ch: Channel, depth: number, shortChannelId: bigint | null = null): Step {
  return runCommand(ch, (d) => onDepth(d, depth, shortChannelId));
}

export type AddHtlcResult =
  | { readonly ok: true; readonly id: number; readonly step: Step }
  | { readonly ok: false; readonly kind: LimitKind | 'state'; readonly failure_code: number; readonly reason: string };

/** Offers an HTLC (sent at once; call commit() after batching). Refusals carry CLN's reason. */
export function addHtlc(ch: Channel, req: AddHtlcRequest): AddHtlcResult {
  const refuse = (reason: string): AddHtlcResult => ({ ok: false, kind: 'state', failure_code: FAILURE.temporary_channel_failure, reason });
  const r = ch.record;
  if (r.state === 'SHUTDOWN' || r.closing.shutdown_requested || r.closing.shutdown_received) return refuse('Channel is shutting down');
  if (r.state !== 'NORMAL') return refuse(`Channel not in normal state (${r.state})`);
  if (ch.connection !== 'active') return refuse('Peer not connected');
  const out: { result?: ReturnType<typeof localAdd> } = {};
  const step = runCommand(ch, (d) => {
    out.result = localAdd(d, req);
  });
  const result = out.result!;
  if ('id' in result) return { ok: true, id: result.id, step };
  // Refused: the channel is unchanged (the step is dropped).
  return { ok: false, kind: result.kind, failure_code: result.failure_code, reason: result.reason };
}

/** Settling is allowed whatever the connection: offline, the update waits for channel_reestablish. */
function requireSettleable(ch: Channel, what: string): void {
  if (ch.record.state !== 'NORMAL' && ch.record.state !== 'SHUTDOWN') throw badState(`${what} in state ${ch.record.state}`);
}

export function fulfillHtlc(ch: Channel, id: number, preimage: Bytes): Step {
  requireSettleable(ch, 'fulfillHtlc');
  return runCommand(ch, (d) => localFulfill(d, id, preimage));
}

/** Fails an incoming HTLC with an (already wrapped) failure onion. */
export function failHtlc(ch: Channel, id: number, reason: Bytes): Step {
  requireSettleable(ch, 'failHtlc');
  return runCommand(ch, (d) => localFail(d, id, reason));
}

export function failMalformedHtlc(ch: Channel, id: number, sha256OfOnion: Bytes, failureCode: number): Step {
  requireSettleable(ch, 'failMalformedHtlc');
  return runCommand(ch, (d) => localFailMalformed(d, id, sha256OfOnion, failureCode));
}

/** Funder only: proposes a new commitment feerate. */
export function updateFee(ch: Channel, feeratePerKw: number): Step {
  if (ch.connection !== 'active' || ch.record.state !== 'NORMAL') throw badState(`updateFee in state ${ch.record.state}`);
  return runCommand(ch, (d) => localUpdateFee(d, feeratePerKw));
}

/** Sends commitment_signed if anything awaits a signature and none is outstanding (else no-op). */
export function commit(ch: Channel): Step {
  return runCommand(ch, (d) => {
    signIfNeeded(d);
  });
}

/** The transport to the peer is up (init exchanged): sends channel_reestablish. */
export function peerConnected(ch: Channel): Step {
  return runCommand(ch, (d) => onConnect(d));
}

/** The transport dropped: reverses the peer's uncommitted updates. */
export function peerDisconnected(ch: Channel): Step {
  return runCommand(ch, (d) => onDisconnect(d));
}

/** Starts a mutual close (shutdown goes out once our updates are signed). */
export function shutdown(ch: Channel, opts: ShutdownOptions = {}): Step {
  return runCommand(ch, (d) => requestShutdown(d, opts));
}

/** Unilateral close: `broadcast` event with our latest commitment, fully signed. */
export function forceClose(ch: Channel, reason = 'Forcibly closed by command'): Step {
  const s = ch.record.state;
  if (!ch.persisted || s === 'CLOSING_COMPLETE' || s === 'ONCHAIN' || s === 'FORCE_CLOSED') throw badState(`cannot force-close in state ${s}`);
  if (s === 'DATA_LOSS') throw badState('our commitment is outdated (data loss): broadcasting it would lose funds');
  return runCommand(ch, (d) => failChannel(d, reason, { by: 'local' }));
}

/**
 * Chain input: a new block height. Fails the channel (broadcast event) when an HTLC passed the
 * deadline after which only the chain can resolve it.
 */
export function blockHeight(ch: Channel, height: number): Step {
  if (!Number.isInteger(height) || height < 0) throw badCommand('height must be a non-negative integer');
  return runCommand(ch, (d) => checkDeadlines(d, height));
}

/** Chain input: the funding output was spent (by any of the closing transactions). */
export function fundingSpent(ch: Channel): Step {
  return runCommand(ch, (d) => {
    if (d.persisted) d.setState('ONCHAIN');
  });
}

export interface ImportChannelArgs {
  readonly keys: ChannelKeySource;
  readonly key_index: number;
  readonly peer: PeerContext;
  readonly chain_hash: Bytes;
  readonly policy?: Partial<ChannelPolicy>;
  readonly funder: boolean;
  readonly channel_type: ChannelType;
  /** Internal byte order. */
  readonly funding_txid: Bytes;
  readonly funding_output_index: number;
  readonly funding_satoshis: bigint;
  /** Our balance on commitment 0. */
  readonly local_msat: bigint;
  readonly feerate_per_kw: number;
  readonly local_params: ChannelParams;
  readonly remote_params: ChannelParams;
  readonly remote_keys: RemoteKeys;
  readonly remote_first_per_commitment_point: Bytes;
  /** The peer's signature on our commitment 0 (what funding_created/funding_signed carried). */
  readonly remote_signature: Bytes;
  readonly minimum_depth: number;
  readonly funding_depth: number;
  readonly short_channel_id?: bigint | null;
  readonly local_alias?: bigint;
}

/**
 * A channel whose funding was agreed out of band (an imported or pre-agreed state, e.g. the
 * Electrum fixture): as if funding_signed had just been exchanged. The peer's signature on our
 * commitment 0 is verified. The result is disconnected; persist it, then call peerConnected.
 */
export function importChannel(a: ImportChannelArgs): Step {
  if (!isChannelType(a.channel_type)) throw badCommand('unknown channel_type');
  if (a.local_msat < 0n || a.local_msat > a.funding_satoshis * 1000n) throw badCommand('local_msat out of range');
  if (!isValidPubkey(a.remote_first_per_commitment_point)) throw badCommand('remote first per-commitment point is invalid');
  const signer = new ChannelSigner(a.keys(a.key_index));
  const base = createOpen({
    keys: a.keys,
    key_index: a.key_index,
    peer: a.peer,
    chain_hash: a.chain_hash,
    ...(a.policy ? { policy: a.policy } : {}),
    funding_satoshis: a.funding_satoshis,
    feerate_per_kw: a.feerate_per_kw,
    channel_type: { anchors: a.channel_type === 'anchors_zero_fee_htlc_tx' },
    ...(a.local_alias !== undefined ? { local_alias: a.local_alias } : {}),
  }).record;
  const channelId = toHex(channelIdFromFunding(a.funding_txid, a.funding_output_index));
  const remoteMsat = a.funding_satoshis * 1000n - a.local_msat;
  const record: ChannelRecord = {
    ...base,
    channel_id: channelId,
    temporary_channel_id: channelId,
    funder: a.funder,
    state: 'AWAITING_LOCKIN',
    funding_txid: a.funding_txid.slice(),
    funding_output_index: a.funding_output_index,
    push_msat: a.funder ? remoteMsat : a.local_msat,
    minimum_depth: a.minimum_depth,
    funding_depth: a.funding_depth,
    local_params: a.local_params,
    remote_params: a.remote_params,
    remote_keys: a.remote_keys,
    remote_current_point: a.remote_first_per_commitment_point.slice(),
    base_local_msat: a.local_msat,
    base_remote_msat: remoteMsat,
    short_channel_id: a.short_channel_id ?? null,
    ready_sent: a.funding_depth >= a.minimum_depth,
    local_commit_sig: a.remote_signature.slice(),
    remote_secrets: emptyShachainStore(),
    closing: INITIAL_CLOSING,
    policy: resolvePolicy(a.policy),
  };
  const ch: Channel = { record, htlcs: new Map(), signer, connection: 'disconnected', persisted: true };
  const d = new Draft(ch);
  const { tx } = buildCommitment(d, 'local', 0);
  verifyHolderCommitmentSignatures(tx, [], { signature: a.remote_signature, htlc_signatures: [] });
  d.markAllDirty();
  return d.finish();
}
