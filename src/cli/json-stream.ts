// Splits a byte stream into complete top-level JSON values, the way lightningd reads its RPC
// socket: clients may send several requests back to back or one request across many writes.
// The scanner tracks strings and escapes only; full parsing happens later on each complete text.
import { LightningError } from '../errors.js';

export class JsonStreamError extends LightningError {
  constructor(message: string) {
    super('JSON_STREAM', message);
  }
}

export class JsonStreamSplitter {
  private buf = '';
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly maxBytes = 16 * 1024 * 1024) {}

  /** Feeds bytes; returns every JSON text completed by them, in order. */
  push(chunk: Uint8Array): string[] {
    this.buf += this.decoder.decode(chunk, { stream: true });
    if (this.buf.length > this.maxBytes) throw new JsonStreamError(`request larger than ${this.maxBytes} bytes`);
    const out: string[] = [];
    for (let i = this.scanned; i < this.buf.length; i++) {
      const c = this.buf.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (this.depth === 0) {
        if (c === 0x7b || c === 0x5b) {
          this.start = i;
          this.depth = 1;
        } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          throw new JsonStreamError('expected a JSON object');
        }
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          out.push(this.buf.slice(this.start, i + 1));
          this.start = -1;
        }
      }
    }
    // Drop consumed text so memory stays bounded by one pending request.
    if (this.depth === 0) {
      this.buf = '';
      this.scanned = 0;
    } else {
      this.buf = this.buf.slice(this.start);
      this.start = 0;
      this.scanned = this.buf.length;
    }
    return out;
  }
}
