// A FIFO of byte chunks from which exact-length pieces are taken. Stream chunks arrive with
// arbitrary boundaries (WebSocket messages, TCP reads); BOLT 8 needs exact 18-, 50-, 66- and
// (len+16)-byte pieces. Chunks are copied on entry because callers may reuse their buffers.
import type { Bytes } from '../util/bytes.js';

const EMPTY = new Uint8Array(0);

export class ByteQueue {
  private chunks: Bytes[] = [];
  private first = 0; // index of the first live chunk (avoids O(n) shift() with tiny chunks)
  private head = 0; // read offset into chunks[first]
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Bytes): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk.slice());
    this.total += chunk.length;
  }

  /** Removes and returns exactly n bytes, or null (and removes nothing) when fewer are queued. */
  take(n: number): Bytes | null {
    if (n > this.total) return null;
    const first = this.chunks[this.first];
    if (n === 0 || first === undefined) return new Uint8Array(0);
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      this.total -= n;
      if (this.head === first.length) this.dropFirst();
      return out;
    }
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[this.first]!;
      const k = Math.min(n - o, c.length - this.head);
      out.set(c.subarray(this.head, this.head + k), o);
      o += k;
      this.head += k;
      if (this.head === c.length) this.dropFirst();
    }
    this.total -= n;
    return out;
  }

  /** Everything still queued, as one array (used to hand leftovers to the next stage). */
  takeAll(): Bytes {
    return this.take(this.total) ?? new Uint8Array(0);
  }

  clear(): void {
    this.chunks = [];
    this.first = 0;
    this.head = 0;
    this.total = 0;
  }

  private dropFirst(): void {
    this.chunks[this.first] = EMPTY; // release the memory now
    this.first++;
    this.head = 0;
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first >= 1024 && this.first * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }
}
