// The one Cloudflare Workers runtime module the proxy imports, declared with just what
// cloudflare.ts uses (@cloudflare/workers-types is not a dependency of this project).
declare module 'cloudflare:sockets' {
  export interface CloudflareSocket {
    readonly readable: ReadableStream<Uint8Array>;
    readonly writable: WritableStream<Uint8Array>;
    /** Settles once the TCP connection is established (rejects if it cannot be). */
    readonly opened: Promise<unknown>;
    readonly closed: Promise<void>;
    close(): Promise<void>;
  }
  export function connect(
    address: { hostname: string; port: number },
    options?: { secureTransport?: 'off' | 'on' | 'starttls'; allowHalfOpen?: boolean },
  ): CloudflareSocket;
}
