// The payments table's filter form → listsendpays params. Only the page's own input rules are
// checked here (whole numbers, which box the text belongs to); Core Lightning judges the rest.
// Start and Limit page through an index: without one the form disables them, so whatever they
// still hold is not sent (Core Lightning would answer "Can only specify {start} with {index}").
import { isHex } from '../src/util/bytes.js';

export interface PaymentsFilter {
  status: string;
  /** A payment_hash (64 hex) or a bolt11 invoice: the page tells which. */
  hashOrInvoice: string;
  index: string;
  start: string;
  limit: string;
}

export type ListParams = { ok: true; params: Record<string, unknown> } | { ok: false; reason: string };

const STATUSES = ['pending', 'complete', 'failed'];
const INDEXES = ['created', 'updated'];

export function listsendpaysParams(f: PaymentsFilter): ListParams {
  const params: Record<string, unknown> = {};
  const key = f.hashOrInvoice.trim();
  if (key !== '') {
    if (isHex(key, 32)) params.payment_hash = key.toLowerCase();
    else params.bolt11 = key;
  }
  if (f.status !== '') {
    if (!STATUSES.includes(f.status)) return { ok: false, reason: `Unknown status "${f.status}".` };
    params.status = f.status;
  }
  if (f.index === '') return { ok: true, params };
  if (!INDEXES.includes(f.index)) return { ok: false, reason: `Unknown index "${f.index}".` };
  params.index = f.index;
  const start = f.start.trim();
  if (start !== '') {
    if (!/^[0-9]{1,20}$/.test(start) || BigInt(start) > 0xffffffffffffffffn) return { ok: false, reason: 'Start must be a whole number (up to 18446744073709551615).' };
    params.start = BigInt(start);
  }
  const limit = f.limit.trim();
  if (limit !== '') {
    if (!/^[0-9]{1,10}$/.test(limit) || Number(limit) > 0xffffffff) return { ok: false, reason: 'Limit must be a whole number.' };
    params.limit = Number(limit);
  }
  return { ok: true, params };
}
