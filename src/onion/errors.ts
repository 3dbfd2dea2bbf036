// Typed errors of the onion layer. Decoders of untrusted onion bytes throw only OnionError (or the
// lower layers' LightningError subclasses), so the payments/peer layers can map them to wire
// failures or RPC errors without guessing.
import { LightningError } from '../errors.js';

export type OnionErrorCode =
  /** Hop payloads do not fit the onion (Core Lightning: -1 "Could not create onion packet"). */
  | 'ONION_TOO_BIG'
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
