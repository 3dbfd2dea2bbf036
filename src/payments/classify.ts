// Turning a failed HTLC into Core Lightning's failure report (spec F-2…F-5): the RPC code
// (202/203/204), the routing-failure object (who erred, on which channel, in which direction) and
// the detail text, exactly as lightningd's payment_failed / remote_routing_failure derive them.
import { PAY_DESTINATION_PERM_FAIL, PAY_TRY_OTHER_ROUTE, PAY_UNPARSEABLE_ONION } from '../rpc/errors.js';
import { concatBytes, u16be } from '../util/bytes.js';
import { BADONION, PERM, failcodeDisplay } from './failcodes.js';
import { nodeIdDirection, type RoutingFailure } from './format.js';
import type { HtlcOutcome, PaymentRow } from './types.js';

export type Classified = {
  /** 202, 203 or 204. */
  readonly code: number;
  /** Routing failure; absent when the reply onion could not be decoded. */
  readonly fail?: RoutingFailure;
  /** `<detail>` of "failed: NAME (<detail>)". */
  readonly detail?: string;
  /** The reply onion as received: shown live as `onionreply` when the code is 202. */
  readonly reply_onion?: Uint8Array;
};

type FailureOutcome = Exclude<HtlcOutcome, { kind: 'fulfilled' } | { kind: 'unknown' }>;

/** The failure message's type: its first two bytes (CLN's fromwire_peektype; 0 if too short). */
export function peekFailcode(message: Uint8Array): number {
  return message.length < 2 ? 0 : (message[0]! << 8) | message[1]!;
}

/** An error attributed to route position k (0 = the first hop's node). */
function remoteFailure(
  row: PaymentRow,
  k: number,
  message: Uint8Array,
  ownNodeId: string,
): { code: number; fail: RoutingFailure } {
  const failcode = peekFailcode(message);
  const nodes = row.route_nodes;
  const channels = row.route_channels;
  // Without the route (e.g. a raw-onion send) nothing can be attributed; assume it was not terminal.
  if (nodes === undefined || channels === undefined || k < 0 || k >= nodes.length) {
    return { code: PAY_TRY_OTHER_ROUTE, fail: { erring_index: k + 1, failcode, raw_message: message } };
  }
  if (k === nodes.length - 1) {
    // The destination itself: if any channel is to blame, it is the last one.
    // Direction on that channel: from the previous node, or from us for a single-hop route.
    const from = k === 0 ? ownNodeId : nodes[k - 1]!;
    const code =
      (failcode & BADONION) !== 0 ? PAY_UNPARSEABLE_ONION : (failcode & PERM) !== 0 ? PAY_DESTINATION_PERM_FAIL : PAY_TRY_OTHER_ROUTE;
    return {
      code,
      fail: {
        erring_index: k + 1,
        failcode,
        erring_node: nodes[k]!,
        erring_channel: channels[k]!,
        erring_direction: nodeIdDirection(from, nodes[k]!),
        raw_message: message,
      },
    };
  }
  // An intermediate node: the channel to blame is the one it should have forwarded over. A
  // BADONION code is reported on behalf of the next node, which could not read its onion.
  return {
    code: PAY_TRY_OTHER_ROUTE,
    fail: {
      erring_index: k + 1,
      failcode,
      erring_node: (failcode & BADONION) !== 0 ? nodes[k + 1]! : nodes[k]!,
      erring_channel: channels[k + 1]!,
      erring_direction: nodeIdDirection(nodes[k]!, nodes[k + 1]!),
      raw_message: message,
    },
  };
}

/** Classify a failure of `row` (still pending). `ownNodeId` is ours, for local failures. */
export function classifyFailure(row: PaymentRow, outcome: FailureOutcome, ownNodeId: string): Classified {
  switch (outcome.kind) {
    case 'local': {
      const nodes = row.route_nodes;
      const channels = row.route_channels;
      const known = nodes !== undefined && channels !== undefined && nodes.length > 0;
      return {
        code: PAY_TRY_OTHER_ROUTE,
        fail: {
          erring_index: 0,
          failcode: outcome.failcode,
          erring_node: ownNodeId,
          ...(known ? { erring_channel: channels[0]!, erring_direction: nodeIdDirection(ownNodeId, nodes[0]!) } : {}),
        },
        detail: `${failcodeDisplay(outcome.failcode)}: ${outcome.reason}`,
      };
    }
    case 'malformed': {
      // CLN synthesises the failure message the peer would have sent (code + sha256_of_onion) and
      // treats it as coming from position 0 with detail "local failure".
      const message = concatBytes(u16be(outcome.failure_code), outcome.sha256_of_onion);
      return { ...remoteFailure(row, 0, message, ownNodeId), detail: 'local failure' };
    }
    case 'unparseable':
      return { code: PAY_UNPARSEABLE_ONION, detail: 'reply from remote', reply_onion: outcome.reply_onion };
    case 'remote':
      return { ...remoteFailure(row, outcome.origin_index, outcome.message, ownNodeId), detail: 'reply from remote', reply_onion: outcome.reply_onion };
  }
}
