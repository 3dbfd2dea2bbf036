// Reconnection. On disconnect the peer's uncommitted updates are reversed (ours stay in the log and
// are proposed again); on reconnect both sides exchange channel_reestablish and retransmit what the
// other missed: our revoke_and_ack and/or our last commitment_signed with its updates, in the order
// they were first sent, channel_ready at commitment 1, and shutdown. A peer whose numbers prove that
// our state is old (option_data_loss_protect) stops the channel without any broadcast.
import { equalBytes, fromHex } from '../../util/bytes.js';
import type { ChannelReestablish } from '../../wire/messages.js';
import { lookupCommitmentSecret } from '../shachain-store.js';
import { MAX_COMMITMENT_NUMBER } from '../shachain.js';
import type { Draft } from './draft.js';
import { rebuildCommitmentSigned, revokeAndAckMessage, signIfNeeded } from './commit.js';
import { funderSide } from './commitments.js';
import { addMessage, removalMessage, reverseUncommittedRemote } from './updates.js';
import { channelReadyMessage } from './establish.js';
import { resetNegotiation, shutdownMessage } from './close.js';
import { failChannel } from './fail.js';
import type { CtnPair, HtlcRecord, Side } from './types.js';
import { protocolWarning } from './errors.js';

const ZERO32 = new Uint8Array(32);

/** States in which the channel still talks to the peer after a reconnection. */
export function isLive(state: Draft['record']['state']): boolean {
  return state === 'AWAITING_LOCKIN' || state === 'NORMAL' || state === 'SHUTDOWN' || state === 'NEGOTIATING';
}

export function reestablishMessage(d: Draft): ChannelReestablish {
  const r = d.record;
  const secret = r.remote_ctn > 0 ? lookupCommitmentSecret(r.remote_secrets, BigInt(r.remote_ctn - 1)) : ZERO32;
  return {
    type: 'channel_reestablish',
    channel_id: fromHex(d.channelId),
    next_commitment_number: BigInt(r.local_ctn + 1),
    next_revocation_number: BigInt(r.remote_ctn),
    your_last_per_commitment_secret: secret ?? ZERO32,
    my_current_per_commitment_point: d.signer.point(r.local_ctn),
    tlvs: {},
  };
}

export function onDisconnect(d: Draft): void {
  d.connection = 'disconnected';
  if (!d.persisted) {
    if (d.record.state !== 'ABORTED') failChannel(d, 'disconnected during channel establishment', { by: 'remote' });
    return;
  }
  reverseUncommittedRemote(d);
  resetNegotiation(d);
}

export function onConnect(d: Draft): void {
  if (!d.persisted) return onDisconnect(d);
  reverseUncommittedRemote(d);
  resetNegotiation(d);
  const s = d.record.state;
  if (isLive(s) || s === 'DATA_LOSS') {
    d.connection = 'awaiting_reestablish';
    // Even after a data loss we tell the peer our (old) numbers: that is how it learns to close.
    d.out(reestablishMessage(d));
  } else {
    d.connection = 'disconnected';
  }
}

function ours(d: Draft, select: (at: CtnPair) => boolean): HtlcRecord[][] {
  const adds: HtlcRecord[] = [];
  const removals: HtlcRecord[] = [];
  for (const h of d.htlcs.values()) {
    if (h.offerer === 'local' && select(h.added)) adds.push(h);
    if (h.offerer === 'remote' && h.removal && select(h.removal.at)) removals.push(h);
  }
  adds.sort((a, b) => a.id - b.id);
  removals.sort((a, b) => a.id - b.id);
  return [adds, removals];
}

/** Sends our updates selected by their remote ctn: adds (id order), removals, fee updates. */
function resendUpdates(d: Draft, select: (at: CtnPair) => boolean): void {
  const [adds, removals] = ours(d, select);
  for (const h of adds!) d.out(addMessage(d.channelId, h));
  for (const h of removals!) d.out(removalMessage(d.channelId, h, h.removal!));
  const local: Side = 'local';
  if (funderSide(d.record) === local) {
    for (const f of d.record.fee_updates) if (select(f.at)) d.out({ type: 'update_fee', channel_id: fromHex(d.channelId), feerate_per_kw: f.feerate_per_kw });
  }
}

export function receiveReestablish(d: Draft, m: ChannelReestablish): void {
  if (d.connection === 'disconnected') onConnect(d);
  if (d.connection === 'active') throw protocolWarning('unexpected channel_reestablish');
  const r = d.record;
  if (r.state === 'DATA_LOSS') {
    d.out({ type: 'error', channel_id: fromHex(d.channelId), data: new TextEncoder().encode('we lost channel state: please close the channel') });
    return;
  }
  if (d.connection !== 'awaiting_reestablish') return;
  const N = m.next_commitment_number;
  const R = m.next_revocation_number;
  const lc = BigInt(r.local_ctn);
  const rc = BigInt(r.remote_ctn);

  // option_data_loss_protect: their claim of our last revealed secret.
  const claimOk =
    R === 0n ? equalBytes(m.your_last_per_commitment_secret, ZERO32) : R - 1n <= MAX_COMMITMENT_NUMBER && equalBytes(m.your_last_per_commitment_secret, d.signer.revealSecret(Number(R - 1n)));
  if (R > lc) {
    const why = claimOk
      ? `peer proved it received our revocation ${R - 1n} but we are at commitment ${lc}: we lost data`
      : `peer claims next_revocation_number ${R} beyond our commitment ${lc} with a wrong secret`;
    return failChannel(d, why, { by: 'local', dataLoss: true });
  }
  if (!claimOk) return failChannel(d, `your_last_per_commitment_secret for ${R - 1n} does not match`, { by: 'local', dataLoss: true });
  const maxN = rc + (r.awaiting_revoke ? 2n : 1n);
  if (N > maxN) return failChannel(d, `peer has commitment ${N - 1n} that we never signed: we lost data`, { by: 'local', dataLoss: true });
  if (N < rc + 1n) return failChannel(d, `peer is behind: next_commitment_number ${N}, expected ${rc + 1n}`, { by: 'local' });
  if (R + 1n < lc) return failChannel(d, `peer is behind: next_revocation_number ${R}, expected ${lc}`, { by: 'local' });

  d.connection = 'active';
  if (r.ready_sent && lc === 0n && N === 1n) d.out(channelReadyMessage(d));
  const resendRevoke = R + 1n === lc;
  const resendCommit = r.awaiting_revoke && N === rc + 1n;
  const commitFirst = resendRevoke && resendCommit && r.last_sent === 'revoke_and_ack';
  const m1 = r.remote_ctn + 1;
  const retransmitCommit = (): void => {
    resendUpdates(d, (at) => at.remote === m1);
    d.out(rebuildCommitmentSigned(d));
  };
  if (commitFirst) retransmitCommit();
  if (resendRevoke) d.out(revokeAndAckMessage(d));
  if (resendCommit && !commitFirst) retransmitCommit();
  if (r.closing.shutdown_sent) d.out(shutdownMessage(d));
  // Our updates no commitment_signed covered: the peer forgot them; propose them again as they were.
  resendUpdates(d, (at) => at.remote === null);
  d.emit({ type: 'reestablished', channel_id: d.channelId });
  signIfNeeded(d);
}
