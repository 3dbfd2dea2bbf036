// The dispatcher: runs one transition on a Draft and turns whatever a handler throws while
// processing peer data into the BOLT 2 answer (error + failed channel, or warning + disconnect),
// so no exception caused by a peer ever reaches the runtime.
import { fromHex, fromUtf8, utf8 } from '../../util/bytes.js';
import { isLightningError } from '../../errors.js';
import type { WireMessage } from '../../wire/messages.js';
import { Draft } from './draft.js';
import { receiveCommitmentSigned, receiveRevokeAndAck } from './commit.js';
import { receiveAdd, receiveFail, receiveFailMalformed, receiveFulfill, receiveUpdateFee } from './updates.js';
import { receiveAccept, receiveChannelReady, receiveFundingCreated, receiveFundingSigned } from './funding-flow.js';
import { maybeSendShutdown, maybeStartNegotiation, receiveClosingSigned, receiveShutdown } from './close.js';
import { isLive, receiveReestablish } from './reestablish.js';
import { failChannel } from './fail.js';
import type { Channel, Step } from './types.js';
import { ChannelStateError, protocolWarning } from './errors.js';

/** Work every transition ends with: a deferred shutdown, the start of fee negotiation. */
function afterStep(d: Draft): void {
  if (!d.persisted || !isLive(d.record.state)) return;
  maybeSendShutdown(d);
  maybeStartNegotiation(d);
}

/** Runs a local command: errors are the caller's (thrown as is), the channel is unchanged. */
export function runCommand(ch: Channel, fn: (d: Draft) => void): Step {
  const d = new Draft(ch);
  fn(d);
  afterStep(d);
  return d.finish();
}

function describe(e: unknown): string {
  // Our error messages never contain secrets; raw exceptions are bugs and are not echoed to the peer.
  return isLightningError(e) ? e.message : 'internal error';
}

/** Runs a handler of peer input; anything thrown becomes the protocol answer. */
export function runPeer(ch: Channel, fn: (d: Draft) => void): Step {
  const d = new Draft(ch);
  try {
    fn(d);
    afterStep(d);
    return d.finish();
  } catch (e) {
    const f = new Draft(ch);
    if (e instanceof ChannelStateError && e.code === 'PROTOCOL_WARNING') {
      f.out({ type: 'warning', channel_id: fromHex(f.channelId), data: utf8(e.message) });
      f.emit({ type: 'disconnect', channel_id: f.channelId, reason: e.message });
      return f.finish();
    }
    failChannel(f, describe(e), { by: 'local' });
    return f.finish();
  }
}

const TERMINAL = new Set(['ABORTED', 'CLOSING_COMPLETE', 'FORCE_CLOSED', 'ONCHAIN']);

function dispatch(d: Draft, m: WireMessage): void {
  const state = d.record.state;
  if (m.type === 'error') {
    if (TERMINAL.has(state) || state === 'DATA_LOSS') return;
    return failChannel(d, `peer sent error: ${fromUtf8(m.data, false)}`, { by: 'remote' });
  }
  if (m.type === 'warning') {
    d.emit({ type: 'warning_received', channel_id: d.channelId, message: fromUtf8(m.data, false) });
    return;
  }
  if (TERMINAL.has(state)) return;
  if (m.type === 'channel_reestablish') return receiveReestablish(d, m);
  if (state === 'DATA_LOSS') return;
  if (d.connection !== 'active') throw protocolWarning(`${m.type} before channel_reestablish`);
  switch (m.type) {
    case 'accept_channel':
      return receiveAccept(d, m);
    case 'funding_created':
      return receiveFundingCreated(d, m);
    case 'funding_signed':
      return receiveFundingSigned(d, m);
    case 'channel_ready':
      return receiveChannelReady(d, m);
    case 'update_add_htlc':
      return receiveAdd(d, m);
    case 'update_fulfill_htlc':
      return receiveFulfill(d, m);
    case 'update_fail_htlc':
      return receiveFail(d, m);
    case 'update_fail_malformed_htlc':
      return receiveFailMalformed(d, m);
    case 'update_fee':
      return receiveUpdateFee(d, m);
    case 'commitment_signed':
      return receiveCommitmentSigned(d, m);
    case 'revoke_and_ack':
      return receiveRevokeAndAck(d, m);
    case 'shutdown':
      return receiveShutdown(d, m);
    case 'closing_signed':
      return receiveClosingSigned(d, m);
    default:
      // Gossip (announcement_signatures), quiescence, splicing, simple close: not supported, ignored.
      return;
  }
}

/** Feeds one peer message (already routed by channel_id / temporary_channel_id) to the channel. */
export function receiveMessage(ch: Channel, m: WireMessage): Step {
  return runPeer(ch, (d) => dispatch(d, m));
}
