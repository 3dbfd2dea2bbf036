// The demo shop: one button that asks the demo server's shop for an invoice and puts it in the
// pay form. Only shown when the page is served by the demo server (its config names a shop).
import { parseAmountMsat } from '../../src/rpc/msat.js';
import type { App } from '../app.js';
import { byId, setMessage } from '../dom.js';
import { formatMsat } from '../format.js';
import { errorLine } from '../rpc-views.js';
import { requestShopInvoice } from '../shop.js';

export function mountShopPanel(app: App): void {
  const box = byId('shop', HTMLElement);
  const form = byId('shop-form', HTMLFormElement);
  const amount = byId('shop-amount', HTMLInputElement);
  const description = byId('shop-description', HTMLInputElement);
  const button = byId('shop-button', HTMLButtonElement);
  const error = byId('shop-error', HTMLElement);
  box.hidden = app.config?.shop === undefined;
  if (app.config?.shop !== undefined) app.names.set(app.config.shop.id, 'shop');

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const msat = parseAmountMsat(amount.value.trim());
    if (msat === undefined || msat === 0n) {
      setMessage(error, 'Amount: write msat (1000), sat (1sat) or btc (0.00000001btc), more than zero.');
      amount.focus();
      return;
    }
    setMessage(error, '');
    button.disabled = true;
    void requestShopInvoice(msat, description.value.trim() || 'Demo purchase')
      .then((inv) => {
        app.announce(`The shop sent an invoice for ${formatMsat(msat)}. It is in the invoice box below.`);
        app.bus.emit({ type: 'invoice', bolt11: inv.bolt11 });
      })
      .catch((e: unknown) => setMessage(error, errorLine(e)))
      .finally(() => {
        button.disabled = false;
      });
  });
}
