// Public surface of the invoices layer: Core Lightning's invoice / listinvoices / delinvoice, the
// payee's BOLT 4 checks, HTLC sets (basic_mpp) and the paid transition. Sans-IO throughout.
export * from './errors.js';
export { INVOICES_TABLE, ZERO_INVOICE_COUNTERS, withUpdate, type InvoiceCounters, type InvoiceIndexBump, type InvoiceRecord, type InvoiceStatus } from './record.js';
export { effectiveStatus, expireDue, nextExpiry, type ExpiryResult } from './status.js';
export { formatInvoice, type InvoiceObject } from './format.js';
export { paymentHashOf, paymentSecretOf } from './secret.js';
export {
  DEFAULT_CLTV_FINAL,
  DEFAULT_INVOICE_EXPIRY,
  DELINVOICE_PARAMS,
  INVOICE_PARAMS,
  LISTINVOICES_PARAMS,
  paramChanhints,
  paramLabel,
  paramPositiveMsatOrAny,
  paramPreimage,
  type ChanHints,
  type DelinvoiceParams,
  type InvoiceParams,
  type Label,
  type ListinvoicesParams,
} from './params.js';
export { chooseRouteHints, type RouteHintCandidate, type RouteHintChoice } from './route-hints.js';
export {
  DESCRIPTION_BYTE_LIMIT,
  INVOICE_FEATURES,
  MAX_LABEL_BYTES,
  PAYMENT_METADATA_FEATURE,
  completeInvoice,
  planInvoice,
  type CompleteContext,
  type InvoiceCreated,
  type InvoiceCreationNotification,
  type InvoicePlan,
  type InvoiceResult,
  type PlanContext,
} from './create.js';
export { formatListinvoices, invoicesStoreQuery, planListinvoices, selectInvoices, type InvoicesStoreQuery, type ListinvoicesPlan, type ListinvoicesResult } from './list.js';
export { decideDelinvoice, type DelinvoiceDecision, type DelinvoiceOutcome } from './delete.js';
export { checkInvoicePayment, localInvoiceFor, secretRequired, type PaymentCheck, type SelfPayInvoice } from './check-payment.js';
export { checkFinalHop, unknownPaymentDetails, type FinalHopDecision, type FinalHopInput, type FinalHtlc, type FinalPayload } from './final-hop.js';
export {
  EMPTY_MPP_STATE,
  MPP_TIMEOUT_MS,
  addPart,
  expireSets,
  failParts,
  nextDeadline,
  removePart,
  setKey,
  type AddPartInput,
  type HtlcSet,
  type MppOutcome,
  type MppPart,
  type MppState,
  type PartFailure,
} from './mpp.js';
export { markInvoicePaid, type InvoicePaymentNotification, type PaidTransition } from './paid.js';
