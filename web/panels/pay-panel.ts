// Section 4: pay a BOLT 11 invoice (decoded through the node, routed by web/route.ts from our
// channels and the invoice's route hint) or a hand-written JSON route. "Edit as JSON route" turns
// the built route into the second form, so a person can inspect or change any field first.
import { bolt11PrefixForChain } from '../../src/invoice/networks.js';
import { parseAmountMsat } from '../../src/rpc/msat.js';
import { clientOf, type App } from '../app.js';
import { byId, h, radioValue, replaceChildren, setMessage } from '../dom.js';
import { formatMsat } from '../format.js';
import { buildRoute, type BuiltRoute } from '../route.js';
import { manualSendpayParams, routeToJson } from '../route-json.js';
import { channelViews, errorLine, invoiceView, type ChannelView, type InvoiceView } from '../rpc-views.js';
import { invoiceDetails, invoiceSummary } from './invoice-details.js';
import { mountPayWatch } from './pay-watch.js';
import { routeTable } from './route-table.js';

type Mode = 'invoice' | 'route';

interface Prepared {
  invoice: InvoiceView;
  bolt11: string;
  route: BuiltRoute;
}

export function mountPayPanel(app: App): void {
  const form = byId('pay-form', HTMLFormElement);
  const invoiceBox = byId('mode-invoice', HTMLElement);
  const routeBox = byId('mode-route', HTMLElement);
  const invoiceInput = byId('invoice', HTMLTextAreaElement);
  const details = byId('invoice-details', HTMLElement);
  const amountRow = byId('invoice-amount-row', HTMLElement);
  const amountInput = byId('invoice-amount', HTMLInputElement);
  const preview = byId('route-preview', HTMLElement);
  const editButton = byId('edit-route', HTMLButtonElement);
  const error = byId('pay-error', HTMLElement);
  const payButton = byId('pay-button', HTMLButtonElement);
  const routeJson = byId('route-json', HTMLTextAreaElement);
  const hashInput = byId('route-payment-hash', HTMLInputElement);
  const secretInput = byId('route-payment-secret', HTMLInputElement);
  const routeAmount = byId('route-amount', HTMLInputElement);
  const watch = mountPayWatch(app);
  let prepared: Prepared | undefined;
  let generation = 0;
  let shown = '';
  /** The invoice (or decode error) last announced: re-preparing the same one stays quiet. */
  let announced = '';
  const announceOnce = (key: string, text: string): void => {
    if (key === announced) return;
    announced = key;
    app.announce(text);
  };

  const mode = (): Mode => (radioValue(form, 'pay-mode') === 'route' ? 'route' : 'invoice');

  function showMode(): void {
    invoiceBox.hidden = mode() !== 'invoice';
    routeBox.hidden = mode() !== 'route';
    setMessage(error, '');
  }

  /** Decode the invoice and build a route; stale answers (the text changed meanwhile) are dropped. */
  async function prepare(): Promise<Prepared | undefined> {
    const gen = ++generation;
    const bolt11 = invoiceInput.value.trim();
    prepared = undefined;
    editButton.hidden = true;
    if (bolt11 === '') {
      shown = '';
      announced = '';
      replaceChildren(details);
      replaceChildren(preview);
      amountRow.hidden = true;
      return undefined;
    }
    if (bolt11 !== shown) {
      // A different invoice: never leave the previous one's details on screen while decoding.
      shown = bolt11;
      replaceChildren(details, h('p', {}, 'Decoding…'));
      replaceChildren(preview);
    }
    const client = app.client;
    if (client === undefined) {
      replaceChildren(details, h('p', { class: 'error' }, 'Start the node first (section 1) to decode the invoice.'));
      return undefined;
    }
    let inv: InvoiceView;
    try {
      inv = invoiceView(await client.decode(bolt11));
    } catch (e) {
      if (gen === generation) {
        const text = `Cannot decode this invoice: ${errorLine(e)}`;
        replaceChildren(details, h('p', { class: 'error' }, text));
        replaceChildren(preview);
        announceOnce(`error:${bolt11}`, text);
      }
      return undefined;
    }
    // decode reads invoices of every chain (as Core Lightning's does); paying needs ours.
    const ours = app.network === undefined ? undefined : bolt11PrefixForChain(app.network);
    if (ours !== undefined && inv.currency !== ours) {
      if (gen === generation) {
        const text = `This invoice is for another chain (ln${inv.currency}); your node runs on ${app.network} (ln${ours}).`;
        replaceChildren(details, h('p', { class: 'error' }, text));
        replaceChildren(preview);
        announceOnce(`error:${bolt11}`, text);
      }
      return undefined;
    }
    let channels: ChannelView[];
    try {
      channels = channelViews(await client.listpeerchannels());
    } catch (e) {
      if (gen === generation) replaceChildren(preview, h('p', { class: 'error' }, `Cannot list channels: ${errorLine(e)}`));
      return undefined;
    }
    if (gen !== generation) return undefined;
    const now = Math.floor(Date.now() / 1000);
    replaceChildren(details, invoiceDetails(inv, app.names, now));
    announceOnce(bolt11, invoiceSummary(inv, app.names, now));
    amountRow.hidden = inv.amount_msat !== undefined;
    let amount: bigint | undefined;
    if (inv.amount_msat === undefined && amountInput.value.trim() !== '') {
      amount = parseAmountMsat(amountInput.value.trim());
      if (amount === undefined) {
        replaceChildren(preview, h('p', { class: 'error' }, 'Amount: write msat (1000), sat (1sat) or btc (0.00000001btc).'));
        return undefined;
      }
    }
    const route = buildRoute(amount === undefined ? { invoice: inv, channels } : { invoice: inv, channels, amount_msat: amount });
    if (!route.ok) {
      replaceChildren(preview, h('p', { class: 'error' }, route.reason));
      return undefined;
    }
    if (inv.created_at + inv.expiry <= Math.floor(Date.now() / 1000)) route.warnings.unshift('This invoice has expired: the payee will most likely refuse the payment.');
    replaceChildren(preview, routeTable(route, app.names));
    editButton.hidden = false;
    prepared = { invoice: inv, bolt11, route };
    return prepared;
  }

  let debounce: number | undefined;
  const schedulePrepare = (): void => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => void prepare(), 250);
  };
  /**
   * prepare() for the Pay button: a node event may start a newer prepare() meanwhile, which makes
   * ours answer "stale"; then the newer answer is as good, so ask again rather than refuse.
   */
  async function prepareForPay(): Promise<Prepared | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      window.clearTimeout(debounce);
      const mine = generation + 1;
      const p = await prepare();
      if (p !== undefined || generation === mine) return p;
    }
    return prepared;
  }

  invoiceInput.addEventListener('input', schedulePrepare);
  amountInput.addEventListener('input', schedulePrepare);
  form.addEventListener('change', (ev) => {
    if (ev.target instanceof HTMLInputElement && ev.target.name === 'pay-mode') showMode();
  });

  editButton.addEventListener('click', () => {
    if (prepared === undefined) return;
    routeJson.value = routeToJson(prepared.route.route);
    hashInput.value = prepared.invoice.payment_hash;
    secretInput.value = prepared.invoice.payment_secret ?? '';
    routeAmount.value = prepared.route.amount_msat.toString();
    byId('pay-mode-route', HTMLInputElement).checked = true;
    showMode();
    routeJson.focus();
    app.announce('The route is now in the JSON route form: edit any field, then Pay.');
  });

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void (async () => {
      setMessage(error, '');
      payButton.disabled = true;
      try {
        clientOf(app);
        if (mode() === 'invoice') {
          const p = await prepareForPay();
          if (p === undefined) {
            setMessage(error, invoiceInput.value.trim() === '' ? 'Paste an invoice first.' : 'This invoice cannot be paid yet: see the message above the Pay button.');
            error.focus();
            return;
          }
          const params: Record<string, unknown> = {
            route: p.route.route,
            payment_hash: p.invoice.payment_hash,
            amount_msat: p.route.amount_msat,
            bolt11: p.bolt11,
          };
          if (p.invoice.payment_secret !== undefined) params.payment_secret = p.invoice.payment_secret;
          if (p.invoice.payment_metadata !== undefined) params.payment_metadata = p.invoice.payment_metadata;
          app.announce(`Paying ${formatMsat(p.route.amount_msat)}.`);
          await watch.send({ params, context: { route: p.route.route } });
        } else {
          const req = manualSendpayParams({ routeText: routeJson.value, payment_hash: hashInput.value, payment_secret: secretInput.value, amount_msat: routeAmount.value });
          if (!req.ok) {
            setMessage(error, req.reason);
            routeJson.focus();
            return;
          }
          await watch.send({ params: req.params, context: { route: req.hops } });
        }
      } catch (e) {
        setMessage(error, errorLine(e));
        error.focus();
      } finally {
        payButton.disabled = false;
      }
    })();
  });

  app.bus.on((e) => {
    if (e.type === 'invoice') {
      invoiceInput.value = e.bolt11;
      byId('pay-mode-invoice', HTMLInputElement).checked = true;
      showMode();
      void prepare();
    }
    // A channel that became ready (or a balance that changed) can change the route.
    if ((e.type === 'started' || e.type === 'payments-changed' || (e.type === 'node' && e.event.type === 'channel')) && invoiceInput.value.trim() !== '') {
      schedulePrepare();
    }
  });
  showMode();
}
