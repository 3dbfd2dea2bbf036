// sendpay, waitsendpay, listsendpays, listpays, delpay: Core Lightning's parameter lists from
// src/payments, executed by the store-backed PaymentsService.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { DELPAY_PARAMS, LISTPAYS_PARAMS, LISTSENDPAYS_PARAMS, SENDPAY_PARAMS, WAITSENDPAY_PARAMS } from '../../payments/index.js';
import type { CallContext, NodeServices } from '../services.js';

/** Needs only the payments service and the parameter context (unit tests build a table over a bare service). */
export function paymentMethods(n: Pick<NodeServices, 'payments' | 'pctx'>): TableMethod<CallContext>[] {
  return [
    defineMethod({ name: 'sendpay', params: SENDPAY_PARAMS, handler: (p) => n.payments.sendpay(p) }),
    defineMethod({ name: 'waitsendpay', params: WAITSENDPAY_PARAMS, handler: (p, ctx: CallContext) => n.payments.waitsendpay(p, ctx.signal) }),
    defineMethod({ name: 'listsendpays', params: LISTSENDPAYS_PARAMS, handler: (p) => n.payments.listsendpays(p) }),
    defineMethod({ name: 'listpays', params: LISTPAYS_PARAMS, handler: (p) => n.payments.listpays(p, n.pctx) }),
    defineMethod({ name: 'delpay', params: DELPAY_PARAMS, handler: (p) => n.payments.delpay(p) }),
  ];
}
