// The route the page built, shown the way sendpay reads it: one row per hop with the node, the
// channel into it, what it receives and its CLTV delay; plus the total fee and any warnings.
import { append, cell, h, tableRow } from '../dom.js';
import { formatMsat, formatMsatExact, nodeLabel, type NodeNames } from '../format.js';
import type { BuiltRoute } from '../route.js';

export function routeTable(r: BuiltRoute, names: NodeNames): HTMLElement {
  const rows = r.route.map((hop, i) => {
    const next = r.route[i + 1];
    const fee = next === undefined ? undefined : hop.amount_msat - next.amount_msat;
    return tableRow(
      {},
      cell('Hop', {}, String(i + 1)),
      cell('Node', {}, nodeLabel(hop.id, names)),
      cell('Channel in', {}, h('code', {}, hop.channel)),
      cell('Receives', { class: 'num', title: formatMsatExact(hop.amount_msat) }, formatMsat(hop.amount_msat)),
      cell('Its fee', { class: 'num' }, fee === undefined ? '—' : formatMsat(fee)),
      cell('Delay', { class: 'num' }, String(hop.delay)),
    );
  });
  const table = h(
    'table',
    { class: 'cards route-table', role: 'table' },
    h('caption', {}, 'Route for sendpay (hop i: the channel into node i, the amount node i receives, the CLTV delay at node i)'),
    h(
      'thead',
      { role: 'rowgroup' },
      h('tr', { role: 'row' }, ...['Hop', 'Node', 'Channel in', 'Receives', 'Its fee', 'Delay'].map((t) => h('th', { scope: 'col', role: 'columnheader' }, t))),
    ),
    h('tbody', { role: 'rowgroup' }, ...rows),
  );
  const box = h('div', { class: 'route' }, table, h('p', {}, `You send ${formatMsat(r.route[0]!.amount_msat)}: ${formatMsat(r.amount_msat)} to the payee + ${formatMsat(r.fee_msat)} in fees.`));
  if (r.warnings.length > 0) append(box, h('ul', { class: 'warnings' }, ...r.warnings.map((w) => h('li', {}, w))));
  return box;
}
