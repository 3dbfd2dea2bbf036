// Forward records (Core Lightning's `forwards` table) and listforwards, over the Store.
import type { Store, StoreRecord, WriteOp } from '../store/types.js';
import { ok, type Outcome } from '../rpc/errors.js';
import type { JsonOut } from '../rpc/json-write.js';
import {
  FORWARDS_TABLE,
  ZERO_FORWARD_COUNTERS,
  formatListforwards,
  forwardFailed,
  forwardLocalFailed,
  forwardOffered,
  forwardSettled,
  forwardsStoreQuery,
  planListforwards,
  selectForwards,
  type ForwardChange,
  type ForwardCounters,
  type ForwardRecord,
  type IncomingSide,
  type ListforwardsParams,
} from '../forwarding/index.js';
import type { Scid } from '../types.js';
import { META_TABLE } from './schema.js';

const COUNTERS_KEY = 'forwards_counters';

export class ForwardsService {
  private counters: ForwardCounters = ZERO_FORWARD_COUNTERS;

  constructor(private readonly d: { store: Store; nowMs(): number; onBump?(b: ForwardChange['bump']): void }) {}

  async load(): Promise<void> {
    const rec = await this.d.store.get<StoreRecord & { created: bigint; updated: bigint; deleted: bigint }>(META_TABLE, COUNTERS_KEY);
    if (rec) this.counters = { created: rec.created, updated: rec.updated, deleted: rec.deleted };
  }

  get currentCounters(): ForwardCounters {
    return this.counters;
  }

  /**
   * Writes for a change; the counters advance now (callers commit the writes in the transaction
   * that carries the HTLC change, and a failed commit stops the node anyway).
   */
  private writes(c: ForwardChange): WriteOp[] {
    this.counters = c.counters;
    // Waiters learn of it on the next tick, after the caller's commit has been issued.
    queueMicrotask(() => this.d.onBump?.(c.bump));
    return [
      { table: FORWARDS_TABLE.name, put: c.record as unknown as StoreRecord },
      { table: META_TABLE, put: { key: COUNTERS_KEY, ...c.counters } },
    ];
  }

  offered(i: IncomingSide, out: { out_channel: Scid; out_htlc_id: bigint; out_msat: bigint }): { writes: WriteOp[] } {
    return { writes: this.writes(forwardOffered(i, out, this.counters)) };
  }

  localFailed(i: IncomingSide, failcode: number, outChannel: Scid | undefined): WriteOp[] {
    return this.writes(forwardLocalFailed(i, failcode, outChannel, this.counters));
  }

  /** Writes for the end of the forward whose incoming side is `inKey` (forwardInKey). */
  async resolved(inKey: string, how: 'settled' | 'failed'): Promise<WriteOp[]> {
    const found = await this.d.store.query<ForwardRecord & StoreRecord>(FORWARDS_TABLE.name, { index: 'by_in', range: { only: inKey } });
    const r = found[0];
    if (!r) return [];
    const t = how === 'settled' ? forwardSettled(r, this.d.nowMs(), this.counters) : forwardFailed(r, this.d.nowMs(), this.counters);
    return t.ok ? this.writes(t) : [];
  }

  async listforwards(p: ListforwardsParams): Promise<Outcome<JsonOut>> {
    const plan = planListforwards(p);
    if (!plan.ok) return plan;
    const q = forwardsStoreQuery(plan.value);
    const rows = (await this.d.store.query(FORWARDS_TABLE.name, {
      ...(q.index !== undefined ? { index: q.index } : {}),
      range: q.upper === undefined ? { lower: q.lower } : { lower: q.lower, upper: q.upper },
    })) as unknown as ForwardRecord[];
    return ok(formatListforwards(selectForwards(plan.value, rows)) as unknown as JsonOut);
  }
}
