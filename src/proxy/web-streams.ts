// TcpStream over a pair of WHATWG streams: what Deno.connect and Cloudflare's connect() return.
// writer.write() resolves once the sink took the chunk, which is the backpressure signal the
// relay counts in-flight bytes with.
import type { TcpStream } from './types.js';

export interface StreamPair {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** Releases the underlying socket; called once. */
  close(): void;
}

export function streamPairToTcp(pair: StreamPair): TcpStream {
  const reader = pair.readable.getReader();
  const writer = pair.writable.getWriter();
  let closed = false;
  return {
    async read() {
      const r = await reader.read();
      return r.done ? null : r.value;
    },
    write(data) {
      return writer.write(data);
    },
    close() {
      if (closed) return;
      closed = true;
      // Both reject when the stream already failed; the socket is released below either way.
      reader.cancel().catch(() => undefined);
      writer.abort().catch(() => undefined);
      pair.close();
    },
  };
}
