// getinfo's fees_collected_msat comes from ForwardsService's running total: summed from the
// settled forward records when the service loads, then raised as each forward settles (never by
// failures, local failures or a second resolution of the same forward). The store is the real
// memory store under the node's schema.
import { describe, expect, it } from 'vitest';
import { ForwardsService } from '../../../src/runtime/forwards-service.js';
import { NODE_SCHEMA } from '../../../src/runtime/schema.js';
import { openMemoryStore } from '../../../src/store/memory.js';
import { forwardInKey } from '../../../src/forwarding/index.js';
import { scid } from '../../../src/types.js';
import type { Store } from '../../../src/store/types.js';

const IN = scid((116n << 40n) | (1n << 16n) | 1n);
const OUT = scid((118n << 40n) | 1n);

function incoming(id: bigint, in_msat: bigint) {
  return { in_channel: IN, in_htlc_id: id, in_msat, received_ms: 1_738_000_000_000 };
}

async function offer(store: Store, f: ForwardsService, id: bigint, in_msat: bigint, out_msat: bigint): Promise<string> {
  await store.commit(f.offered(incoming(id, in_msat), { out_channel: OUT, out_htlc_id: id, out_msat }).writes);
  return forwardInKey(IN, id);
}

describe('ForwardsService fees collected', () => {
  it('adds settled forwards as they resolve and sums the stored ones at load', async () => {
    const store = await openMemoryStore({ name: 'forwards-fees', schema: NODE_SCHEMA });
    const f = new ForwardsService({ store, nowMs: () => 1_738_000_001_000 });
    await f.load();
    expect(f.feesCollectedMsat).toBe(0n);

    const a = await offer(store, f, 0n, 10_500n, 10_000n);
    const b = await offer(store, f, 1n, 7_003n, 7_000n);
    const c = await offer(store, f, 2n, 9_999n, 9_000n);
    await store.commit(f.localFailed(incoming(3n, 5_000n), 4108, OUT));
    expect(f.feesCollectedMsat).toBe(0n); // offered is not earned

    await store.commit(await f.resolved(a, 'settled'));
    expect(f.feesCollectedMsat).toBe(500n);
    await store.commit(await f.resolved(c, 'failed'));
    expect(f.feesCollectedMsat).toBe(500n);
    expect(await f.resolved(a, 'settled')).toEqual([]); // already settled: no writes, no fee again
    expect(f.feesCollectedMsat).toBe(500n);
    expect(await f.resolved(forwardInKey(IN, 99n), 'settled')).toEqual([]);
    expect(f.feesCollectedMsat).toBe(500n);

    // A restart: the total comes back from the settled records.
    const again = new ForwardsService({ store, nowMs: () => 1_738_000_002_000 });
    await again.load();
    expect(again.feesCollectedMsat).toBe(500n);
    await store.commit(await again.resolved(b, 'settled'));
    expect(again.feesCollectedMsat).toBe(503n);

    const third = new ForwardsService({ store, nowMs: () => 1_738_000_003_000 });
    await third.load();
    expect(third.feesCollectedMsat).toBe(503n);
  });
});
