// Conformance: values round-trip exactly, bad values are refused, reads and writes copy.
import type { StoreRecord } from '../../../src/store/types.js';
import { assert, assertEqual, assertRejects } from './assert.js';
import type { ConformanceCheck } from './context.js';
import { BASE } from './fixtures.js';

function sample(): StoreRecord {
  const rec: StoreRecord = {
    id: 'v',
    u64max: 2n ** 64n - 1n,
    zero: 0n,
    negative: -(2n ** 70n),
    huge: 3n ** 200n,
    bytes: Uint8Array.from({ length: 256 }, (_, i) => i),
    empty: new Uint8Array(0),
    nested: { a: [1, 'two', { three: [3n, null, new Uint8Array([3])] }], b: { c: { d: true } } },
    list: [[], [[]], {}, false],
    nothing: null,
    yes: true,
    no: false,
    nan: NaN,
    negZero: -0,
    inf: -Infinity,
    float: 0.1 + 0.2,
    text: 'lightning ⚡ \ud83d\ude00 \u0000 end',
    loneSurrogate: 'a\ud800b',
    emptyText: '',
    long: 'x'.repeat(100_000),
    dropped: undefined,
    inner: { gone: undefined, kept: 1 },
  };
  Object.defineProperty(rec, '__proto__', { value: 'own member', enumerable: true, writable: true, configurable: true });
  return rec;
}

export const valueChecks: ConformanceCheck[] = [
  {
    name: 'values round-trip exactly (bigint, bytes, nested data, null); undefined members are dropped',
    async run(ctx) {
      const name = ctx.fresh();
      const s = await ctx.open(name, BASE);
      await s.commit([{ table: 'items', put: sample() }]);
      const expected: StoreRecord = sample();
      delete expected.dropped;
      expected.inner = { kept: 1 };
      const got = await s.get('items', 'v');
      assertEqual(got, expected, 'get');
      assert(got !== undefined && !('dropped' in got), 'undefined member absent');
      assert(got !== undefined && Object.getPrototypeOf(got) === Object.prototype, 'a plain object comes back');
      assertEqual((await s.query('items'))[0], expected, 'query');
      await s.close();
      const again = await ctx.open(name, BASE);
      assertEqual(await again.get('items', 'v'), expected, 'after reopening');
    },
  },
  {
    name: 'values outside StoreValue are BAD_VALUE',
    async run(ctx) {
      class Thing {
        a = 1;
      }
      const bad: [string, unknown][] = [
        ['function', () => 1],
        ['symbol', Symbol('s')],
        ['Date', new Date(0)],
        ['Map', new Map()],
        ['class instance', new Thing()],
        ['undefined in an array', [1, undefined]],
      ];
      for (const [what, value] of bad) {
        const s = await ctx.open(ctx.fresh(), BASE);
        await assertRejects(s.commit([{ table: 'items', put: { id: 1, value } as unknown as StoreRecord }]), 'BAD_VALUE', what);
        await s.close();
      }
      const s = await ctx.open(ctx.fresh(), BASE);
      await assertRejects(s.commit([{ table: 'items', put: [1] as unknown as StoreRecord }]), 'BAD_VALUE', 'a record that is an array');
    },
  },
  {
    name: 'returned records are copies, and the store copies what it is given',
    async run(ctx) {
      const s = await ctx.open(ctx.fresh(), BASE);
      const input = { id: 1, x: 'a', bytes: new Uint8Array([1, 2, 3]), nested: { list: [1, 2] } };
      await s.commit([{ table: 'items', put: input }]);
      input.bytes[0] = 99;
      input.nested.list.push(3);
      input.x = 'changed';
      const first = (await s.get('items', 1))!;
      (first.bytes as Uint8Array)[1] = 99;
      ((first.nested as { list: number[] }).list as number[]).push(4);
      first.x = 'mutated';
      const page = await s.query('items', { index: 'by_x' });
      page[0]!.extra = true;
      const expected = { id: 1, x: 'a', bytes: new Uint8Array([1, 2, 3]), nested: { list: [1, 2] } };
      assertEqual(await s.get('items', 1), expected, 'stored row unchanged');
      assertEqual(await s.query('items', { index: 'by_x', range: { only: 'a' } }), [expected], 'index still finds the original');
    },
  },
];
