// One table held in memory: rows ordered by primary key plus one ordered list per index, each
// entry pointing at the row object itself (rows are never mutated in place, so sharing is safe).
// Used by the memory store and, after replaying its journal, by the file store.
import { compareKeys, keyExtractor, primaryKeyOf, type AnyKey, type Bounds, type KeyExtractor } from './keys.js';
import { SortedList, type Cursor } from './sorted-list.js';
import { StoreError, type IndexSpec, type StoreRecord, type TableSpec } from './types.js';

interface Entry {
  key: AnyKey;
  pk: AnyKey;
  rec: StoreRecord;
}

const byKeyThenPk = (a: Entry, b: Entry): number => compareKeys(a.key, b.key) || compareKeys(a.pk, b.pk);

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
  private readonly primary = new SortedList<Entry>(byKeyThenPk);
  private readonly indexes = new Map<string, MemoryIndex>();
  private specIndexes: IndexSpec[] = [];
  private readonly pkOf: KeyExtractor;

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

  private findPrimary(pk: AnyKey): Cursor | undefined {
    return this.primary.find({ key: pk, pk, rec: {} });
  }

  get(pk: AnyKey): StoreRecord | undefined {
    const cur = this.findPrimary(pk);
    return cur === undefined ? undefined : this.primary.at(cur)!.rec;
  }

  /** Throws CONSTRAINT if `rec` (primary key `pk`) would collide in a unique index. */
  checkUnique(pk: AnyKey, rec: StoreRecord): void {
    for (const idx of this.indexes.values()) {
      if (idx.spec.unique !== true) continue;
      const key = idx.keyOf(rec);
      if (key === undefined) continue;
      const hit = idx.list.at(idx.list.seek((e) => compareKeys(e.key, key) >= 0));
      if (hit !== undefined && compareKeys(hit.key, key) === 0 && compareKeys(hit.pk, pk) !== 0) {
        throw new StoreError('CONSTRAINT', `unique index ${this.name}.${idx.spec.name} already holds key ${showKey(key)}`);
      }
    }
  }

  /** Stores `rec` (owned by the table from now on) and returns the row it replaced. No unique check. */
  put(pk: AnyKey, rec: StoreRecord): StoreRecord | undefined {
    const cur = this.findPrimary(pk);
    let prev: StoreRecord | undefined;
    if (cur !== undefined) {
      const entry = this.primary.at(cur)!;
      prev = entry.rec;
      this.unindex(pk, prev);
      entry.rec = rec;
    } else {
      this.primary.insert({ key: pk, pk, rec });
    }
    for (const idx of this.indexes.values()) this.indexOne(idx, pk, rec);
    return prev;
  }

  delete(pk: AnyKey): StoreRecord | undefined {
    const cur = this.findPrimary(pk);
    if (cur === undefined) return undefined;
    const prev = this.primary.at(cur)!.rec;
    this.unindex(pk, prev);
    this.primary.removeAt(cur);
    return prev;
  }

  private indexOne(idx: MemoryIndex, pk: AnyKey, rec: StoreRecord): void {
    const key = idx.keyOf(rec);
    if (key !== undefined) idx.list.insert({ key, pk, rec });
  }

  private unindex(pk: AnyKey, rec: StoreRecord): void {
    for (const idx of this.indexes.values()) {
      const key = idx.keyOf(rec);
      if (key === undefined) continue;
      const cur = idx.list.find({ key, pk, rec });
      if (cur !== undefined) idx.list.removeAt(cur);
    }
  }

  /** Adds an index over the existing rows; CONSTRAINT (and no index) if a unique one has duplicates. */
  addIndex(spec: IndexSpec): void {
    const idx: MemoryIndex = { spec: { ...spec }, keyOf: keyExtractor(spec.keyPath), list: new SortedList<Entry>(byKeyThenPk) };
    this.primary.forEach((e) => this.indexOne(idx, e.pk, e.rec));
    if (spec.unique === true) {
      let prev: Entry | undefined;
      idx.list.forEach((e) => {
        if (prev !== undefined && compareKeys(prev.key, e.key) === 0) {
          throw new StoreError('CONSTRAINT', `cannot create unique index ${this.name}.${spec.name}: key ${showKey(e.key)} is held by several rows`);
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
    const { lower, upper } = b;
    const from =
      lower === undefined
        ? list.start()
        : b.lowerOpen
          ? list.seek((e) => compareKeys(e.key, lower) > 0)
          : list.seek((e) => compareKeys(e.key, lower) >= 0);
    const to =
      upper === undefined
        ? list.end()
        : b.upperOpen
          ? list.seek((e) => compareKeys(e.key, upper) >= 0)
          : list.seek((e) => compareKeys(e.key, upper) > 0);
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
