// The funding half of establishment: accept_channel validated by the funder, the funding outpoint
// from the runtime, funding_created / funding_signed (the first commitment signatures, and the
// moment the channel is persisted), then channel_ready both ways once the funding is deep enough.
import type { Bytes } from '../../util/bytes.js';
import { equalBytes, fromHex, toHex } from '../../util/bytes.js';
import { isValidPubkey } from '../../crypto/secp256k1.js';
import type { AcceptChannel, ChannelReady, FundingCreated, FundingSigned } from '../../wire/messages.js';
import type { Scid } from '../../types.js';
import { channelTypeBits } from '../../wire/features.js';
import { channelIdFromFunding, fundingOutput } from '../funding.js';
import { verifyHolderCommitmentSignatures } from '../signatures.js';
import { remoteKeysOf, remoteParamsOf, validateAnnounced } from './params.js';
import type { Draft } from './draft.js';
import { buildCommitment } from './commitments.js';
import { badCommand, badState, protocolError } from './errors.js';

/** Funder: validates accept_channel and asks the runtime for the funding tx. */
export function receiveAccept(d: Draft, m: AcceptChannel): void {
  const r = d.record;
  if (r.state !== 'OPEN_SENT') throw protocolError(`accept_channel in state ${r.state}`);
  const policy = r.policy;
  validateAnnounced(m, r.funding_satoshis, policy, r.peer_anysegwit, m.tlvs.upfront_shutdown_script);
  if (m.minimum_depth > policy.max_minimum_depth) throw protocolError(`minimum_depth ${m.minimum_depth} is unreasonably large`);
  if (m.channel_reserve_satoshis < r.local_params.dust_limit_satoshis) throw protocolError('channel_reserve_satoshis is below our dust_limit_satoshis');
  if (m.dust_limit_satoshis > r.local_params.channel_reserve_satoshis) throw protocolError('dust_limit_satoshis is above our channel_reserve_satoshis');
  const sent = channelTypeBits({ anchors: r.channel_type === 'anchors_zero_fee_htlc_tx', scid_alias: r.scid_alias, zeroconf: r.zeroconf });
  if (!m.tlvs.channel_type || !equalBytes(m.tlvs.channel_type, sent)) throw protocolError('accept_channel channel_type differs from ours');
  const fundingScript = fundingOutput(d.signer.basepoints.funding_pubkey, m.funding_pubkey).script_pubkey;
  d.update({
    remote_params: remoteParamsOf(m, m.tlvs.upfront_shutdown_script),
    remote_keys: remoteKeysOf(m),
    remote_current_point: m.first_per_commitment_point,
    // The funder risks nothing by trusting its own funding tx: it waits for the fundee's depth only.
    minimum_depth: m.minimum_depth,
  });
  d.setState('AWAITING_FUNDING_TX');
  d.emit({ type: 'funding_needed', temporary_channel_id: r.temporary_channel_id, funding_satoshis: r.funding_satoshis, script_pubkey: fundingScript });
}

/** Funder: the runtime built the funding tx; sign the fundee's first commitment. */
export function provideFunding(d: Draft, txid: Bytes, outputIndex: number): void {
  const r = d.record;
  if (r.state !== 'AWAITING_FUNDING_TX') throw badState(`provideFunding in state ${r.state}`);
  if (!(txid instanceof Uint8Array) || txid.length !== 32) throw badCommand('funding txid must be 32 bytes (internal byte order)');
  if (!Number.isInteger(outputIndex) || outputIndex < 0 || outputIndex > 0xffff) throw badCommand('funding output index must be a u16');
  const channelId = toHex(channelIdFromFunding(txid, outputIndex));
  d.update({ funding_txid: txid.slice(), funding_output_index: outputIndex, channel_id: channelId });
  const { tx } = buildCommitment(d, 'remote', 0);
  const sig = d.signer.signCounterparty(tx, [], r.remote_current_point!).signature;
  d.setState('FUNDING_CREATED_SENT');
  d.emit({ type: 'channel_id_assigned', temporary_channel_id: r.temporary_channel_id, channel_id: channelId });
  d.out({ type: 'funding_created', temporary_channel_id: fromHex(r.temporary_channel_id), funding_txid: txid.slice(), funding_output_index: outputIndex, signature: sig });
}

function becomeFunded(d: Draft, sig: Bytes): void {
  d.update({ local_commit_sig: sig.slice(), local_htlc_sigs: [] });
  d.persisted = true;
  d.markAllDirty();
  d.setState('AWAITING_LOCKIN');
}

/** Fundee: verify the funder's signature on our first commitment, sign theirs. */
export function receiveFundingCreated(d: Draft, m: FundingCreated): void {
  const r = d.record;
  if (r.state !== 'ACCEPT_SENT') throw protocolError(`funding_created in state ${r.state}`);
  const channelId = toHex(channelIdFromFunding(m.funding_txid, m.funding_output_index));
  d.update({ funding_txid: m.funding_txid.slice(), funding_output_index: m.funding_output_index, channel_id: channelId });
  const local = buildCommitment(d, 'local', 0).tx;
  verifyHolderCommitmentSignatures(local, [], { signature: m.signature, htlc_signatures: [] });
  const remote = buildCommitment(d, 'remote', 0).tx;
  const sig = d.signer.signCounterparty(remote, [], r.remote_current_point!).signature;
  becomeFunded(d, m.signature);
  d.emit({ type: 'channel_id_assigned', temporary_channel_id: r.temporary_channel_id, channel_id: channelId });
  d.out({ type: 'funding_signed', channel_id: fromHex(channelId), signature: sig });
  if (r.minimum_depth === 0) sendChannelReady(d);
}

/** Funder: funding_signed verified → broadcast the funding tx (event) and wait for depth. */
export function receiveFundingSigned(d: Draft, m: FundingSigned): void {
  const r = d.record;
  if (r.state !== 'FUNDING_CREATED_SENT') throw protocolError(`funding_signed in state ${r.state}`);
  const local = buildCommitment(d, 'local', 0).tx;
  verifyHolderCommitmentSignatures(local, [], { signature: m.signature, htlc_signatures: [] });
  becomeFunded(d, m.signature);
  d.emit({ type: 'funding_signed', channel_id: d.channelId, funding_txid: r.funding_txid! });
  if (r.minimum_depth === 0) sendChannelReady(d);
}

export function channelReadyMessage(d: Draft): ChannelReady {
  const r = d.record;
  return {
    type: 'channel_ready',
    channel_id: fromHex(d.channelId),
    second_per_commitment_point: d.signer.point(1),
    tlvs: r.scid_alias || r.peer_scid_alias ? { short_channel_id: r.local_alias as Scid } : {},
  };
}

function maybeNormal(d: Draft): void {
  const r = d.record;
  if (r.state !== 'AWAITING_LOCKIN' || !r.ready_sent || !r.ready_received) return;
  d.setState('NORMAL');
  d.emit({ type: 'channel_ready', channel_id: d.channelId, local_alias: r.local_alias, remote_alias: r.remote_alias, short_channel_id: r.short_channel_id });
}

export function sendChannelReady(d: Draft): void {
  if (!d.record.ready_sent) d.update({ ready_sent: true });
  if (d.connection === 'active') d.out(channelReadyMessage(d));
  maybeNormal(d);
}

export function receiveChannelReady(d: Draft, m: ChannelReady): void {
  const r = d.record;
  if (r.ready_received || r.state !== 'AWAITING_LOCKIN') {
    // A retransmission (Electrum re-sends it after every reestablish at commitment 1): harmless.
    if (r.ready_received && ['NORMAL', 'SHUTDOWN', 'NEGOTIATING', 'AWAITING_LOCKIN'].includes(r.state)) return;
    throw protocolError(`channel_ready in state ${r.state}`);
  }
  if (!isValidPubkey(m.second_per_commitment_point)) throw protocolError('channel_ready: invalid second_per_commitment_point');
  d.update({ ready_received: true, remote_next_point: m.second_per_commitment_point, remote_alias: m.tlvs.short_channel_id ?? null });
  maybeNormal(d);
}

/** Chain input: the funding tx is `depth` deep (0: in the mempool), at `scid` once mined. */
export function fundingDepth(d: Draft, depth: number, scid: bigint | null): void {
  if (!Number.isInteger(depth) || depth < 0) throw badCommand('depth must be a non-negative integer');
  const r = d.record;
  if (depth !== r.funding_depth) d.update({ funding_depth: depth });
  if (scid !== null && scid !== r.short_channel_id) d.update({ short_channel_id: scid });
  if (r.state === 'AWAITING_LOCKIN' && !r.ready_sent && depth >= r.minimum_depth) sendChannelReady(d);
}
