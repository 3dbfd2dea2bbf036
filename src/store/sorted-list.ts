// An ordered multiset kept as a list of sorted chunks (a two-level B-tree without the tree).
// Lookups are a binary search over chunks then within one; an insert or delete moves at most
// one chunk's elements, so 100k-row tables stay cheap to update, and a range scan starts at its
// lower bound instead of sorting or filtering the whole table.

/** A position: chunk number and offset. The end of the list is { c: chunks.length, i: 0 }. */
export interface Cursor {
  c: number;
  i: number;
}

const MAX_CHUNK = 512;

export class SortedList<E> {
  private chunks: E[][] = [];
  private count = 0;

  constructor(private readonly cmp: (a: E, b: E) => number) {}

  get size(): number {
    return this.count;
  }

  start(): Cursor {
    return { c: 0, i: 0 };
  }

  end(): Cursor {
    return { c: this.chunks.length, i: 0 };
  }

  /** First position whose element satisfies `pred`; pred must be monotonic (false… then true…). */
  seek(pred: (e: E) => boolean): Cursor {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (pred(chunk[chunk.length - 1]!)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === chunks.length) return this.end();
    const chunk = chunks[lo]!;
    let a = 0;
    let b = chunk.length - 1; // the last element satisfies pred
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (pred(chunk[mid]!)) b = mid;
      else a = mid + 1;
    }
    return { c: lo, i: a };
  }

  at(cur: Cursor): E | undefined {
    return this.chunks[cur.c]?.[cur.i];
  }

  /** Position of an element comparing equal to `probe`, if any. */
  find(probe: E): Cursor | undefined {
    const cur = this.seek((e) => this.cmp(e, probe) >= 0);
    const e = this.at(cur);
    return e !== undefined && this.cmp(e, probe) === 0 ? cur : undefined;
  }

  insert(e: E): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([e]);
      return;
    }
    const cur = this.seek((x) => this.cmp(x, e) > 0);
    // Past the end: append to the last chunk (the common case for increasing keys).
    const c = cur.c === this.chunks.length ? cur.c - 1 : cur.c;
    const chunk = this.chunks[c]!;
    if (cur.c === this.chunks.length) chunk.push(e);
    else chunk.splice(cur.i, 0, e);
    if (chunk.length > MAX_CHUNK) {
      const half = chunk.length >>> 1;
      this.chunks.splice(c + 1, 0, chunk.splice(half));
    }
  }

  removeAt(cur: Cursor): void {
    const chunk = this.chunks[cur.c];
    if (chunk === undefined || cur.i >= chunk.length) return;
    chunk.splice(cur.i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(cur.c, 1);
  }

  /** Number of elements in [from, to). */
  distance(from: Cursor, to: Cursor): number {
    if (from.c > to.c || (from.c === to.c && from.i >= to.i)) return 0;
    if (from.c === to.c) return to.i - from.i;
    let n = this.chunks[from.c]!.length - from.i;
    for (let c = from.c + 1; c < to.c; c++) n += this.chunks[c]!.length;
    return n + to.i;
  }

  /** Calls `visit` on the elements of [from, to), ascending or descending, until it returns false. */
  scan(from: Cursor, to: Cursor, reverse: boolean, visit: (e: E) => boolean): void {
    if (this.distance(from, to) === 0) return;
    const chunks = this.chunks;
    if (!reverse) {
      for (let c = from.c, i = from.i; c < to.c || (c === to.c && i < to.i); ) {
        const chunk = chunks[c]!;
        if (!visit(chunk[i]!)) return;
        if (++i === chunk.length) {
          c++;
          i = 0;
        }
      }
      return;
    }
    // Walk back from the element just before `to`.
    let c = to.c;
    let i = to.i - 1;
    if (i < 0) {
      c--;
      i = chunks[c]!.length - 1;
    }
    for (;;) {
      if (!visit(chunks[c]![i]!)) return;
      if (c === from.c && i === from.i) return;
      if (--i < 0) {
        c--;
        i = chunks[c]!.length - 1;
      }
    }
  }

  /** Every element in order (snapshots, compaction, index builds). */
  forEach(visit: (e: E) => void): void {
    for (const chunk of this.chunks) for (const e of chunk) visit(e);
  }
}
