// Core Lightning's invoice error codes (common/jsonrpc_errors.h) under its own names.
export const INVOICE_LABEL_ALREADY_EXISTS = 900;
export const INVOICE_PREIMAGE_ALREADY_EXISTS = 901;
export const INVOICE_HINTS_GAVE_NO_ROUTES = 902;
export const INVOICE_EXPIRED_DURING_WAIT = 903;
export const INVOICE_WAIT_TIMED_OUT = 904;
export const INVOICE_NOT_FOUND = 905;
export const INVOICE_STATUS_UNEXPECTED = 906;
export const INVOICE_OFFER_INACTIVE = 907;
export const INVOICE_NO_DESCRIPTION = 908;
