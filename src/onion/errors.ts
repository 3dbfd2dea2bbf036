// Typed errors of the onion layer. Decoders of untrusted onion bytes throw only OnionError (or the
// lower layers' LightningError subclasses), so the payments/peer layers can map them to wire
// failures or RPC errors without guessing.
import { LightningError } from '../errors.js';

export type OnionErrorCode =
  /** Hop payloads do not fit the onion (sendpay: -1 "Could not create onion packet"; createonion
   * checks first: -32602 "Payloads exceed maximum onion packet size."). */
  | 'ONION_TOO_BIG'
  /** The Sphinx construction refused valid-looking input: an out-of-range session key or a
   * degenerate blinding (Core Lightning's createonion: -1 "Could not create onion packet"). */
  | 'ONION_CREATE_FAILED'
  /** Caller-side argument problem (wrong lengths, no hops, bad hex). */
  | 'BAD_ARGUMENT'
  /** Malformed onion packet bytes (wrong total length). */
  | 'BAD_PACKET'
  /** A hop payload TLV stream that does not parse or lacks required fields. */
  | 'BAD_PAYLOAD'
  /** A failure message or failure packet that does not parse. */
  | 'BAD_FAILURE'
  /** Attribution data of the wrong size. */
  | 'BAD_ATTRIBUTION';

export class OnionError extends LightningError {
  constructor(
    override readonly code: OnionErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
