// The reconciliation of a new sendpay with the earlier attempts for the same payment hash (CLN's
// check_progress; spec §3.1 rows 10–20, rules P-4…P-10, A-2…A-4). One scan over the rows in id
// order; the first condition met wins, so message choice can depend on row order, as in CLN.
import {
  JSONRPC2_INVALID_PARAMS,
  LIGHTNINGD,
  PAY_IN_PROGRESS,
  PAY_RHASH_ALREADY_USED,
  RpcError,
} from '../rpc/errors.js';
import { fmtMsat } from '../rpc/msat.js';
import { U64_MAX } from '../types.js';
import type { PaymentRow } from './types.js';

export type ProgressInput = {
  readonly payment_hash: string;
  readonly partid: bigint;
  readonly groupid: bigint;
  /** Amount delivered by this attempt (last hop). */
  readonly final: bigint;
  /** MPP total (`amount_msat`, else final). */
  readonly total: bigint;
  readonly destination?: string;
};

export type ProgressResult =
  | { readonly kind: 'clear' }
  | { readonly kind: 'error'; readonly error: RpcError }
  /** P-8: this part already succeeded identically: answer with the stored row. */
  | { readonly kind: 'complete'; readonly row: PaymentRow }
  /** P-6: this very attempt is already pending identically: answer with it, send nothing. */
  | { readonly kind: 'pending'; readonly row: PaymentRow };

const err = (code: number, message: string): ProgressResult => ({ kind: 'error', error: new RpcError(code, message) });

function destinationsDiffer(stored: string | undefined, given: string | undefined): boolean {
  return stored !== undefined && given !== undefined && stored !== given;
}

/** `rows`: every row of the payment hash, in created_index order. */
export function checkProgress(rows: readonly PaymentRow[], p: ProgressInput): ProgressResult {
  let haveComplete = false;
  let pendingSum = 0n;

  for (const row of rows) {
    if (row.status === 'complete') {
      haveComplete = true;
      // A complete part with another partid does not stop the scan (nor hit the key check below).
      if (row.partid !== p.partid) continue;
      if (row.amount_msat !== p.final) {
        return err(PAY_RHASH_ALREADY_USED, `Already succeeded with amount ${fmtMsat(row.amount_msat)} (not ${fmtMsat(p.final)})`);
      }
      if (destinationsDiffer(row.destination, p.destination)) {
        return err(PAY_RHASH_ALREADY_USED, `Already succeeded to ${row.destination}`);
      }
      return { kind: 'complete', row };
    }

    if (row.status === 'pending') {
      // At most one group may be in flight.
      if (row.groupid !== p.groupid) {
        return err(PAY_IN_PROGRESS, `Payment with groupid=${row.groupid} still in progress, cannot retry before that completes.`);
      }
      // No mixing of MPP (partid≠0) and single-part attempts; named after the existing row.
      if ((row.partid === 0n) !== (p.partid === 0n)) {
        return err(PAY_IN_PROGRESS, `Already have ${row.partid !== 0n ? 'parallel' : 'non-parallel'} payment in progress`);
      }
      if (row.partid === p.partid) {
        if (row.amount_msat !== p.final) {
          return err(PAY_RHASH_ALREADY_USED, `Already pending with amount ${fmtMsat(row.amount_msat)} (not ${fmtMsat(p.final)})`);
        }
        if (destinationsDiffer(row.destination, p.destination)) {
          return err(PAY_RHASH_ALREADY_USED, `Already pending to ${row.destination}`);
        }
        return { kind: 'pending', row };
      }
      // Every part of a group promises the same total in its onion.
      if (row.total_msat !== p.total) {
        return err(JSONRPC2_INVALID_PARAMS, `msatoshi was previously ${fmtMsat(row.total_msat)}, now ${fmtMsat(p.total)}`);
      }
      if (pendingSum + row.amount_msat > U64_MAX) {
        return err(LIGHTNINGD, `Internal amount overflow! ${fmtMsat(pendingSum)} + ${fmtMsat(row.amount_msat)}`);
      }
      pendingSum += row.amount_msat;
    }

    // (payment_hash, partid, groupid) is the table's unique key: report a collision early.
    if (row.partid === p.partid && row.groupid === p.groupid) {
      return err(
        PAY_RHASH_ALREADY_USED,
        `There already is a payment with payment_hash=${p.payment_hash}, groupid=${p.groupid}, partid=${p.partid}. Either change the partid, or wait for the payment to complete and start a new group.`,
      );
    }
  }

  if (haveComplete) return err(PAY_RHASH_ALREADY_USED, 'Already succeeded other parts');

  // BOLT 4: no new HTLC once the set already reaches total_msat. Only the already-pending parts are
  // summed (the new part is not added), so the last part may overshoot; 0-value sends are exempt.
  if (p.total !== 0n && pendingSum >= p.total) {
    return err(PAY_IN_PROGRESS, `Already have ${fmtMsat(pendingSum)} of ${fmtMsat(p.total)} payments in progress`);
  }
  return { kind: 'clear' };
}
