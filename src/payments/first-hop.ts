// Choosing the channel for the first hop (spec T-1) and the two synchronous 204 errors that create
// no payment row (§3.1 rows 22–23).
import { PAY_TRY_OTHER_ROUTE, RpcError } from '../rpc/errors.js';
import { WIRE_UNKNOWN_NEXT_PEER } from './failcodes.js';
import { failureData, failureMessage, nodeIdDirection } from './format.js';
import type { FirstHopChannel } from './types.js';

/**
 * CLN's find_channel_for_htlc_add: among the channels with the hop's peer, the one whose real scid
 * matches, else whose local alias matches (either only if it can take an HTLC), else — only for
 * the all-zero selector 0x0x0 — the first usable channel with our_msat strictly above `final`.
 */
export function findFirstHopChannel(
  channels: readonly FirstHopChannel[],
  peerId: string,
  selector: bigint,
  final: bigint,
): FirstHopChannel | undefined {
  const mine = channels.filter((c) => c.peer_id === peerId);
  const byScid = mine.find((c) => c.scid === selector);
  if (byScid?.can_add_htlc) return byScid;
  const byAlias = mine.find((c) => c.local_alias === selector);
  if (byAlias?.can_add_htlc) return byAlias;
  // As in CLN, "any channel" applies only when the alias lookup found nothing at all.
  if (byAlias === undefined && selector === 0n) {
    return mine.find((c) => c.can_add_htlc && c.our_msat > final);
  }
  return undefined;
}

/** Row 22: no peer, or no usable channel with it. */
export function noConnectionError(ownNodeId: string): RpcError {
  const data = failureData(undefined, PAY_TRY_OTHER_ROUTE, undefined, {
    erring_index: 0,
    failcode: WIRE_UNKNOWN_NEXT_PEER,
    erring_node: ownNodeId,
  });
  return new RpcError(PAY_TRY_OTHER_ROUTE, 'No connection to first peer found', data);
}

/** Row 23: the channel refused the HTLC synchronously (typically its peer is not connected). */
export function firstPeerNotReadyError(ownNodeId: string, channel: FirstHopChannel, failcode: number): RpcError {
  const scid = channel.scid ?? channel.local_alias;
  const data = failureData(undefined, PAY_TRY_OTHER_ROUTE, undefined, {
    erring_index: 0,
    failcode,
    erring_node: ownNodeId,
    ...(scid === undefined ? {} : { erring_channel: scid, erring_direction: nodeIdDirection(ownNodeId, channel.peer_id) }),
  });
  return new RpcError(PAY_TRY_OTHER_ROUTE, failureMessage(PAY_TRY_OTHER_ROUTE, failcode, 'First peer not ready'), data);
}
