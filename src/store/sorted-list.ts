// An ordered set of entries keyed by a string sort key (`sk`, see key-encoding.ts), kept as a
// list of sorted chunks (a two-level B-tree without the tree). Lookups are a binary search over
// chunks then within one, comparing strings natively; an insert or delete moves at most one
// chunk's elements, so 100k-row tables stay cheap to update, and a range scan starts at its
// lower bound instead of sorting or filtering the whole table. Sort keys are unique.

/** A position: chunk number and offset. The end of the list is { c: chunks.length, i: 0 }. */
export interface Cursor {
  c: number;
  i: number;
}

const MAX_CHUNK = 512;

export interface Keyed {
  sk: string;
}

export class SortedList<E extends Keyed> {
  private chunks: E[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  start(): Cursor {
    return { c: 0, i: 0 };
  }

  end(): Cursor {
    return { c: this.chunks.length, i: 0 };
  }

  /** First position whose sort key is >= `sk` (the end if none). */
  seek(sk: string): Cursor {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (chunk[chunk.length - 1]!.sk >= sk) hi = mid;
      else lo = mid + 1;
    }
    if (lo === chunks.length) return this.end();
    const chunk = chunks[lo]!;
    let a = 0;
    let b = chunk.length - 1; // the last element is >= sk
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (chunk[mid]!.sk >= sk) b = mid;
      else a = mid + 1;
    }
    return { c: lo, i: a };
  }

  at(cur: Cursor): E | undefined {
    return this.chunks[cur.c]?.[cur.i];
  }

  /** Position of the entry with exactly this sort key, if any. */
  find(sk: string): Cursor | undefined {
    const cur = this.seek(sk);
    return this.at(cur)?.sk === sk ? cur : undefined;
  }

  /** Inserts an entry whose sort key is not in the list yet. */
  insert(e: E): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([e]);
      return;
    }
    const cur = this.seek(e.sk);
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

  /** Replaces the contents with entries already sorted by unique sort key (bulk index builds). */
  load(sorted: E[]): void {
    const half = MAX_CHUNK >>> 1; // half-full chunks leave room for inserts
    this.chunks = [];
    for (let i = 0; i < sorted.length; i += half) this.chunks.push(sorted.slice(i, i + half));
    this.count = sorted.length;
  }

  /** Every element in order (snapshots, compaction, index builds). */
  forEach(visit: (e: E) => void): void {
    for (const chunk of this.chunks) for (const e of chunk) visit(e);
  }
}
