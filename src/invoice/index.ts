// Public surface of the invoice layer (BOLT 11).
export { InvoiceError, type InvoiceErrorCode } from './errors.js';
export { decodeInvoice, invoiceExpiresAt, isInvoiceExpired, type DecodeOptions } from './decode.js';
export { encodeInvoice, encodeAndDecodeInvoice, type EncodeInvoiceOptions } from './encode.js';
export { clnDecodeBolt11, stripLightningPrefix, type ClnBolt11Decode, type ClnBolt11Route } from './cln-decode.js';
export { parseHrpAmount, formatHrpAmount } from './amount.js';
export { NETWORKS, networkInfo, type Network, type NetworkInfo } from './networks.js';
export { KNOWN_INVOICE_FEATURES } from './features.js';
export type { Fallback, FallbackType } from './fallback.js';
export { DEFAULT_EXPIRY, DEFAULT_MIN_FINAL_CLTV_EXPIRY_DELTA, type Invoice, type RouteHintHop, type UnknownField } from './types.js';
