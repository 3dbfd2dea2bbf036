// Typed errors of BOLT 11 decoding/encoding. Every MUST-fail rule of the spec has its own code so
// callers (and Core Lightning-style RPC errors) can say exactly why an invoice was refused.
import { LightningError } from '../errors.js';

export type InvoiceErrorCode =
  | 'BAD_BECH32' // checksum, separator, mixed case, characters
  | 'TOO_SHORT' // no room for timestamp and signature
  | 'UNKNOWN_PREFIX' // not ln + a known currency prefix
  | 'BAD_AMOUNT' // invalid multiplier or digits
  | 'SUB_MSAT_AMOUNT' // pico amount not ending in 0
  | 'BAD_FIELD' // a tagged field that cannot be read (or wrong length in strict mode)
  | 'UNKNOWN_REQUIRED_FEATURE' // unknown even feature bit
  | 'MISSING_PAYMENT_HASH'
  | 'MISSING_PAYMENT_SECRET'
  | 'MISSING_DESCRIPTION'
  | 'BAD_SIGNATURE' // not recoverable, or does not verify against n
  | 'HIGH_S_SIGNATURE' // high-S signature while n is present
  | 'BAD_ARGUMENT'; // encoder input problems

export class InvoiceError extends LightningError {
  constructor(
    override readonly code: InvoiceErrorCode,
    message: string,
    /** Core Lightning's bolt11 decoder text for the same refusal, where it has its own
     * (its `decode` RPC quotes it); our message says more and stays for everything else. */
    readonly clnReason?: string,
  ) {
    super(code, message);
  }
}
