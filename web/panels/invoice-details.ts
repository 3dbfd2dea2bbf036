// A decoded BOLT 11 invoice as a definition list: what a person checks before paying (amount,
// description, who is paid, until when) and what the route is built from (route hints, final CLTV).
// Screen readers get one sentence (invoiceSummary, through the page's announcer), not the list.
import { definitionList, h } from '../dom.js';
import { formatExpiry, formatMsat, formatMsatExact, formatUnixTime, nodeLabel, shortId, type NodeNames } from '../format.js';
import type { InvoiceView, RouteHintHopView } from '../rpc-views.js';

function hintText(hint: readonly RouteHintHopView[], names: NodeNames): string {
  return hint
    .map((hop) => `${nodeLabel(hop.pubkey, names)} over ${hop.short_channel_id} (fee ${formatMsat(hop.fee_base_msat)} + ${hop.fee_proportional_millionths} ppm, CLTV delta ${hop.cltv_expiry_delta})`)
    .join(' → ');
}

export function invoiceDetails(inv: InvoiceView, names: NodeNames, nowSeconds: number): HTMLDListElement {
  const amount =
    inv.amount_msat === undefined ? 'Any amount (you choose)' : h('span', { title: formatMsatExact(inv.amount_msat) }, formatMsat(inv.amount_msat));
  const description = inv.description ?? (inv.description_hash === undefined ? '—' : `(hash of a description: ${shortId(inv.description_hash)})`);
  const expiresAt = inv.created_at + inv.expiry;
  const expired = expiresAt <= nowSeconds;
  const hints =
    inv.routes.length === 0
      ? 'None (the payee must be reachable directly)'
      : h('ol', { class: 'hints' }, ...inv.routes.map((r) => h('li', {}, hintText(r, names))));
  return definitionList(
    [
      ['Amount', amount],
      ['Description', description],
      ['Payee', h('span', { title: inv.payee }, nodeLabel(inv.payee, names))],
      ['Expiry', h('span', { class: expired ? 'warn' : undefined }, `${formatExpiry(inv.created_at, inv.expiry, nowSeconds)} (${formatUnixTime(expiresAt)})`)],
      ['Route hints', hints],
      ['Final CLTV', `${inv.min_final_cltv_expiry} blocks`],
      ['Payment hash', h('code', { class: 'hex' }, inv.payment_hash)],
    ],
    'invoice-details',
  );
}

/** One line for the announcer: "Invoice decoded: 10,000 sat to shop, “A cup of coffee”, expires in 1 h." */
export function invoiceSummary(inv: InvoiceView, names: NodeNames, nowSeconds: number): string {
  const amount = inv.amount_msat === undefined ? 'any amount' : formatMsat(inv.amount_msat);
  const payee = names.get(inv.payee.toLowerCase()) ?? `node ${shortId(inv.payee)}`;
  const description = inv.description === undefined || inv.description === '' ? '' : `, “${inv.description}”`;
  return `Invoice decoded: ${amount} to ${payee}${description}, ${formatExpiry(inv.created_at, inv.expiry, nowSeconds)}.`;
}
