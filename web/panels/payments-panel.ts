// Section 5: listsendpays with its filters (status; payment_hash or bolt11; index created/updated
// with start and limit), one row per attempt. A failed row can replay its failure (waitsendpay
// with timeout 0 answers from the stored row) and show the same explanation as a live failure.
// The table is rebuilt on every payment event: a focused "Why?" button gets its focus back in
// the new table, and the row count is announced only after the person asked for it.
import { clientOf, type App } from '../app.js';
import { byId, cell, h, replaceChildren, setMessage, tableRow } from '../dom.js';
import { formatMsat, formatMsatExact, formatUnixTime, nodeLabel, shortId } from '../format.js';
import { listsendpaysParams, type PaymentsFilter } from '../listsendpays-params.js';
import { errorLine, paymentViews, rpcErrorOf, type PaymentView } from '../rpc-views.js';
import { failureView } from './failure-view.js';

function amount(label: string, v: bigint | undefined): HTMLTableCellElement {
  return cell(label, { class: 'num', title: v === undefined ? undefined : formatMsatExact(v) }, v === undefined ? '—' : formatMsat(v));
}

export function mountPaymentsPanel(app: App): void {
  const form = byId('payments-filter', HTMLFormElement);
  const index = byId('filter-index', HTMLSelectElement);
  const paging = byId('filter-paging', HTMLFieldSetElement);
  const status = byId('payments-status', HTMLElement);
  const error = byId('payments-error', HTMLElement);
  const table = byId('payments-table', HTMLTableElement);
  const body = byId('payments-body', HTMLTableSectionElement);
  const why = byId('payments-why', HTMLElement);

  // The paging fields are disabled exactly when no index is chosen (syncPaging), and then
  // listsendpaysParams leaves out whatever text they still hold.
  const filter = (): PaymentsFilter => ({
    status: byId('filter-status', HTMLSelectElement).value,
    hashOrInvoice: byId('filter-hash', HTMLInputElement).value,
    index: index.value,
    start: byId('filter-start', HTMLInputElement).value,
    limit: byId('filter-limit', HTMLInputElement).value,
  });

  async function explain(p: PaymentView, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const params: Record<string, unknown> = { payment_hash: p.payment_hash, groupid: p.groupid, timeout: 0 };
      if (p.partid !== undefined) params.partid = p.partid;
      await clientOf(app).waitsendpay(params);
      replaceChildren(why, h('p', {}, 'This attempt did not fail after all (it completed).'));
    } catch (e) {
      const err = rpcErrorOf(e);
      replaceChildren(
        why,
        h('h3', { id: 'payments-why-h', tabindex: '-1' }, `Why attempt ${p.created_index} failed`),
        err === undefined ? h('p', { class: 'error' }, errorLine(e)) : failureView(err, { selfId: app.selfId, names: app.names }),
      );
      why.querySelector<HTMLElement>('#payments-why-h')?.focus();
    } finally {
      button.disabled = false;
    }
  }

  function row(p: PaymentView): HTMLTableRowElement {
    const action = p.status === 'failed' ? h('button', { type: 'button', class: 'secondary' }, 'Why?') : null;
    action?.setAttribute('aria-label', `Why did attempt ${p.created_index} fail?`);
    action?.addEventListener('click', () => void explain(p, action));
    return tableRow(
      { 'data-status': p.status, 'data-payment-hash': p.payment_hash, 'data-created-index': String(p.created_index) },
      cell('#', { class: 'num' }, String(p.created_index)),
      cell('Payment hash', {}, h('code', { title: p.payment_hash }, shortId(p.payment_hash))),
      cell('Status', {}, h('span', { class: `badge status-${p.status}` }, p.status)),
      amount('Amount', p.amount_msat),
      amount('Amount sent', p.amount_sent_msat),
      cell('To', {}, p.destination === undefined ? '—' : nodeLabel(p.destination, app.names)),
      cell('Created', {}, formatUnixTime(p.created_at)),
      cell('Completed', {}, p.completed_at === undefined ? '—' : formatUnixTime(p.completed_at)),
      cell('Part / group', {}, `${p.partid ?? 0n} / ${p.groupid}`),
      cell('Preimage', {}, p.payment_preimage === undefined ? '—' : h('code', { title: p.payment_preimage }, shortId(p.payment_preimage))),
      cell('Details', {}, action ?? '—'),
    );
  }

  /** The row of the focused control inside the table, to find it again after a rebuild. */
  function focusedRow(): { hash: string; created?: string } | undefined {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !body.contains(active)) return undefined;
    const tr = active.closest('tr');
    const hash = tr?.dataset.paymentHash;
    if (hash === undefined) return undefined;
    const created = tr?.dataset.createdIndex;
    return created === undefined ? { hash } : { hash, created };
  }

  function restoreFocus(was: { hash: string; created?: string }): void {
    const rows = [...body.querySelectorAll<HTMLTableRowElement>('tr')].filter((tr) => tr.dataset.paymentHash === was.hash);
    const same = rows.find((tr) => tr.dataset.createdIndex === was.created) ?? rows[0];
    const target = same?.querySelector<HTMLElement>('button') ?? null;
    // The row is gone (filtered out): the table itself is the nearest sensible place.
    if (target !== null) target.focus();
    else if (!table.hidden) table.focus();
  }

  /** `byPerson`: the person pressed Show payments, so the outcome is announced. */
  async function refresh(byPerson = false): Promise<void> {
    if (app.client === undefined) return;
    const f = listsendpaysParams(filter());
    if (!f.ok) {
      setMessage(error, f.reason);
      return;
    }
    try {
      const rows = paymentViews(await app.client.listsendpays(f.params));
      setMessage(error, '');
      const focus = focusedRow();
      replaceChildren(body, ...rows.map(row));
      table.hidden = rows.length === 0;
      status.textContent = rows.length === 0 ? 'No payments match.' : `${rows.length} payment attempt${rows.length === 1 ? '' : 's'}.`;
      if (focus !== undefined) restoreFocus(focus);
      if (byPerson) app.announce(status.textContent);
    } catch (e) {
      setMessage(error, errorLine(e));
    }
  }

  const syncPaging = (): void => {
    paging.disabled = index.value === '';
  };
  index.addEventListener('change', syncPaging);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void refresh(true);
  });
  app.bus.on((e) => {
    if (e.type === 'started' || e.type === 'payments-changed') void refresh();
    if (e.type === 'node' && (e.event.type === 'sendpay_success' || e.event.type === 'sendpay_failure')) void refresh();
  });
  syncPaging();
}
