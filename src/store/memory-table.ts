// One table held in memory: rows ordered by primary key plus one ordered list per index, each
// entry pointing at the row object itself (rows are never mutated in place, so sharing is safe).
// Entries are ordered by an encoded sort key (key-encoding.ts): the primary key's encoding for
// rows, the index key's encoding followed by the primary key's for index entries.
// Used by the memory store and, after replaying its journal, by the file store.
import { AFTER, encodeKey } from './key-encoding.js';
import { keyExtractor, primaryKeyOf, type AnyKey, type Bounds, type KeyExtractor } from './keys.js';
import { SortedList, type Cursor } from './sorted-list.js';
import { StoreError, type IndexSpec, type StoreRecord, type TableSpec } from './types.js';

interface Entry {
  /** Sort key: encodeKey(index key) + encodeKey(primary key), or encodeKey(primary key). */
  sk: string;
  /** Length of the index key's part of `sk` (all of it for rows). */
  kl: number;
  pk: AnyKey;
  rec: StoreRecord;
}


interface MemoryIndex {
  spec: IndexSpec;
  keyOf: KeyExtractor;
  list: SortedList<Entry>;
}

function showKey(k: AnyKey): string {
  if (k instanceof Uint8Array) return `<${k.length} bytes>`;
  if (Array.isArray(k)) return `[${k.map(showKey).join(', ')}]`;
  return JSON.stringify(k);
}

export class MemoryTable {
  private readonly primary = new SortedList<Entry>();
  private readonly indexes = new Map<string, MemoryIndex>();
  private specIndexes: IndexSpec[] = [];
  private readonly pkOf: KeyExtractor;
  /** While true, puts and deletes leave the indexes alone (a replay builds them once at the end). */
  private deferred = false;

  constructor(
    readonly name: string,
    readonly keyPath: string | string[],
  ) {
    this.pkOf = keyExtractor(keyPath);
  }

  /** The primary key of a record to be written (BAD_KEY if it has none). */
  primaryKey(rec: StoreRecord): AnyKey {
    return primaryKeyOf(rec, this.keyPath, this.name, this.pkOf);
  }

  get spec(): TableSpec {
    return { name: this.name, keyPath: this.keyPath, indexes: this.specIndexes.map((i) => ({ ...i })) };
  }

  get size(): number {
    return this.primary.size;
  }

  hasIndex(name: string): boolean {
    return this.indexes.has(name);
  }

  get(pk: AnyKey): StoreRecord | undefined {
    const cur = this.primary.find(encodeKey(pk));
    return cur === undefined ? undefined : this.primary.at(cur)!.rec;
  }

  /** Throws CONSTRAINT if `rec` (primary key `pk`) would collide in a unique index. */
  checkUnique(pk: AnyKey, rec: StoreRecord): void {
    let epk: string | undefined;
    for (const idx of this.indexes.values()) {
      if (idx.spec.unique !== true) continue;
      const key = idx.keyOf(rec);
      if (key === undefined) continue;
      const ek = encodeKey(key);
      const hit = idx.list.at(idx.list.seek(ek));
      epk ??= encodeKey(pk);
      if (hit !== undefined && hit.kl === ek.length && hit.sk.startsWith(ek) && hit.sk !== ek + epk) {
        throw new StoreError('CONSTRAINT', `unique index ${this.name}.${idx.spec.name} already holds key ${showKey(key)}`);
      }
    }
  }

  /** Stores `rec` (owned by the table from now on) and returns the row it replaced. No unique check. */
  put(pk: AnyKey, rec: StoreRecord): StoreRecord | undefined {
    const epk = encodeKey(pk);
    const cur = this.primary.find(epk);
    let prev: StoreRecord | undefined;
    if (cur !== undefined) {
      const entry = this.primary.at(cur)!;
      prev = entry.rec;
      this.unindex(epk, prev);
      entry.rec = rec;
    } else {
      this.primary.insert({ sk: epk, kl: epk.length, pk, rec });
    }
    if (!this.deferred) for (const idx of this.indexes.values()) this.indexOne(idx, pk, epk, rec);
    return prev;
  }

  delete(pk: AnyKey): StoreRecord | undefined {
    const epk = encodeKey(pk);
    const cur = this.primary.find(epk);
    if (cur === undefined) return undefined;
    const prev = this.primary.at(cur)!.rec;
    this.unindex(epk, prev);
    this.primary.removeAt(cur);
    return prev;
  }

  private indexOne(idx: MemoryIndex, pk: AnyKey, epk: string, rec: StoreRecord): void {
    const key = idx.keyOf(rec);
    if (key === undefined) return;
    const ek = encodeKey(key);
    idx.list.insert({ sk: ek + epk, kl: ek.length, pk, rec });
  }

  private unindex(epk: string, rec: StoreRecord): void {
    if (this.deferred) return;
    for (const idx of this.indexes.values()) {
      const key = idx.keyOf(rec);
      if (key === undefined) continue;
      const cur = idx.list.find(encodeKey(key) + epk);
      if (cur !== undefined) idx.list.removeAt(cur);
    }
  }

  /**
   * Stops index maintenance until buildIndexes(): replaying a journal then touches only the rows,
   * and each index is built with one sort instead of one insert per row and commit.
   * Unique constraints are not checked by the build: only for data that passed them before.
   */
  deferIndexes(): void {
    this.deferred = true;
  }

  buildIndexes(): void {
    if (!this.deferred) return;
    this.deferred = false;
    for (const idx of this.indexes.values()) {
      const entries: Entry[] = [];
      this.primary.forEach((e) => {
        const key = idx.keyOf(e.rec);
        if (key === undefined) return;
        const ek = encodeKey(key);
        entries.push({ sk: ek + e.sk, kl: ek.length, pk: e.pk, rec: e.rec });
      });
      entries.sort((a, b) => (a.sk < b.sk ? -1 : 1)); // sort keys are unique
      idx.list.load(entries);
    }
  }

  /** Adds an index over the existing rows; CONSTRAINT (and no index) if a unique one has duplicates. */
  addIndex(spec: IndexSpec): void {
    const idx: MemoryIndex = { spec: { ...spec }, keyOf: keyExtractor(spec.keyPath), list: new SortedList<Entry>() };
    this.primary.forEach((e) => this.indexOne(idx, e.pk, e.sk, e.rec));
    if (spec.unique === true) {
      let prev: Entry | undefined;
      idx.list.forEach((e) => {
        if (prev !== undefined && prev.kl === e.kl && prev.sk.slice(0, prev.kl) === e.sk.slice(0, e.kl)) {
          const key = idx.keyOf(e.rec);
          throw new StoreError('CONSTRAINT', `cannot create unique index ${this.name}.${spec.name}: key ${key === undefined ? '?' : showKey(key)} is held by several rows`);
        }
        prev = e;
      });
    }
    this.indexes.set(spec.name, idx);
    this.specIndexes.push(idx.spec);
  }

  dropIndex(name: string): void {
    this.indexes.delete(name);
    this.specIndexes = this.specIndexes.filter((i) => i.name !== name);
  }

  private listFor(index: string | undefined): SortedList<Entry> {
    if (index === undefined) return this.primary;
    const idx = this.indexes.get(index);
    if (idx === undefined) throw new StoreError('UNKNOWN_INDEX', `table ${this.name} has no index ${index}`);
    return idx.list;
  }

  private window(list: SortedList<Entry>, b: Bounds): [Cursor, Cursor] {
    // enc(k) + AFTER sorts after every entry whose key is k and before every larger key.
    const lower = b.lower === undefined ? undefined : encodeKey(b.lower) + (b.lowerOpen ? AFTER : '');
    const upper = b.upper === undefined ? undefined : encodeKey(b.upper) + (b.upperOpen ? '' : AFTER);
    const from = lower === undefined ? list.start() : list.seek(lower);
    const to = upper === undefined ? list.end() : list.seek(upper);
    return [from, to];
  }

  /** Rows in index (or primary key) order within bounds; the stored objects, not copies. */
  select(index: string | undefined, b: Bounds, limit: number, reverse: boolean): StoreRecord[] {
    const list = this.listFor(index);
    const out: StoreRecord[] = [];
    if (limit === 0) return out;
    const [from, to] = this.window(list, b);
    list.scan(from, to, reverse, (e) => {
      out.push(e.rec);
      return out.length < limit;
    });
    return out;
  }

  count(index: string | undefined, b: Bounds): number {
    const list = this.listFor(index);
    const [from, to] = this.window(list, b);
    return list.distance(from, to);
  }

  /** Every row in primary key order. */
  forEachRow(visit: (pk: AnyKey, rec: StoreRecord) => void): void {
    this.primary.forEach((e) => visit(e.pk, e.rec));
  }
}
