// Sending one payment and watching it settle: sendpay, then waitsendpay on exactly that attempt
// (payment_hash, partid, groupid) with a Stop button that ends only the wait, and the node's
// sendpay_success / sendpay_failure events, whichever reports first. The outcome gets focus.
import type { RpcObject } from '../../src/worker/types.js';
import { clientOf, type App } from '../app.js';
import { byId, definitionList, h, replaceChildren } from '../dom.js';
import type { FailureContext } from '../failure.js';
import { formatMsat, nodeLabel } from '../format.js';
import { errorLine, errorText, paymentView, rpcErrorOf, str, u64, type PaymentView, type RpcErrorView } from '../rpc-views.js';
import { failureView } from './failure-view.js';

export interface Attempt {
  /** sendpay's named params. */
  params: Record<string, unknown>;
  /** What the page knows of the route, to name nodes and channels in a failure. */
  context: FailureContext;
}

interface Watching {
  hash: string;
  groupid: bigint;
  partid: bigint;
  settled: boolean;
  abort: AbortController;
  context: FailureContext;
  /** False once the person pressed Stop: a late result then updates the status but leaves focus alone. */
  focusOnSettle: boolean;
}

export function mountPayWatch(app: App): { send(a: Attempt): Promise<void> } {
  const section = byId('pay-result', HTMLElement);
  const heading = byId('pay-result-h', HTMLElement);
  const status = byId('pay-status', HTMLElement);
  const log = byId('pay-log', HTMLOListElement);
  const cancel = byId('pay-cancel', HTMLButtonElement);
  const outcome = byId('pay-outcome', HTMLElement);
  const idle = byId('pay-idle', HTMLElement);
  const logBox = byId('pay-log-box', HTMLElement);
  let current: Watching | undefined;

  const note = (text: string): void => {
    log.append(h('li', {}, `${new Date().toLocaleTimeString()} — ${text}`));
  };

  function setStatus(state: 'sending' | 'pending' | 'complete' | 'failed' | 'stopped', text: string): void {
    section.dataset.state = state;
    status.textContent = text;
  }

  function finish(w: Watching): void {
    w.settled = true;
    cancel.hidden = true;
    app.bus.emit({ type: 'payments-changed' });
    if (w.focusOnSettle) heading.focus();
  }

  function succeed(w: Watching, p: PaymentView | undefined, via: string): void {
    if (w !== current) return; // an older attempt: the screen shows a newer one now
    if (w.settled) return note(`${via}: complete (already shown)`);
    note(`${via}: complete`);
    const preimage = p?.payment_preimage ?? '';
    const to = p?.destination === undefined ? '' : ` to ${nodeLabel(p.destination, app.names)}`;
    const amount = p?.amount_msat === undefined ? '' : ` ${formatMsat(p.amount_msat)}`;
    const fee = p?.amount_msat === undefined ? undefined : p.amount_sent_msat - p.amount_msat;
    setStatus('complete', `Payment complete: paid${amount}${to}${fee === undefined ? '' : ` (fee ${formatMsat(fee)})`}.`);
    const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy preimage');
    copy.addEventListener('click', () => {
      void navigator.clipboard.writeText(preimage).then(
        () => app.announce('Preimage copied.'),
        () => app.announce('Could not copy: select the preimage text instead.'),
      );
    });
    replaceChildren(
      outcome,
      definitionList([
        ['Status', 'complete'],
        ['Preimage', h('code', { class: 'hex', id: 'pay-preimage' }, preimage)],
      ]),
      h('p', { class: 'help' }, 'The preimage is your proof of payment: only the payee could reveal it.'),
      preimage === '' ? null : copy,
    );
    finish(w);
  }

  function fail(w: Watching, err: RpcErrorView, via: string): void {
    if (w !== current) return;
    if (w.settled) return note(`${via}: error ${err.code} (already shown)`);
    note(`${via}: error ${err.code}`);
    // A sendpay error means no HTLC left the node; later errors are the payment's own failure.
    setStatus('failed', `${via === 'sendpay' ? 'Not sent' : 'Payment failed'}: error ${err.code}: ${err.message}`);
    replaceChildren(outcome, failureView(err, { ...w.context, selfId: app.selfId, names: app.names }));
    finish(w);
  }

  function matches(w: Watching, p: RpcObject): boolean {
    return str(p.payment_hash)?.toLowerCase() === w.hash && (u64(p.groupid) ?? 0n) === w.groupid && (u64(p.partid) ?? 0n) === w.partid;
  }

  app.bus.on((e) => {
    const w = current;
    if (w === undefined || e.type !== 'node') return;
    const ev = e.event;
    if (ev.type === 'sendpay_success' && matches(w, ev.payment)) succeed(w, paymentView(ev.payment), 'event sendpay_success');
    if (ev.type === 'sendpay_failure' && matches(w, ev.error.data)) fail(w, ev.error, 'event sendpay_failure');
  });

  cancel.addEventListener('click', () => current?.abort.abort());

  async function send(a: Attempt): Promise<void> {
    current?.abort.abort();
    const client = clientOf(app);
    // The section and its live region were on the page all along: only their content changes, so
    // screen readers announce "Sending…" (a region shown in the same tick is often not read).
    idle.hidden = true;
    logBox.hidden = false;
    replaceChildren(log);
    replaceChildren(outcome);
    cancel.hidden = true;
    setStatus('sending', 'Sending…');
    note('sendpay');
    let sent: RpcObject;
    try {
      sent = await client.sendpay(a.params);
    } catch (e) {
      const err = rpcErrorOf(e);
      const w: Watching = { hash: '', groupid: 0n, partid: 0n, settled: false, abort: new AbortController(), context: a.context, focusOnSettle: true };
      current = w;
      if (err !== undefined) return fail(w, err, 'sendpay');
      note(`sendpay: ${errorText(e)}`);
      setStatus('failed', `Could not send: ${errorLine(e)}`);
      return finish(w);
    }
    const row = paymentView(sent);
    const w: Watching = {
      hash: row?.payment_hash.toLowerCase() ?? '',
      groupid: row?.groupid ?? 0n,
      partid: row?.partid ?? 0n,
      settled: false,
      abort: new AbortController(),
      context: a.context,
      focusOnSettle: true,
    };
    current = w;
    const message = str(sent.message);
    note(`sendpay: ${row?.status ?? 'unreadable result'}${message === undefined ? '' : ` — “${message}”`}${row === undefined ? '' : ` (created_index ${row.created_index}, groupid ${row.groupid})`}`);
    if (row?.status === 'complete') return succeed(w, row, 'sendpay');
    app.bus.emit({ type: 'payments-changed' });
    setStatus('pending', 'Pending: the payment is on its way; waiting for the result…');
    cancel.hidden = false;
    const waitParams: Record<string, unknown> = { payment_hash: w.hash, groupid: w.groupid };
    if (w.partid !== 0n) waitParams.partid = w.partid;
    note('waitsendpay');
    try {
      const done = await client.waitsendpay(waitParams, { signal: w.abort.signal });
      succeed(w, paymentView(done), 'waitsendpay');
    } catch (e) {
      if (w.settled || w !== current) return;
      if (w.abort.signal.aborted) {
        w.focusOnSettle = false;
        note('stopped waiting');
        setStatus('stopped', 'Stopped waiting. The payment itself is still pending: its row in the payments table will update when it settles.');
        cancel.hidden = true;
        return;
      }
      const err = rpcErrorOf(e);
      if (err !== undefined) return fail(w, err, 'waitsendpay');
      note(`waitsendpay: ${errorText(e)}`);
      setStatus('failed', `Lost track of the payment: ${errorLine(e)}. Check the payments table.`);
      finish(w);
    }
  }

  return { send };
}
