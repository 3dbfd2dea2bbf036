// listsendpays (§1.3, §3.3, L-1…L-5): parameter rules, ordering and ignore rules, and the store
// query plan checked against an emulation of IndexedDB's compound-key ordering.
import { describe, expect, it } from 'vitest';
import {
  PAYMENTS_TABLE,
  formatListsendpays,
  planListsendpays,
  runListsendpaysPlan,
  storeQueryFor,
  u64Key,
  type InvstringDecoder,
  type ListsendpaysPlan,
  type PaymentObject,
  type PaymentRow,
} from '../../../src/payments/index.js';
import { HASH, HASH2, SCID1, expectErr, expectOk, hop, ids, makeEngine } from './helpers.js';

const PEER = ids[5]!;
const route = [hop(PEER, SCID1, 1000, 9)];
const HASH3 = 'cc'.repeat(32);

const decode: InvstringDecoder = (s) =>
  s === 'lnbcrt10n1abc' ? { ok: true, payment_hash: HASH.toUpperCase() } : { ok: false, reason: 'Bad bech32 string' };

/** Four rows: #1 HASH failed, #2 HASH pending (group 2), #3 HASH2 complete, #4 HASH3 pending. */
async function populated() {
  const made = makeEngine({ decodeInvstring: decode });
  const { engine } = made;
  expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
  expectOk(await engine.call('sendpay', { route, payment_hash: HASH2, bolt11: 'lnbcrt1other' }));
  engine.resolve({ payment_hash: HASH, partid: 0n, groupid: 1n }, { kind: 'local', failcode: 4103, reason: 'x' }); // updated 1
  expectOk(await engine.call('sendpay', { route, payment_hash: HASH })); // created 3
  engine.resolve({ payment_hash: HASH2, partid: 0n, groupid: 1n }, { kind: 'fulfilled', preimage: '77'.repeat(32) }); // updated 2
  expectOk(await engine.call('sendpay', { route, payment_hash: HASH3 })); // created 4
  return made;
}

async function list(engine: Awaited<ReturnType<typeof populated>>['engine'], params: unknown): Promise<Array<[bigint, string]>> {
  const r = expectOk(await engine.call('listsendpays', params)) as { payments: PaymentObject[] };
  return r.payments.map((p) => [p.created_index, p.status]);
}

describe('listsendpays parameters (§3.3)', () => {
  it('exact messages', async () => {
    const { engine } = await populated();
    expectErr(await engine.call('listsendpays', { bolt11: 'x', payment_hash: HASH }), -32602, 'Can only specify one of {bolt11} or {payment_hash}');
    expectErr(await engine.call('listsendpays', { start: 1 }), -32602, 'Can only specify {start} with {index}');
    expectErr(await engine.call('listsendpays', { limit: 1 }), -32602, 'Can only specify {limit} with {index}');
    expectErr(
      await engine.call('listsendpays', { payment_hash: HASH, index: 'created', start: 1 }),
      -32602,
      'Cannot use start with bolt11 or payment_hash',
    );
    expectErr(await engine.call('listsendpays', { bolt11: 'lnbc1zzz' }), -32602, 'Invalid invstring: Bad bech32 string');
    expectErr(await engine.call('listsendpays', { status: 'Pending' }), -32602, `status: should be an invoice status: invalid token '"Pending"'`);
    expectErr(await engine.call('listsendpays', { index: 'newest' }), -32602, `index: unknown index: invalid token '"newest"'`);
    expectErr(await engine.call('listsendpays', { index: 'created', limit: -1 }), -32602, "limit: should be an unsigned 32 bit integer: invalid token '-1'");
    // start 0 needs no index: only a non-zero start is checked.
    expectOk(await engine.call('listsendpays', { start: 0 }));
  });
});

describe('listsendpays selection and order', () => {
  it('L-1: by hash, every row in created order; status, index and limit have no effect', async () => {
    const { engine } = await populated();
    expect(await list(engine, { payment_hash: HASH })).toEqual([
      [1n, 'failed'],
      [3n, 'pending'],
    ]);
    expect(await list(engine, { payment_hash: HASH, status: 'complete', index: 'updated', limit: 1 })).toEqual([
      [1n, 'failed'],
      [3n, 'pending'],
    ]);
  });

  it('L-4: bolt11 matches by decoded hash (prefix and case accepted; rows without a bolt11 string included)', async () => {
    const { engine } = await populated();
    expect(await list(engine, ['LIGHTNING:LNBCRT10N1ABC'])).toEqual([
      [1n, 'failed'],
      [3n, 'pending'],
    ]);
  });

  it('L-2: everything in created order, status filter, created start/limit; "deleted" orders like created', async () => {
    const { engine } = await populated();
    expect(await list(engine, [])).toEqual([
      [1n, 'failed'],
      [2n, 'complete'],
      [3n, 'pending'],
      [4n, 'pending'],
    ]);
    expect(await list(engine, { status: 'pending' })).toEqual([
      [3n, 'pending'],
      [4n, 'pending'],
    ]);
    expect(await list(engine, { index: 'created', start: 2, limit: 2 })).toEqual([
      [2n, 'complete'],
      [3n, 'pending'],
    ]);
    expect(await list(engine, { index: 'deleted', start: 3 })).toEqual([
      [3n, 'pending'],
      [4n, 'pending'],
    ]);
    expect(await list(engine, { index: 'created', limit: 0 })).toEqual([]);
    expect(await list(engine, { status: 'pending', index: 'created', start: 4 })).toEqual([[4n, 'pending']]);
  });

  it('L-2: updated order puts never-updated rows first when start is 0', async () => {
    const { engine } = await populated();
    expect(await list(engine, { index: 'updated' })).toEqual([
      [3n, 'pending'],
      [4n, 'pending'],
      [1n, 'failed'],
      [2n, 'complete'],
    ]);
    expect(await list(engine, { index: 'updated', start: 1 })).toEqual([
      [1n, 'failed'],
      [2n, 'complete'],
    ]);
    expect(await list(engine, { index: 'updated', start: 2, status: 'complete' })).toEqual([[2n, 'complete']]);
  });

  it('L-3: failed attempts stay listed; L-5: empty result is {"payments":[]}', async () => {
    const { engine } = await populated();
    expect((await list(engine, { status: 'failed' })).length).toBe(1);
    const out = await engine.callText(`{"jsonrpc":"2.0","id":1,"method":"listsendpays","params":{"payment_hash":"${'00'.repeat(32)}"}}`);
    expect(out).toBe('{"jsonrpc":"2.0","id":1,"result":{"payments":[]}}');
  });

  it('the plan mirrors the parameters', () => {
    const plan = (p: Record<string, unknown>) =>
      planListsendpays({ bolt11: undefined, payment_hash: undefined, status: undefined, index: undefined, start: 0n, limit: undefined, ...p }, decode);
    expect(expectOk(plan({}))).toEqual({ kind: 'scan', order: 'created', start: 0n });
    expect(expectOk(plan({ bolt11: 'lnbcrt10n1abc', status: 'pending' }))).toEqual({ kind: 'hash', payment_hash: HASH });
    expect(expectOk(plan({ index: 'updated', start: 5n, limit: 2, status: 'failed' }))).toEqual({
      kind: 'scan',
      order: 'updated',
      start: 5n,
      limit: 2,
      status: 'failed',
    });
  });
});

describe('store query plan against IndexedDB-style key ordering', () => {
  type Key = string | string[];
  const cmp = (a: Key, b: Key): number => {
    const x = Array.isArray(a) ? a : [a];
    const y = Array.isArray(b) ? b : [b];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length - y.length;
  };
  const keyOf = (r: PaymentRow, path: string | readonly string[]): Key =>
    typeof path === 'string' ? String(r[path as keyof PaymentRow]) : path.map((p) => String(r[p as keyof PaymentRow]));

  function runStore(plan: ListsendpaysPlan, rows: PaymentRow[]): PaymentRow[] {
    const q = storeQueryFor(plan);
    const path = q.index === undefined ? PAYMENTS_TABLE.keyPath : PAYMENTS_TABLE.indexes.find((i) => i.name === q.index)!.keyPath;
    const inRange = rows.filter((r) => cmp(keyOf(r, path), q.lower) >= 0 && (q.upper === undefined || cmp(keyOf(r, path), q.upper) <= 0));
    inRange.sort((a, b) => cmp(keyOf(a, path), keyOf(b, path)));
    return q.limit === undefined ? inRange : inRange.slice(0, q.limit);
  }

  it('yields exactly the reference rows, in the same order, for every plan shape', async () => {
    const { engine } = await populated();
    const plans: ListsendpaysPlan[] = [
      { kind: 'hash', payment_hash: HASH },
      { kind: 'scan', order: 'created', start: 0n },
      { kind: 'scan', order: 'created', start: 3n, limit: 1 },
      { kind: 'scan', order: 'updated', start: 0n },
      { kind: 'scan', order: 'updated', start: 2n },
      { kind: 'scan', order: 'created', start: 0n, status: 'pending' },
      { kind: 'scan', order: 'updated', start: 0n, status: 'failed' },
      { kind: 'scan', order: 'updated', start: 1n, status: 'complete', limit: 5 },
    ];
    for (const plan of plans) {
      expect(runStore(plan, engine.rows).map((r) => r.created_index)).toEqual(runListsendpaysPlan(plan, engine.rows).map((r) => r.created_index));
    }
  });

  it('padded keys keep numeric order past 2^53', () => {
    const values = [10n, 9n, 18446744073709551615n, 9007199254740993n, 0n];
    const keys = values.map(u64Key);
    expect(keys.every((k) => k.length === 20)).toBe(true);
    expect([...keys].sort()).toEqual([...values].sort((a, b) => (a < b ? -1 : 1)).map(u64Key));
    expect(formatListsendpays([])).toEqual({ payments: [] });
  });
});
