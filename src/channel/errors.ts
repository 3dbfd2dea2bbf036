// Typed errors of the channel layer. TxError covers Bitcoin transaction encoding (parsing bytes a
// peer or a chain source handed us); ChannelError covers BOLT 3 inputs that cannot describe a valid
// channel transaction and per-commitment secrets that fail verification.
import { LightningError } from '../errors.js';

export type TxErrorCode =
  /** The bytes end before the transaction does. */
  | 'TRUNCATED'
  /** Structurally invalid encoding (bad marker/flag, trailing bytes, non-minimal CompactSize...). */
  | 'MALFORMED'
  /** A value outside its field's range (negative amount, index past the inputs...). */
  | 'OUT_OF_RANGE'
  /** A sighash mode or script feature this module deliberately does not implement. */
  | 'UNSUPPORTED';

export class TxError extends LightningError {
  constructor(
    override readonly code: TxErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

export type ChannelErrorCode =
  /** A commitment/closing/funding description that is inconsistent or out of range. */
  | 'BAD_SPEC'
  /** A key, point, hash or signature of the wrong length. */
  | 'BAD_KEY'
  /** A per-commitment secret that does not derive the ones already stored (BOLT 3 shachain). */
  | 'SECRET_MISMATCH'
  /** A per-commitment secret offered out of order or with an index outside 0..2^48-1. */
  | 'BAD_INDEX'
  /** Persisted shachain data that does not have the expected shape. */
  | 'BAD_STORE_DATA'
  /** A counterparty signature that does not verify. */
  | 'BAD_SIGNATURE';

export class ChannelError extends LightningError {
  constructor(
    override readonly code: ChannelErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
