// Conformance: IndexedDB key order and validity, keyPaths, and what gets indexed.
import type { Key, StoreRecord } from '../../../src/store/types.js';
import { assertEqual, assertRejects } from './assert.js';
import type { ConformanceCheck } from './context.js';
import { BASE, ids, putEach, shuffled } from './fixtures.js';

/** Keys in IndexedDB order: numbers, then strings by UTF-16 code unit, then arrays element-wise. */
const ORDERED_KEYS: Key[] = [
  -Infinity,
  -1e9,
  -1,
  -0.5,
  0,
  1,
  1.5,
  1e21,
  Infinity,
  '',
  '\u0000',
  'A',
  'B',
  'a',
  'ab',
  'b',
  '\u00e9',
  '\ud83d\ude00',
  '\uffff',
  [],
  [-1],
  [0],
  [0, 0],
  [0, 'a'],
  [1],
  ['a'],
  ['a', 0],
  ['b'],
  [[]] as unknown as Key,
  [[0], 1] as unknown as Key,
];

export const keyChecks: ConformanceCheck[] = [
  {
    name: 'keys order as in IndexedDB: number < string < array, arrays element-wise',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await s.commit(shuffled(ORDERED_KEYS).map((id) => ({ table: 'items', put: { id } })));
      assertEqual(ids(await s.query('items')), ORDERED_KEYS, 'ascending order');
      assertEqual(ids(await s.query('items', { direction: 'prev' })), [...ORDERED_KEYS].reverse(), 'descending order');
      assertEqual(await s.count('items'), ORDERED_KEYS.length, 'count');
      for (const k of ORDERED_KEYS) assertEqual((await s.get('items', k))?.id, k, `get ${JSON.stringify(k)}`);
    },
  },
  {
    name: '0 and -0 are the same key',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await s.commit([{ table: 'items', put: { id: -0, v: 1 } }]);
      await s.commit([{ table: 'items', put: { id: 0, v: 2 } }]);
      assertEqual(await s.count('items'), 1, 'one row');
      assertEqual((await s.get('items', -0))?.v, 2, 'get(-0) sees the second put');
    },
  },
  {
    name: 'invalid primary keys are BAD_KEY and the commit writes nothing',
    async run(ctx) {
      const bad: StoreRecord[] = [
        { id: 5n },
        { noId: 1 },
        { id: true },
        { id: null },
        { id: { a: 1 } },
        { id: NaN },
        { id: [1, 5n] },
        { id: undefined },
      ];
      for (const rec of bad) {
        const name = ctx.fresh();
        const s = await ctx.open(name, BASE);
        await assertRejects(s.commit([{ table: 'items', put: { id: 'good' } }, { table: 'items', put: rec }]), 'BAD_KEY', `put ${String(rec.id)}`);
        await s.close();
        const again = await ctx.open(name, BASE);
        assertEqual(await again.count('items'), 0, 'nothing from the failed commit');
        await again.close();
      }
      const s = await ctx.open(ctx.fresh(), BASE);
      await s.commit([{ table: 'items', put: { id: 1 } }]);
      await assertRejects(s.get('items', 5n as unknown as Key), 'BAD_KEY', 'get with a bigint key');
      await assertRejects(s.get('items', [1, true] as unknown as Key), 'BAD_KEY', 'get with an array holding a boolean');
      await assertRejects(s.query('items', { range: { lower: null as unknown as Key } }), 'BAD_KEY', 'range bound null');
      assertEqual((await s.get('items', 1))?.id, 1, 'a rejected read leaves the store usable');
      await assertRejects(s.commit([{ table: 'items', delete: 2n as unknown as Key }]), 'BAD_KEY', 'delete with a bigint key');
    },
  },
  {
    name: 'records whose index key is missing or invalid are not indexed',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      const rows: StoreRecord[] = [
        { id: 1 },
        { id: 2, x: null },
        { id: 3, x: true },
        { id: 4, x: 7n },
        { id: 5, x: { a: 1 } },
        { id: 6, x: NaN },
        { id: 7, x: [1, null] },
        { id: 8, x: [1, 2] },
        { id: 9, x: new Uint8Array([1]) },
        { id: 10, x: 'ok' },
        { id: 11, x: 3 },
      ];
      await s.commit(rows.map((put) => ({ table: 'items', put })));
      assertEqual(ids(await s.query('items', { index: 'by_x' })), [11, 10, 9, 8], 'indexed rows in key order (number < string < binary < array)');
      assertEqual(await s.count('items', { index: 'by_x' }), 4, 'index count');
      assertEqual(await s.count('items'), rows.length, 'table count');
      // Rewriting rows moves them out of and into the index as their key turns invalid or valid.
      await s.commit([
        { table: 'items', put: { id: 11, x: true } },
        { table: 'items', put: { id: 1, x: 0 } },
      ]);
      assertEqual(ids(await s.query('items', { index: 'by_x' })), [1, 10, 9, 8], 'index after rewrites');
    },
  },
  {
    name: 'compound keyPaths for tables and indexes',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await putEach(s, 'pairs', [
        { k1: 'a', k2: 1, v: 'a1' },
        { k1: 'a', k2: 0, v: 'a0' },
        { k1: 0, k2: 'z', v: '0z' },
        { k1: 'b', k2: -1, v: 'b-1' },
      ]);
      assertEqual(ids(await s.query('pairs'), 'v'), ['0z', 'a0', 'a1', 'b-1'], 'primary order');
      assertEqual((await s.get('pairs', ['a', 1]))?.v, 'a1', 'get by compound key');
      assertEqual(ids(await s.query('pairs', { range: { lower: ['a'], upper: ['a', Infinity] } }), 'v'), ['a0', 'a1'], 'prefix range');
      await s.commit([{ table: 'pairs', delete: ['a', 0] }]);
      assertEqual(await s.count('pairs'), 3, 'delete by compound key');

      await s.commit([
        { table: 'items', put: { id: 1, a: 2, b: 'y' } },
        { table: 'items', put: { id: 2, a: 2, b: 'x' } },
        { table: 'items', put: { id: 3, a: 1 } },
        { table: 'items', put: { id: 4, a: 1, b: false } },
      ]);
      assertEqual(ids(await s.query('items', { index: 'by_pair' })), [2, 1], 'rows with every member indexed');
      assertEqual(ids(await s.query('items', { index: 'by_pair', range: { only: [2, 'y'] } })), [1], 'only([2, y])');
      await assertRejects(s.commit([{ table: 'pairs', put: { k1: 'a' } }]), 'BAD_KEY', 'compound primary key with a missing member');
    },
  },
  {
    name: 'dotted keyPaths read nested members',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      await s.commit([
        { table: 'items', put: { id: 1, meta: { n: 2 } } },
        { table: 'items', put: { id: 2, meta: { n: 1 } } },
        { table: 'items', put: { id: 3, meta: 5 } },
        { table: 'items', put: { id: 4, meta: {} } },
        { table: 'items', put: { id: 5, meta: [1] } },
      ]);
      assertEqual(ids(await s.query('items', { index: 'by_deep' })), [2, 1], 'indexed by meta.n');
    },
  },
];
