// waitsendpay's answer from a stored row (spec W-2, §3.2): complete → the payment object; failed →
// the error rebuilt from the stored failure info (now showing the failed row, with raw_message
// since CLN persists it); no reason stored → 209.
import { PAY_UNPARSEABLE_ONION, PAY_UNSPECIFIED_ERROR, RpcError, failWith, ok, type Outcome } from '../rpc/errors.js';
import { failureData, failureMessage, formatPayment, type PaymentObject, type RoutingFailure } from './format.js';
import type { PaymentRow } from './types.js';

/** The outcome a settled row replays as; undefined while the row is still pending. */
export function replayOutcome(row: PaymentRow): Outcome<PaymentObject> | undefined {
  if (row.status === 'pending') return undefined;
  if (row.status === 'complete') return ok(formatPayment(row));

  const f = row.fail;
  if (f === undefined || (f.onionreply === undefined && f.erring_node === undefined)) {
    return failWith(new RpcError(PAY_UNSPECIFIED_ERROR, 'Payment failure reason unknown'));
  }
  if (f.onionreply !== undefined) {
    return failWith(
      new RpcError(PAY_UNPARSEABLE_ONION, 'Malformed error reply', failureData(row, PAY_UNPARSEABLE_ONION, f.onionreply, undefined)),
    );
  }
  const routing: RoutingFailure = {
    erring_index: f.erring_index ?? 0,
    failcode: f.failcode ?? 0,
    ...(f.erring_node === undefined ? {} : { erring_node: f.erring_node }),
    ...(f.erring_channel === undefined ? {} : { erring_channel: f.erring_channel, erring_direction: f.erring_direction ?? 0 }),
    ...(f.raw_message === undefined ? {} : { raw_message: f.raw_message }),
  };
  // The routing object (not an onion) is replayed even for a 202: that is quirk F-8.
  return failWith(
    new RpcError(f.rpc_code, failureMessage(f.rpc_code, routing.failcode, f.detail), failureData(row, f.rpc_code, undefined, routing)),
  );
}
