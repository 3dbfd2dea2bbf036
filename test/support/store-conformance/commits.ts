// Conformance: commits (atomicity, unique indexes, deletes) and queries (ranges, limit, direction, count).
import type { StoreRecord } from '../../../src/store/types.js';
import { assertEqual, assertRejects } from './assert.js';
import type { ConformanceCheck } from './context.js';
import { BASE, ids } from './fixtures.js';

const TEN: StoreRecord[] = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, x: (i + 1) % 3 }));

export const commitChecks: ConformanceCheck[] = [
  {
    name: 'unique index: a violation is CONSTRAINT and rolls back the whole commit',
    async run(ctx) {
      const name = ctx.fresh();
      const s = await ctx.open(name, BASE);
      await s.commit([{ table: 'items', put: { id: 'A', u: 1 } }]);
      // Re-putting a row with its own unique value, and moving a value in one commit, are fine.
      await s.commit([{ table: 'items', put: { id: 'A', u: 1, v: 2 } }]);
      await s.commit([
        { table: 'items', put: { id: 'A', u: 9 } },
        { table: 'items', put: { id: 'D', u: 1 } },
        { table: 'items', put: { id: 'E' } },
        { table: 'items', put: { id: 'F' } },
      ]);
      await assertRejects(
        s.commit([
          { table: 'items', put: { id: 'B', u: 2 } },
          { table: 'other', put: { id: 1 } },
          { table: 'items', delete: 'E' },
          { table: 'items', put: { id: 'C', u: 1 } },
        ]),
        'CONSTRAINT',
        'duplicate u=1',
      );
      await s.close();
      const again = await ctx.open(name, BASE);
      assertEqual(ids(await again.query('items')), ['A', 'D', 'E', 'F'], 'items after the rolled-back commit');
      assertEqual(await again.count('other'), 0, 'other table untouched');
      assertEqual(ids(await again.query('items', { index: 'by_u' })), ['D', 'A'], 'unique index intact');
    },
  },
  {
    name: 'unique index: two new rows with one value in a single commit is CONSTRAINT',
    async run(ctx) {
      const name = ctx.fresh();
      const s = await ctx.open(name, BASE);
      await assertRejects(
        s.commit([
          { table: 'items', put: { id: 1, u: 5 } },
          { table: 'items', put: { id: 2, u: 5 } },
        ]),
        'CONSTRAINT',
        'duplicate within one commit',
      );
      await s.close();
      const again = await ctx.open(name, BASE);
      assertEqual(await again.count('items'), 0, 'nothing written');
      await again.commit([
        { table: 'items', put: { id: 1, u: 5 } },
        { table: 'items', delete: 1 },
        { table: 'items', put: { id: 2, u: 5 } },
      ]);
      assertEqual(ids(await again.query('items', { index: 'by_u' })), [2], 'a value freed earlier in the commit can be reused');
    },
  },
  {
    name: 'a commit over several tables is all or nothing',
    async run(ctx) {
      const name = ctx.fresh();
      const s = await ctx.open(name, BASE);
      await s.commit([
        { table: 'items', put: { id: 1, u: 'x' } },
        { table: 'other', put: { id: 1, u: 'x' } },
        { table: 'pairs', put: { k1: 1, k2: 1 } },
      ]);
      assertEqual([await s.count('items'), await s.count('other'), await s.count('pairs')], [1, 1, 1], 'all three written');
      await assertRejects(
        s.commit([
          { table: 'items', put: { id: 2 } },
          { table: 'pairs', delete: [1, 1] },
          { table: 'other', put: { id: 2, u: 'x' } },
        ]),
        'CONSTRAINT',
        'violation in the last table',
      );
      await s.close();
      const again = await ctx.open(name, BASE);
      assertEqual([await again.count('items'), await again.count('other'), await again.count('pairs')], [1, 1, 1], 'none of it written');
    },
  },
  {
    name: 'deletes, put-then-delete and delete of an absent key in one commit',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await s.commit(TEN.map((put) => ({ table: 'items', put })));
      await s.commit([
        { table: 'items', delete: 3 },
        { table: 'items', put: { id: 11 } },
        { table: 'items', delete: 11 },
        { table: 'items', delete: 'absent' },
        { table: 'items', put: { id: 4, x: 'four' } },
      ]);
      assertEqual(ids(await s.query('items')), [1, 2, 4, 5, 6, 7, 8, 9, 10], 'rows');
      assertEqual((await s.get('items', 4))?.x, 'four', 'later op wins');
      assertEqual(await s.get('items', 3), undefined, 'deleted row is gone');
      assertEqual(ids(await s.query('items', { index: 'by_x', range: { only: 'four' } })), [4], 'index follows the update');
      assertEqual(await s.count('items', { index: 'by_x', range: { only: 1 } }), 3, 'old index entry of the updated row removed');
    },
  },
  {
    name: 'ranges: only, open and closed lower and upper bounds',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await s.commit(TEN.map((put) => ({ table: 'items', put })));
      const q = async (range: Parameters<typeof s.query>[1]) => ids(await s.query('items', range));
      assertEqual(await q({ range: { only: 4 } }), [4], 'only');
      assertEqual(await q({ range: { only: 40 } }), [], 'only, absent');
      assertEqual(await q({ range: { lower: 8 } }), [8, 9, 10], 'lower closed');
      assertEqual(await q({ range: { lower: 8, lowerOpen: true } }), [9, 10], 'lower open');
      assertEqual(await q({ range: { upper: 3 } }), [1, 2, 3], 'upper closed');
      assertEqual(await q({ range: { upper: 3, upperOpen: true } }), [1, 2], 'upper open');
      assertEqual(await q({ range: { lower: 3, upper: 6, lowerOpen: true, upperOpen: true } }), [4, 5], 'both open');
      assertEqual(await q({ range: { lower: 3.5, upper: 6.5 } }), [4, 5, 6], 'bounds between keys');
      assertEqual(await q({ range: { lower: 'a' } }), [], 'strings sort after every number');
      assertEqual(await q({ range: { upper: 'a' } }), TEN.map((r) => r.id), 'every number is below a string');
      assertEqual(await q({ range: { lower: 5, upper: 5 } }), [5], 'lower = upper, closed');
      // by_x holds 1,2,0,1,2,0,…: ties come in primary key order.
      assertEqual(ids(await s.query('items', { index: 'by_x', range: { only: 1 } })), [1, 4, 7, 10], 'index only, ties by primary key');
      assertEqual(ids(await s.query('items', { index: 'by_x', range: { lower: 1, lowerOpen: true } })), [2, 5, 8], 'index lower open');
      await assertRejects(s.query('items', { range: { lower: 5, upper: 4 } }), 'BAD_KEY', 'lower above upper');
      await assertRejects(s.query('items', { range: { lower: 5, upper: 5, upperOpen: true } }), 'BAD_KEY', 'empty half-open range');
      await assertRejects(s.count('items', { range: { lower: 'b', upper: 'a' } }), 'BAD_KEY', 'count with crossed bounds');
      assertEqual(await s.count('items'), 10, 'a bad range does not fail the store');
    },
  },
  {
    // Backends may read a long query in several requests (IndexedDB reads 100 rows at a time):
    // runs of equal index keys longer than a request, and bounds that fall on a request's last
    // row, must come out as one query would.
    name: 'long queries: more rows than one read, long runs of equal index keys, limits across reads',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      // ids 1..450; x = 0 for ids 1..250 (a run longer than two reads), then 1, 2, 1, 2, …; u = id.
      const rows: StoreRecord[] = Array.from({ length: 450 }, (_, i) => ({ id: i + 1, x: i < 250 ? 0 : 1 + (i % 2), u: i + 1 }));
      await s.commit(rows.map((put) => ({ table: 'items', put })));
      const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
      const x = (v: number): number[] => rows.filter((r) => r.x === v).map((r) => r.id as number);
      assertEqual(ids(await s.query('items')), range(1, 450), 'every row, primary order');
      assertEqual(ids(await s.query('items', { limit: 250 })), range(1, 250), 'limit across reads');
      assertEqual(ids(await s.query('items', { range: { lower: 101 }, limit: 100 })), range(101, 200), 'a page that starts on a read boundary');
      assertEqual(ids(await s.query('items', { range: { lower: 1, upper: 200 } })), range(1, 200), 'closed upper bound on the last row of a read');
      assertEqual(ids(await s.query('items', { range: { lower: 0, upper: 100 } })), range(1, 100), 'closed upper bound = the first read');
      assertEqual(ids(await s.query('items', { index: 'by_x' })), [...x(0), ...x(1), ...x(2)], 'index: a run of 250 equal keys, then the rest');
      assertEqual(ids(await s.query('items', { index: 'by_x', range: { only: 0 } })), x(0), 'index only: the whole run');
      assertEqual(ids(await s.query('items', { index: 'by_x', range: { only: 0 }, limit: 201 })), x(0).slice(0, 201), 'index run with a limit across reads');
      assertEqual(ids(await s.query('items', { index: 'by_x', range: { lower: 0, upper: 1 }, limit: 300 })), [...x(0), ...x(1)].slice(0, 300), 'index limit past the run');
      assertEqual(ids(await s.query('items', { index: 'by_u', range: { lower: 150, upper: 300 } })), range(150, 300), 'unique index across reads');
      assertEqual(await s.count('items', { index: 'by_x', range: { only: 0 } }), 250, 'count of the run');
    },
  },
  {
    name: 'limit and direction prev',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await s.commit(TEN.map((put) => ({ table: 'items', put })));
      assertEqual(ids(await s.query('items', { limit: 3 })), [1, 2, 3], 'first three');
      assertEqual(ids(await s.query('items', { limit: 3, direction: 'prev' })), [10, 9, 8], 'last three');
      assertEqual(ids(await s.query('items', { limit: 0 })), [], 'limit 0 returns nothing');
      assertEqual(ids(await s.query('items', { limit: 100 })).length, 10, 'limit above the row count');
      assertEqual(ids(await s.query('items', { range: { upper: 5, upperOpen: true }, direction: 'prev', limit: 2 })), [4, 3], 'prev within a range');
      assertEqual(ids(await s.query('items', { index: 'by_x', direction: 'prev' })), [8, 5, 2, 10, 7, 4, 1, 9, 6, 3], 'prev on an index: ties by primary key descending');
      assertEqual(ids(await s.query('items', { index: 'by_x', range: { only: 0 }, direction: 'prev', limit: 2 })), [9, 6], 'prev on an index with a limit');
      await assertRejects(s.query('items', { limit: -1 }), 'BAD_VALUE', 'negative limit');
      await assertRejects(s.query('items', { limit: 1.5 }), 'BAD_VALUE', 'fractional limit');
    },
  },
  {
    name: 'count over the table, an index and a range',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      assertEqual(await s.count('items'), 0, 'empty');
      await s.commit(TEN.map((put) => ({ table: 'items', put })));
      assertEqual(await s.count('items'), 10, 'table');
      assertEqual(await s.count('items', { range: { lower: 2, upper: 4 } }), 3, 'primary range');
      assertEqual(await s.count('items', { index: 'by_x' }), 10, 'index');
      assertEqual(await s.count('items', { index: 'by_x', range: { only: 2 } }), 3, 'index range');
      assertEqual(await s.count('items', { index: 'by_u' }), 0, 'index with no entries');
    },
  },
  {
    name: 'a commit of 2000 rows lands whole',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      const rows = Array.from({ length: 2000 }, (_, i) => ({ id: i, x: `h${(i * 7919) % 2000}`, blob: new Uint8Array(64).fill(i & 255) }));
      await s.commit(rows.map((put) => ({ table: 'items', put })));
      assertEqual(await s.count('items'), 2000, 'count');
      const h7 = rows.filter((r) => r.x === 'h7').map((r) => r.id);
      assertEqual(ids(await s.query('items', { index: 'by_x', range: { only: 'h7' } })), h7, 'index lookup');
      assertEqual((await s.get('items', 1999))?.blob, new Uint8Array(64).fill(1999 & 255), 'value');
    },
  },
];
