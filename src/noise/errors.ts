// Typed failures of the BOLT 8 transport. The handshake codes are the labels BOLT 8's test
// vectors use (ACT2_BAD_VERSION, ...), so a failing act can be matched against the spec directly.
import { LightningError } from '../errors.js';

export type NoiseErrorCode =
  | 'ACT1_READ_FAILED'
  | 'ACT1_BAD_VERSION'
  | 'ACT1_BAD_PUBKEY'
  | 'ACT1_BAD_TAG'
  | 'ACT2_READ_FAILED'
  | 'ACT2_BAD_VERSION'
  | 'ACT2_BAD_PUBKEY'
  | 'ACT2_BAD_TAG'
  | 'ACT3_READ_FAILED'
  | 'ACT3_BAD_VERSION'
  | 'ACT3_BAD_CIPHERTEXT'
  | 'ACT3_BAD_PUBKEY'
  | 'ACT3_BAD_TAG'
  /** A transport frame's length header or body failed authentication: the stream is dead. */
  | 'BAD_MAC'
  /** A plaintext longer than 65535 bytes was given to the sender. */
  | 'MESSAGE_TOO_LONG'
  /** The byte stream ended in the middle of a frame. */
  | 'TRUNCATED'
  /** More undelivered bytes are buffered than the reader allows (the caller stopped reading). */
  | 'BUFFER_OVERFLOW'
  /** An API call in the wrong handshake/transport state (a bug in the caller, not the peer). */
  | 'BAD_STATE'
  /** A local key given to the handshake is invalid (a configuration error). */
  | 'BAD_LOCAL_KEY'
  /** The responder's static key given to the initiator is not a valid point. */
  | 'BAD_REMOTE_KEY';

export class NoiseError extends LightningError {
  constructor(
    override readonly code: NoiseErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
