// Reconnection. On disconnect the peer's uncommitted updates are reversed (ours stay in the log and
// are proposed again); on reconnect both sides exchange channel_reestablish and retransmit what the
// other missed: our revoke_and_ack and/or our last commitment_signed with its updates, in the order
// they were first sent, channel_ready at commitment 1, and shutdown. A peer whose numbers prove that
// our state is old (option_data_loss_protect) stops the channel without any broadcast.
import { equalBytes, fromHex } from '../../util/bytes.js';
import type { ChannelReestablish, WireMessage } from '../../wire/messages.js';
import { lookupCommitmentSecret } from '../shachain-store.js';
import { MAX_COMMITMENT_NUMBER } from '../shachain.js';
import type { Draft } from './draft.js';
import { rebuildCommitmentSigned, revokeAndAckMessage, signIfNeeded } from './commit.js';
import { funderSide } from './commitments.js';
import { addMessage, removalMessage, reverseUncommittedRemote } from './updates.js';
import { channelReadyMessage } from './funding-flow.js';
import { resetNegotiation, shutdownMessage } from './close.js';
import { failChannel } from './fail.js';
import type { CtnPair } from './types.js';
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
  // Already (re)connecting or connected, e.g. the peer's channel_reestablish came first.
  if (d.connection !== 'disconnected') return;
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

type Replay = { seq: number; msg: WireMessage };

/** Our updates selected by their CtnPair, each with its position in our original sequence. */
function updatesToReplay(d: Draft, select: (at: CtnPair) => boolean): Replay[] {
  const out: Replay[] = [];
  for (const h of d.htlcs.values()) {
    if (h.offerer === 'local' && select(h.added)) out.push({ seq: h.add_seq, msg: addMessage(d.channelId, h) });
    if (h.offerer === 'remote' && h.removal && select(h.removal.at)) out.push({ seq: h.removal.seq, msg: removalMessage(d.channelId, h, h.removal) });
  }
  if (funderSide(d.record) === 'local') {
    for (const f of d.record.fee_updates) {
      if (select(f.at)) out.push({ seq: f.seq, msg: { type: 'update_fee', channel_id: fromHex(d.channelId), feerate_per_kw: f.feerate_per_kw } });
    }
  }
  return out;
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
  // Everything the peer missed or forgot, replayed in the order we first sent it: the updates of
  // the commitment it did not get and that commitment_signed, our revoke_and_ack, and the updates
  // no commitment_signed covered yet. Their validity was checked against exactly that order.
  const m1 = r.remote_ctn + 1;
  const replay = updatesToReplay(d, (at) => at.remote === null || (resendCommit && at.remote === m1));
  if (resendCommit) replay.push({ seq: r.last_commit_seq, msg: rebuildCommitmentSigned(d) });
  if (resendRevoke) replay.push({ seq: r.last_revoke_seq, msg: revokeAndAckMessage(d) });
  replay.sort((x, y) => x.seq - y.seq);
  for (const x of replay) d.out(x.msg);
  // shutdown goes out only once our updates are signed, so after all of the above.
  if (r.closing.shutdown_sent) d.out(shutdownMessage(d));
  d.emit({ type: 'reestablished', channel_id: d.channelId });
  signIfNeeded(d);
}
