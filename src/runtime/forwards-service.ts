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
  private fees = 0n;

  constructor(private readonly d: { store: Store; nowMs(): number; onBump?(b: ForwardChange['bump']): void }) {}

  async load(): Promise<void> {
    const [rec, settled] = await Promise.all([
      this.d.store.get<StoreRecord & { created: bigint; updated: bigint; deleted: bigint }>(META_TABLE, COUNTERS_KEY),
      // by_status is keyed [status, created_key]; created_key is a 20-digit decimal string.
      this.d.store.query<ForwardRecord & StoreRecord>(FORWARDS_TABLE.name, { index: 'by_status', range: { lower: ['settled'], upper: ['settled', '\uffff'] } }),
    ]);
    if (rec) this.counters = { created: rec.created, updated: rec.updated, deleted: rec.deleted };
    let fees = 0n;
    for (const f of settled) fees += settledFee(f);
    this.fees = fees;
  }

  get currentCounters(): ForwardCounters {
    return this.counters;
  }

  /**
   * What forwarding earned: in_msat − out_msat over settled forwards (lightningd's
   * wallet_total_forward_fees). Summed from the store once at load, then kept as forwards settle.
   */
  get feesCollectedMsat(): bigint {
    return this.fees;
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
    if (!t.ok) return [];
    // Like the counters, the total moves now: the caller commits these writes or the node stops.
    this.fees += settledFee(t.record);
    return this.writes(t);
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

function settledFee(f: ForwardRecord): bigint {
  return f.status === 'settled' && f.out_msat !== undefined ? f.in_msat - f.out_msat : 0n;
}
