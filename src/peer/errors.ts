// Why a peer connection failed or ended. The runtime shows these to users (CLN's `connect`
// error text) and decides on reconnection from them.
import { LightningError } from '../errors.js';

export type PeerErrorCode =
  /** BOLT 8 failed (bad act, wrong node id, stream ended mid-handshake). */
  | 'HANDSHAKE_FAILED'
  /** Act two (or acts one/three when we are the responder) did not arrive in time. */
  | 'HANDSHAKE_TIMEOUT'
  /** The peer's init did not arrive in time. */
  | 'INIT_TIMEOUT'
  /** The peer requires features we do not know, or its features lack their dependencies. */
  | 'INCOMPATIBLE_FEATURES'
  /** The peer's `networks` lists no chain we use. */
  | 'NO_COMMON_NETWORK'
  /** A message that is not allowed at this point (e.g. anything before init, a second init). */
  | 'UNEXPECTED_MESSAGE'
  /** An unknown even message type: BOLT 1 says close. */
  | 'UNKNOWN_EVEN_MESSAGE'
  /** A known message that does not decode. */
  | 'MALFORMED_MESSAGE'
  /** The peer sent `error` for all channels. */
  | 'REMOTE_ERROR'
  /** Our ping got no pong in time. */
  | 'PING_TIMEOUT'
  /** The encrypted transport failed after the handshake (bad MAC, truncated frame, overflow). */
  | 'TRANSPORT_FAILED'
  /** The byte stream closed (remote close, network loss). */
  | 'CONNECTION_CLOSED'
  /** The socket could not be opened. */
  | 'CONNECT_FAILED'
  /** An operation needs a ready connection and there is none. */
  | 'NOT_CONNECTED'
  /** We closed it (user request, replaced by a newer connection, shutdown). */
  | 'CLOSED_LOCALLY'
  /** Too many pings of ours are still waiting for their pong. */
  | 'TOO_MANY_PINGS'
  /** Bad configuration (keys, features, timing). */
  | 'BAD_CONFIG';

export class PeerError extends LightningError {
  constructor(
    override readonly code: PeerErrorCode,
    message: string,
    /** The lower-layer error (NoiseError, WireError, NetError) when there is one. */
    override readonly cause?: LightningError,
  ) {
    super(code, message);
  }
}
