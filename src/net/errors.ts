// Typed failures of byte-stream transports and address parsing.
import { LightningError } from '../errors.js';

export type NetErrorCode =
  /** A peer address, URL or proxy configuration could not be parsed. */
  | 'BAD_ADDRESS'
  /** The socket could not be opened (refused, DNS, HTTP upgrade rejected, ...). */
  | 'CONNECT_FAILED'
  /** The socket did not open within the configured time. */
  | 'CONNECT_TIMEOUT'
  /** The dial was aborted by the caller. */
  | 'ABORTED'
  /** A write on a closed stream. */
  | 'CLOSED'
  /** This runtime cannot make that kind of connection (e.g. raw TCP in a browser). */
  | 'UNSUPPORTED'
  /** A listener could not bind. */
  | 'LISTEN_FAILED';

export class NetError extends LightningError {
  constructor(
    override readonly code: NetErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
