// listsendpays (§1.3, §3.3, L-1…L-5) on the runtime's PaymentsService: parameter rules, ordering
// and ignore rules, the bolt11 filter with the node's own decoder (this chain's BOLT 11 only; BOLT 12
// named as such), and the store query plan checked against an emulation of IndexedDB's ordering.
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
import { encodeInvoice } from '../../../src/invoice/encode.js';
import type { Network as InvoiceNetwork } from '../../../src/invoice/networks.js';
import { fromHex } from '../../../src/util/bytes.js';
import { invstringDecoderFor } from '../../../src/payments/index.js';
import { HASH, HASH2, SCID1, SECRET, expectErr, expectOk, hop, ids, makePayer, type Payer } from './helpers.js';

const PEER = ids[5]!;
const route = [hop(PEER, SCID1, 1000, 9)];
const HASH3 = 'cc'.repeat(32);

const decode: InvstringDecoder = (s) =>
  s === 'lnbcrt10n1abc' ? { ok: true, payment_hash: HASH.toUpperCase() } : { ok: false, reason: 'Bad bech32 string' };

/** Four rows: #1 HASH failed, #2 HASH pending (group 2), #3 HASH2 complete, #4 HASH3 pending. */
async function populated(decodeInvstring: InvstringDecoder = decode) {
  const made = await makePayer({ decodeInvstring });
  const { payer } = made;
  expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
  expectOk(await payer.call('sendpay', { route, payment_hash: HASH2, bolt11: 'lnbcrt1other' }));
  await payer.failLocal({ payment_hash: HASH, partid: 0n, groupid: 1n }, 4103, 'x'); // updated 1
  expectOk(await payer.call('sendpay', { route, payment_hash: HASH })); // created 3
  await payer.fulfill({ payment_hash: HASH2, partid: 0n, groupid: 1n }, '77'.repeat(32)); // updated 2
  expectOk(await payer.call('sendpay', { route, payment_hash: HASH3 })); // created 4
  return made;
}

async function list(payer: Payer, params: unknown): Promise<Array<[bigint, string]>> {
  const r = expectOk(await payer.call('listsendpays', params)) as { payments: PaymentObject[] };
  return r.payments.map((p) => [p.created_index, p.status]);
}

describe('listsendpays parameters (§3.3)', () => {
  it('exact messages', async () => {
    const { payer } = await populated();
    expectErr(await payer.call('listsendpays', { bolt11: 'x', payment_hash: HASH }), -32602, 'Can only specify one of {bolt11} or {payment_hash}');
    expectErr(await payer.call('listsendpays', { start: 1 }), -32602, 'Can only specify {start} with {index}');
    expectErr(await payer.call('listsendpays', { limit: 1 }), -32602, 'Can only specify {limit} with {index}');
    expectErr(
      await payer.call('listsendpays', { payment_hash: HASH, index: 'created', start: 1 }),
      -32602,
      'Cannot use start with bolt11 or payment_hash',
    );
    expectErr(await payer.call('listsendpays', { bolt11: 'lnbc1zzz' }), -32602, 'Invalid invstring: Bad bech32 string');
    expectErr(await payer.call('listsendpays', { status: 'Pending' }), -32602, `status: should be an invoice status: invalid token '"Pending"'`);
    expectErr(await payer.call('listsendpays', { index: 'newest' }), -32602, `index: unknown index: invalid token '"newest"'`);
    expectErr(await payer.call('listsendpays', { index: 'created', limit: -1 }), -32602, "limit: should be an unsigned 32 bit integer: invalid token '-1'");
    // start 0 needs no index: only a non-zero start is checked.
    expectOk(await payer.call('listsendpays', { start: 0 }));
  });
});

describe('listsendpays selection and order', () => {
  it('L-1: by hash, every row in created order; status, index and limit have no effect', async () => {
    const { payer } = await populated();
    expect(await list(payer, { payment_hash: HASH })).toEqual([
      [1n, 'failed'],
      [3n, 'pending'],
    ]);
    expect(await list(payer, { payment_hash: HASH, status: 'complete', index: 'updated', limit: 1 })).toEqual([
      [1n, 'failed'],
      [3n, 'pending'],
    ]);
  });

  it('L-4: bolt11 matches by decoded hash (prefix and case accepted; rows without a bolt11 string included)', async () => {
    const { payer } = await populated();
    expect(await list(payer, ['LIGHTNING:LNBCRT10N1ABC'])).toEqual([
      [1n, 'failed'],
      [3n, 'pending'],
    ]);
  });

  it('L-2: everything in created order, status filter, created start/limit; "deleted" orders like created', async () => {
    const { payer } = await populated();
    expect(await list(payer, [])).toEqual([
      [1n, 'failed'],
      [2n, 'complete'],
      [3n, 'pending'],
      [4n, 'pending'],
    ]);
    expect(await list(payer, { status: 'pending' })).toEqual([
      [3n, 'pending'],
      [4n, 'pending'],
    ]);
    expect(await list(payer, { index: 'created', start: 2, limit: 2 })).toEqual([
      [2n, 'complete'],
      [3n, 'pending'],
    ]);
    expect(await list(payer, { index: 'deleted', start: 3 })).toEqual([
      [3n, 'pending'],
      [4n, 'pending'],
    ]);
    expect(await list(payer, { index: 'created', limit: 0 })).toEqual([]);
    expect(await list(payer, { status: 'pending', index: 'created', start: 4 })).toEqual([[4n, 'pending']]);
  });

  it('L-2: updated order puts never-updated rows first when start is 0', async () => {
    const { payer } = await populated();
    expect(await list(payer, { index: 'updated' })).toEqual([
      [3n, 'pending'],
      [4n, 'pending'],
      [1n, 'failed'],
      [2n, 'complete'],
    ]);
    expect(await list(payer, { index: 'updated', start: 1 })).toEqual([
      [1n, 'failed'],
      [2n, 'complete'],
    ]);
    expect(await list(payer, { index: 'updated', start: 2, status: 'complete' })).toEqual([[2n, 'complete']]);
  });

  it('L-3: failed attempts stay listed; L-5: empty result is {"payments":[]}', async () => {
    const { payer } = await populated();
    expect((await list(payer, { status: 'failed' })).length).toBe(1);
    const out = await payer.callText(`{"jsonrpc":"2.0","id":1,"method":"listsendpays","params":{"payment_hash":"${'00'.repeat(32)}"}}`);
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
    const { payer } = await populated();
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
    const rows = await payer.rows();
    for (const plan of plans) {
      expect(runStore(plan, rows).map((r) => r.created_index)).toEqual(runListsendpaysPlan(plan, rows).map((r) => r.created_index));
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

describe('listsendpays bolt11 with the node’s decoder (this chain’s BOLT 11, else BOLT 12)', () => {
  const nodeSecret = new Uint8Array(32).fill(3);
  const invoiceFor = (network: InvoiceNetwork, hash: string) =>
    encodeInvoice({ network, amount_msat: 1000n, payment_hash: fromHex(hash), payment_secret: fromHex(SECRET), description: 'x', timestamp: 1_700_000_000 }, nodeSecret);

  it('a regtest invoice selects its hash on a regtest node, with or without scheme, in any case', async () => {
    const { payer } = await populated(invstringDecoderFor('regtest'));
    const inv = invoiceFor('regtest', HASH);
    expect(await list(payer, { bolt11: inv })).toEqual([
      [1n, 'failed'],
      [3n, 'pending'],
    ]);
    expect(await list(payer, [`LIGHTNING:${inv.toUpperCase()}`])).toEqual([
      [1n, 'failed'],
      [3n, 'pending'],
    ]);
    const pays = expectOk(await payer.call('listpays', { bolt11: `lightning:${invoiceFor('regtest', HASH2)}` })) as { pays: { payment_hash: string }[] };
    expect(pays.pays.map((p) => p.payment_hash)).toEqual([HASH2]);
  });

  it('another chain’s invoice is refused with a reason naming both chains', async () => {
    const { payer } = await populated(invstringDecoderFor('regtest'));
    const reason = 'invoice is for bitcoin (lnbc), this node runs on regtest (lnbcrt)';
    expectErr(await payer.call('listsendpays', { bolt11: invoiceFor('bitcoin', HASH) }), -32602, `Invalid invstring: ${reason}`);
    expectErr(await payer.call('listpays', { bolt11: invoiceFor('bitcoin', HASH) }), -32602, `Invalid invstring: ${reason}`);
    expectErr(
      await payer.call('listsendpays', { bolt11: invoiceFor('testnet', HASH) }),
      -32602,
      'Invalid invstring: invoice is for testnet (lntb), this node runs on regtest (lnbcrt)',
    );
    // Signet's "tbs" is not testnet's "tb" (longest prefix wins), and testnet4 shares testnet's.
    const signet = invstringDecoderFor('testnet');
    expect(signet(invoiceFor('signet', HASH))).toEqual({ ok: false, reason: 'invoice is for signet (lntbs), this node runs on testnet (lntb)' });
    expect(invstringDecoderFor('testnet4')(invoiceFor('testnet', HASH))).toEqual({ ok: true, payment_hash: HASH });
    expect(invstringDecoderFor('bitcoin')(invoiceFor('bitcoin', HASH))).toEqual({ ok: true, payment_hash: HASH });
  });

  it('BOLT 12 strings get a reason saying so, not a bech32 checksum complaint', async () => {
    const { payer } = await populated(invstringDecoderFor('regtest'));
    // BOLT 12-shaped strings (no bech32 checksum, as BOLT 12 has none); only the prefix matters here.
    const cases: Array<[string, string]> = [
      ['lni1qqgz2d7u2smys9dc5q2447e8thjlgq3qqc3xu3s3rg94nj40zfsy866mhu5vxne6tcej5878k2mneuvgjy8s', 'a BOLT 12 invoice: this node cannot decode BOLT 12'],
      ['LNO1QGSQVGNWGCG35Z6EE2H3YCZRADDM72XRFUA9UVE2RLRM9DEU7XYFZRC', 'a BOLT 12 offer, not an invoice: this node cannot decode BOLT 12'],
      ['lnr1qqyqqqqqqqqqqqqqqcp4256ypqqkgzshgysy6ct5dpjk6ct5d93kzmpq23ex2ct5d9ek293pqthvwfzadd7jejes8q9lhc4rvjxd022zv5l44g6qah', 'a BOLT 12 invoice_request, not an invoice: this node cannot decode BOLT 12'],
    ];
    for (const [s, reason] of cases) {
      const e = expectErr(await payer.call('listsendpays', { bolt11: s }), -32602, `Invalid invstring: ${reason}`);
      expect(e.message).not.toMatch(/bech32|checksum/i);
    }
  });

  it('anything else carries the BOLT 11 reader’s reason', async () => {
    const { payer } = await populated(invstringDecoderFor('regtest'));
    const e = expectErr(await payer.call('listsendpays', { bolt11: 'lnbcrt1notaninvoice' }), -32602);
    expect(e.message).toMatch(/^Invalid invstring: invalid bech32 string/);
    // A mixed-case scheme is not stripped (CLN strips only lightning: and LIGHTNING:).
    const mixed = expectErr(await payer.call('listsendpays', { bolt11: `Lightning:${invoiceFor('regtest', HASH)}` }), -32602);
    expect(mixed.message).toMatch(/^Invalid invstring: /);
  });
});
