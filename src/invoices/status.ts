// Invoice status at a given time, and the expiry transition Core Lightning's expiration timer
// performs (state → expired, updated_index bumped). Reads never depend on that timer having run.
import { withUpdate, type InvoiceCounters, type InvoiceIndexBump, type InvoiceRecord, type InvoiceStatus } from './record.js';

/** Status at `now` (unix seconds): unpaid invoices expire at expires_at (<=, as Core Lightning's SQL). */
export function effectiveStatus(r: InvoiceRecord, now: number): InvoiceStatus {
  return r.status === 'unpaid' && r.expires_at <= now ? 'expired' : r.status;
}

export interface ExpiryResult {
  readonly records: InvoiceRecord[];
  readonly counters: InvoiceCounters;
  readonly bumps: InvoiceIndexBump[];
}

/** Marks every stored-unpaid invoice past its expiry as expired, in the order given. */
export function expireDue(records: readonly InvoiceRecord[], now: number, counters: InvoiceCounters): ExpiryResult {
  let c = counters;
  const out: InvoiceRecord[] = [];
  const bumps: InvoiceIndexBump[] = [];
  for (const r of records) {
    if (r.status !== 'unpaid' || r.expires_at > now) continue;
    const u = withUpdate(r, { status: 'expired' }, c);
    c = u.counters;
    out.push(u.record);
    // Core Lightning passes no details but the state here ("FIXME: details!").
    bumps.push({ subsystem: 'invoices', index: 'updated', value: c.updated, details: { status: 'expired' } });
  }
  return { records: out, counters: c, bumps };
}

/** When the runtime's single expiry timer should fire next (unix seconds), if any invoice is unpaid. */
export function nextExpiry(records: readonly InvoiceRecord[]): number | undefined {
  let next: number | undefined;
  for (const r of records) if (r.status === 'unpaid' && (next === undefined || r.expires_at < next)) next = r.expires_at;
  return next;
}
