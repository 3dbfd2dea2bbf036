// Timers of one peer connection. Defaults follow spec/websocket-transport.md §4: ping well under
// the 60 s at which some proxies drop idle sockets.
export interface PeerTiming {
  /** From the first byte written (or accepted socket) until the handshake completes. */
  handshakeTimeoutMs: number;
  /** From the handshake until the peer's init arrives. */
  initTimeoutMs: number;
  /** Send a ping after this long without receiving anything. */
  pingIntervalMs: number;
  /** Disconnect when a ping of ours has no pong after this long. */
  pongTimeoutMs: number;
}

export const DEFAULT_TIMING: Readonly<PeerTiming> = {
  handshakeTimeoutMs: 10_000,
  initTimeoutMs: 10_000,
  pingIntervalMs: 30_000,
  pongTimeoutMs: 15_000,
};

export function resolveTiming(t: Partial<PeerTiming> = {}): PeerTiming {
  return { ...DEFAULT_TIMING, ...Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) };
}
