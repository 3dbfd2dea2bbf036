// Every way the relay ends a WebSocket, in one table, so the server adapters, the tests and
// docs/proxy.md agree. Browsers cannot read the HTTP status of a refused upgrade (they only see
// 1006), so the relay always completes the upgrade and reports refusals as a close code + reason.
//
// Numbering: 40xx refused before any TCP dial (policy, limits, request), 41xx the client broke the
// relay's rules, 42xx the upstream side failed. Standard codes are used where they already mean
// the right thing (1000 normal end, 1001 shutdown, 1003 unsupported data, 1011 internal error).

export const CLOSE = {
  /** The target TCP connection ended after the handshake (websockify says the same). */
  TARGET_CLOSED: { code: 1000, reason: 'target closed' },
  /** The proxy is shutting down. */
  GOING_AWAY: { code: 1001, reason: 'proxy shutting down' },
  /** The client sent a text frame: the relay carries bytes only (as websockify does). */
  TEXT_FRAME: { code: 1003, reason: 'binary frames only' },
  /** A bug in the relay; never a network condition. */
  INTERNAL: { code: 1011, reason: 'internal error' },

  BAD_TARGET: { code: 4000, reason: 'bad target' },
  UNAUTHORIZED: { code: 4001, reason: 'unauthorized' },
  ORIGIN_NOT_ALLOWED: { code: 4002, reason: 'origin not allowed' },
  DESTINATION_NOT_ALLOWED: { code: 4003, reason: 'destination not allowed' },
  ADDRESS_NOT_ALLOWED: { code: 4004, reason: 'address not allowed' },
  HOST_NOT_FOUND: { code: 4005, reason: 'host not found' },
  TOO_MANY_CONNECTIONS: { code: 4006, reason: 'too many connections' },
  RATE_LIMITED: { code: 4007, reason: 'rate limited' },
  SERVER_BUSY: { code: 4008, reason: 'proxy busy' },

  NOT_LIGHTNING: { code: 4100, reason: 'not a lightning handshake' },
  HANDSHAKE_TIMEOUT: { code: 4101, reason: 'handshake timeout' },
  IDLE_TIMEOUT: { code: 4102, reason: 'idle timeout' },
  BUFFER_OVERFLOW: { code: 4103, reason: 'buffer overflow' },

  /**
   * Any upstream failure before act two arrived: connection refused, unreachable, dial timeout,
   * the target closed, or answered something that is not act two. One code and one moment
   * (the act-two deadline) for all of them, so the proxy cannot be used as a port scanner.
   */
  PEER_UNAVAILABLE: { code: 4200, reason: 'peer unavailable' },
} as const;

export type CloseName = keyof typeof CLOSE;
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}
