// What the runtime-agnostic relay needs from a runtime: an accepted client WebSocket, a resolver
// and a TCP dialer. Node (node.ts), Deno (deno.ts) and Cloudflare Workers (cloudflare.ts) each
// implement these with their own primitives.

/** An accepted (upgraded) client WebSocket. */
export interface ClientSocket {
  /** Sends one binary message. */
  send(data: Uint8Array): void;
  /** Starts the closing handshake; later calls are ignored by the relay. */
  close(code: number, reason: string): void;
  /** Bytes given to send() and not yet written to the network (0 where the runtime cannot tell). */
  bufferedAmount(): number;
  /**
   * Resolves once bufferedAmount() is at or below `bytes`, or the socket closed. Adapters without
   * a drain signal may poll.
   */
  waitForDrain(bytes: number): Promise<void>;
  /**
   * Stop / restart reading from the client (real TCP backpressure). Absent where the runtime
   * cannot pause a WebSocket; the relay then enforces a hard buffer cap instead.
   */
  pause?(): void;
  resume?(): void;
  /** Installs the handlers. Called once, synchronously after accept; adapters queue earlier events. */
  listen(handlers: ClientHandlers): void;
}

export interface ClientHandlers {
  /** A complete message: bytes for binary frames, a string for text frames. */
  message(data: Uint8Array | string): void;
  /** The WebSocket is closed (either side, or the connection dropped). */
  closed(): void;
}

/** A connected TCP stream. */
export interface TcpStream {
  /** Next chunk of bytes; null at end of stream. Rejects on a connection error. */
  read(): Promise<Uint8Array | null>;
  /** Queues bytes; resolves once the runtime accepted them (backpressure), rejects on error. */
  write(data: Uint8Array): Promise<void>;
  /** Closes both directions; pending reads end. Idempotent. */
  close(): void;
}

export interface Resolver {
  /** All IPv4 and IPv6 addresses of a host name, as text. Rejects (or returns []) when there are none. */
  resolve(host: string, signal: AbortSignal): Promise<string[]>;
}

export interface Dialer {
  /** Connects to an IP address (canonical text, IPv6 without brackets). Rejects on failure or abort. */
  connect(ip: string, port: number, signal: AbortSignal): Promise<TcpStream>;
}

/** Everything the relay knows about one accepted connection. */
export interface IncomingConnection {
  readonly socket: ClientSocket;
  /** Request path and query. */
  readonly url: string;
  readonly origin?: string | undefined;
  readonly authorization?: string | undefined;
  /** The client's address as the adapter determined it (socket peer, or a trusted header). */
  readonly clientIp: string;
}
