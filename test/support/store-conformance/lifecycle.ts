// Conformance: fail-stop, close, read-only opens, the one-writer lock, unknown tables and indexes.
import type { Store } from '../../../src/store/types.js';
import { assertEqual, assertRejects } from './assert.js';
import type { ConformanceCheck } from './context.js';
import { BASE } from './fixtures.js';

async function allRejectWith(s: Store, code: 'FAILED' | 'CLOSED', when: string): Promise<void> {
  await assertRejects(s.get('items', 1), code, `get ${when}`);
  await assertRejects(s.query('items'), code, `query ${when}`);
  await assertRejects(s.count('items'), code, `count ${when}`);
  await assertRejects(s.commit([{ table: 'items', put: { id: 2 } }]), code, `commit ${when}`);
}

export const lifecycleChecks: ConformanceCheck[] = [
  {
    name: 'after a failed commit every call rejects with FAILED (fail-stop)',
    async run(ctx) {
      const name = ctx.fresh();
      const s = await ctx.open(name, BASE);
      await s.commit([{ table: 'items', put: { id: 1, u: 1 } }]);
      await assertRejects(s.commit([{ table: 'items', put: { id: 2, u: 1 } }]), 'CONSTRAINT', 'the failing commit');
      await allRejectWith(s, 'FAILED', 'after the failure');
      await s.close();
      await allRejectWith(s, 'CLOSED', 'after close');
      const again = await ctx.open(name, BASE);
      assertEqual(await again.count('items'), 1, 'reopening recovers the committed state');
    },
  },
  {
    name: 'a commit to an unknown table fails the store too',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await assertRejects(s.commit([{ table: 'nope', put: { id: 1 } }]), 'UNKNOWN_TABLE', 'commit');
      await assertRejects(s.count('items'), 'FAILED', 'the next call');
    },
  },
  {
    name: 'close: calls reject with CLOSED; close twice is fine',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      const pending = s.commit([{ table: 'items', put: { id: 1 } }]);
      await s.close();
      await pending;
      await allRejectWith(s, 'CLOSED', 'after close');
      await s.close();
    },
  },
  {
    name: 'unknown tables and indexes are UNKNOWN_TABLE / UNKNOWN_INDEX',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await assertRejects(s.get('nope', 1), 'UNKNOWN_TABLE', 'get');
      await assertRejects(s.query('nope'), 'UNKNOWN_TABLE', 'query');
      await assertRejects(s.count('nope'), 'UNKNOWN_TABLE', 'count');
      await assertRejects(s.query('items', { index: 'nope' }), 'UNKNOWN_INDEX', 'query index');
      await assertRejects(s.count('items', { index: 'nope' }), 'UNKNOWN_INDEX', 'count index');
      assertEqual(await s.count('items'), 0, 'rejected reads leave the store usable');
    },
  },
  {
    name: 'read-only open: reads work, commit is READ_ONLY and does not fail the store',
    async run(ctx) {
      const name = ctx.fresh();
      const w = await ctx.open(name, BASE);
      await w.commit([{ table: 'items', put: { id: 1, x: 'a' } }]);
      const r = await ctx.open(name, BASE, { readOnly: true });
      assertEqual(r.readOnly, true, 'readOnly flag');
      assertEqual(w.readOnly, false, 'writer flag');
      assertEqual((await r.get('items', 1))?.x, 'a', 'read alongside the writer');
      await assertRejects(r.commit([{ table: 'items', put: { id: 2 } }]), 'READ_ONLY', 'commit');
      assertEqual(await r.count('items'), 1, 'still readable after READ_ONLY');
      await w.close();
      await r.close();
      const r2 = await ctx.open(name, BASE, { readOnly: true });
      assertEqual(await r2.count('items', { index: 'by_x' }), 1, 'read-only open with no writer');
    },
  },
  {
    name: 'read-only open of a database that does not exist is SCHEMA',
    async run(ctx) {
      await assertRejects(ctx.open(ctx.fresh(), BASE, { readOnly: true }), 'SCHEMA', 'open');
    },
  },
  {
    name: 'one writer: a second writable open is LOCKED until the first closes',
    async run(ctx) {
      const name = ctx.fresh();
      const first = await ctx.open(name, BASE);
      await first.commit([{ table: 'items', put: { id: 1 } }]);
      const e = await assertRejects(ctx.open(name, BASE), 'LOCKED', 'second writer');
      if (!e.message.includes(name)) throw new Error(`LOCKED message should name the database: ${e.message}`);
      await first.close();
      const second = await ctx.open(name, BASE);
      await second.commit([{ table: 'items', put: { id: 2 } }]);
      assertEqual(await second.count('items'), 2, 'second writer sees and extends the data');
    },
  },
];
