// Core Lightning's JSON-RPC error vocabulary: the numeric codes of common/jsonrpc_errors.h under
// CLN's own names (users switch on these numbers), the RpcError class every method rejects with,
// and the small Outcome type that carries "value or RpcError" through the sans-IO layers.
import { LightningError } from '../errors.js';

// JSON-RPC 2.0 codes.
export const JSONRPC2_INVALID_REQUEST = -32600;
export const JSONRPC2_METHOD_NOT_FOUND = -32601;
export const JSONRPC2_INVALID_PARAMS = -32602;

// lightningd-wide codes.
export const LIGHTNINGD = -1;
export const PARAM_DEV_ERROR = -2;
export const PLUGIN_ERROR = -3;
export const PLUGIN_TERMINATED = -4;
export const LIGHTNINGD_SHUTDOWN = -5;

// Payment codes (sendpay, waitsendpay, pay, ...).
export const PAY_IN_PROGRESS = 200;
export const PAY_RHASH_ALREADY_USED = 201;
export const PAY_UNPARSEABLE_ONION = 202;
export const PAY_DESTINATION_PERM_FAIL = 203;
export const PAY_TRY_OTHER_ROUTE = 204;
export const PAY_ROUTE_NOT_FOUND = 205;
export const PAY_ROUTE_TOO_EXPENSIVE = 206;
export const PAY_INVOICE_EXPIRED = 207;
export const PAY_NO_SUCH_PAYMENT = 208;
export const PAY_UNSPECIFIED_ERROR = 209;
export const PAY_STOPPED_RETRYING = 210;
export const PAY_STATUS_UNEXPECTED = 211;
export const PAY_INVOICE_REQUEST_INVALID = 212;
export const PAY_INVOICE_PREAPPROVAL_DECLINED = 213;
export const PAY_KEYSEND_PREAPPROVAL_DECLINED = 214;
export const PAY_INSUFFICIENT_FUNDS = 215;
export const PAY_UNREACHABLE = 216;
export const PAY_USER_ERROR = 217;
export const PAY_INJECTPAYMENTONION_FAILED = 218;
export const PAY_INJECTPAYMENTONION_ALREADY_PAID = 219;
export const PAY_DESTINATION_INSUFFICIENT_CAPACITY = 220;

// `wait` subsystem.
export const WAIT_TIMEOUT = 2000;

/**
 * LightningError's `code` is a string vocabulary; RPC errors need CLN's numeric code under the same
 * property name (users read `err.code === 204`). A plain `extends LightningError` cannot narrow the
 * property's type from string to number, so we extend a view of the constructor whose instances
 * omit `code`. At runtime the prototype chain is the real one: `instanceof LightningError` holds.
 */
const LightningErrorWithoutCode = LightningError as unknown as new (
  code: string,
  message: string,
) => Error;

/** A Core Lightning JSON-RPC error: numeric `code`, exact `message`, optional structured `data`. */
export class RpcError extends LightningErrorWithoutCode {
  // `declare`: no class-field emission, so `data` is absent (not `undefined`) when not given.
  declare readonly code: number;
  declare readonly data?: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(String(code), message);
    // Spelled out: minified bundles rename classes, and pages match on the name.
    this.name = 'RpcError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }

  /** The `error` member of a JSON-RPC response, in CLN's key order (code, message, data). */
  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export function isRpcError(e: unknown): e is RpcError {
  return e instanceof RpcError;
}

/** "A value or an RpcError": how sans-IO decisions report failures without throwing. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RpcError };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: number, message: string, data?: unknown): Outcome<T> {
  return { ok: false, error: new RpcError(code, message, data) };
}

export function failWith<T = never>(error: RpcError): Outcome<T> {
  return { ok: false, error };
}
