// sendpay end to end through JSON-RPC on the reference engine: evaluation order (§3.1, P-3),
// defaults, result shapes and key order (§2.1, §2.2), onion values (T-3), first hop (T-1, T-2).
import { describe, expect, it } from 'vitest';
import { parseJson, tokenToValue } from '../../../src/rpc/index.js';
import {
  decideSendpay,
  formatScid,
  onionPayloadsSize,
  planOnion,
  ROUTING_INFO_SIZE,
  SENDPAY_PARAMS,
  WIRE_UNKNOWN_NEXT_PEER,
  ZERO_COUNTERS,
} from '../../../src/payments/index.js';
import { parseParams } from '../../../src/rpc/index.js';
import { HASH, HEIGHT, NOW, SCID1, SECRET, channel, expectErr, expectOk, hop, ids, makeEngine } from './helpers.js';

const OWN = ids[0]!;
const PEER = ids[5]!;
const DEST = ids[7]!;

function twoHop(amountFinal = 1000, amountFirst = 1010) {
  return [hop(PEER, SCID1, amountFirst, 15), hop(DEST, '200x2x1', amountFinal, 9)];
}

async function text(engine: ReturnType<typeof makeEngine>['engine'], method: string, params: string, id = 1): Promise<string> {
  return engine.callText(`{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${params}}`);
}

describe('sendpay: accepted attempt', () => {
  it('answers the monitor message then the payment object, in CLN key order', async () => {
    const { engine } = makeEngine();
    const out = await text(
      engine,
      'sendpay',
      `{"route":[{"id":"${PEER}","channel":"${SCID1}","amount_msat":1010,"delay":15},{"id":"${DEST}","channel":"200x2x1","amount_msat":1000,"delay":9}],"payment_hash":"${HASH}","label":"l","bolt11":"LIGHTNING:LNBCRT1X","description":"d"}`,
    );
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":1,"result":{"message":"Monitor status with listpays or waitsendpay","created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"destination":"${DEST}","amount_msat":1000,"amount_sent_msat":1010,"created_at":${NOW},"status":"pending","label":"l","bolt11":"lnbcrt1x","description":"d"}}`,
    );
    expect(engine.counters).toEqual({ created: 1n, updated: 0n, deleted: 0n });
    expect(engine.bumps).toEqual([
      { subsystem: 'sendpays', index: 'created', value: 1n, details: { status: 'pending', partid: 0n, groupid: 1n, payment_hash: HASH } },
    ]);
    expect(engine.notifications).toEqual([]);
  });

  it('stores the row with route, totals and keys; bolt12 strings echo as bolt12', async () => {
    const { engine } = makeEngine();
    const r = expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, bolt11: 'lni1abc', partid: 0 }));
    expect(r).toMatchObject({ bolt12: 'lni1abc' });
    expect('bolt11' in (r as object)).toBe(false);
    const row = engine.rows[0]!;
    expect(row).toMatchObject({
      payment_hash: HASH,
      partid: 0n,
      groupid: 1n,
      created_index: 1n,
      updated_index: 0n,
      created_key: '00000000000000000001',
      updated_key: '00000000000000000000',
      status: 'pending',
      amount_msat: 1000n,
      amount_sent_msat: 1010n,
      total_msat: 1000n,
      route_nodes: [PEER, DEST],
      route_channels: [(103n << 40n) | (1n << 16n), (200n << 40n) | (2n << 16n) | 1n],
      invstring: 'lni1abc',
    });
    expect(row.shared_secrets).toHaveLength(2);
  });

  it('T-3: HTLC and onion payload values', async () => {
    const { engine } = makeEngine();
    const route = [hop(PEER, SCID1, 1020, 30), hop(ids[6]!, '150x3x2', 1010, 20), hop(DEST, '200x2x1', 1000, 9)];
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH, payment_secret: SECRET, amount_msat: 1000, payment_metadata: 'beef' }));
    const { htlc, plan, channel: ch } = engine.offered[0]!;
    const base = HEIGHT + 1;
    expect(htlc).toEqual({ amount_msat: 1020n, cltv_expiry: base + 30, payment_hash: HASH });
    expect(ch.peer_id).toBe(PEER);
    expect(plan.associated_data).toEqual(new Uint8Array(32).fill(0xaa));
    expect(plan.hops).toEqual([
      { node_id: PEER, amt_to_forward: 1010n, outgoing_cltv_value: base + 20, short_channel_id: (150n << 40n) | (3n << 16n) | 2n },
      { node_id: ids[6], amt_to_forward: 1000n, outgoing_cltv_value: base + 9, short_channel_id: (200n << 40n) | (2n << 16n) | 1n },
      {
        node_id: DEST,
        amt_to_forward: 1000n,
        outgoing_cltv_value: base + 9,
        payment_data: { payment_secret: new Uint8Array(32).fill(0x11), total_msat: 1000n },
        payment_metadata: new Uint8Array([0xbe, 0xef]),
      },
    ]);
  });

  it('T-3: no payment_data without a secret; MPP total goes in payment_data', () => {
    const plain = planOnion({ route: twoHop().map(toHop), payment_hash: HASH, block_height: 10, total_msat: 1000n });
    expect(plain.hops[1]).toEqual({ node_id: DEST, amt_to_forward: 1000n, outgoing_cltv_value: 20 });
    const mpp = planOnion({ route: twoHop().map(toHop), payment_hash: HASH, block_height: 10, total_msat: 5000n, payment_secret: SECRET });
    expect(mpp.hops[1]!.payment_data?.total_msat).toBe(5000n);
  });

  it('P-1: groupid defaults to max+1; P-10: failed rows never block a new group', async () => {
    const { engine } = makeEngine();
    expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    engine.resolve({ payment_hash: HASH, partid: 0n, groupid: 1n }, { kind: 'local', failcode: 4103, reason: 'Too many HTLCs' });
    const r = expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    expect(r).toMatchObject({ groupid: 2n, created_index: 2n });
    expect(engine.rows.map((x) => [x.groupid, x.status])).toEqual([
      [1n, 'failed'],
      [2n, 'pending'],
    ]);
  });
});

function toHop(h: ReturnType<typeof hop>) {
  const [b, t, o] = h.channel.split('x').map(BigInt) as [bigint, bigint, bigint];
  return { scid: (b << 40n) | (t << 16n) | o, node_id: h.id, amount_msat: h.amount_msat as bigint, delay: h.delay };
}

describe('sendpay: evaluation order (§3.1 rows 2–9)', () => {
  it('row 2: partid without amount, checked before the route length', async () => {
    const { engine } = makeEngine();
    expectErr(await engine.call('sendpay', { route: [], payment_hash: HASH, partid: 1 }), -32602, 'Must specify msatoshi with partid');
    expectErr(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, partid: 1 }), -32602, 'Must specify msatoshi with partid');
  });

  it('rows 3–4: self-payment needs an amount and partid 0', async () => {
    const { engine } = makeEngine();
    expectErr(await engine.call('sendpay', { route: [], payment_hash: HASH }), -32602, 'Self-payment requires amount_msat');
    expectErr(
      await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 5, partid: 2 }),
      -32602,
      'Self-payment does not allow (non-zero) partid',
    );
  });

  it('row 6 (A-1): with partid 0 the amount must equal the final amount', async () => {
    const { engine } = makeEngine();
    expectErr(
      await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, amount_msat: '1001msat' }),
      -32602,
      'Do not specify msatoshi (1001msat) without partid: if you do, it must be exactly the final amount (1000msat)',
    );
    expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, amount_msat: '1sat' }));
  });

  it('row 7 (A-2) before row 8', async () => {
    const { engine } = makeEngine();
    expectErr(
      await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, amount_msat: 999, partid: 1 }),
      -32602,
      'Final amount 1000msat is greater than 999msat, despite MPP',
    );
    expectErr(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, amount_msat: 1000, partid: 1 }), -32602, 'partid requires payment_secret');
  });

  it('row 9: an over-long route fails cleanly with -1, before the progress scan', async () => {
    const { engine } = makeEngine();
    expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, groupid: 5 }));
    const long = Array.from({ length: 30 }, (_, i) => hop(i === 0 ? PEER : ids[1 + (i % 9)]!, `${100 + i}x1x0`, 1000, 9));
    expectErr(await engine.call('sendpay', { route: long, payment_hash: HASH }), -1, 'Could not create onion packet');
  });

  it('onion size: 20 plain hops fit, 26 do not (1300 bytes of routing info)', () => {
    const mk = (n: number) =>
      planOnion({
        route: Array.from({ length: n }, (_, i) => toHop(hop(ids[i % 10]!, '800000x1000x1', 100_000_000, 144))),
        payment_hash: HASH,
        block_height: HEIGHT,
        total_msat: 100_000_000n,
        payment_secret: SECRET,
      });
    expect(onionPayloadsSize(mk(20))).toBeLessThanOrEqual(ROUTING_INFO_SIZE);
    expect(onionPayloadsSize(mk(26))).toBeGreaterThan(ROUTING_INFO_SIZE);
    // hop sizes: non-final = 1 (len) + 6 (amt 4B) + 5 (cltv 3B) + 10 (scid) + 32 (hmac) = 54
    const two = mk(2);
    expect(onionPayloadsSize(two)).toBe(54 + (1 + 6 + 5 + 2 + 32 + 4 + 32));
  });

  it('parameter errors come before everything else', async () => {
    const { engine } = makeEngine();
    expectErr(
      await engine.call('sendpay', { route: [], payment_hash: HASH, partid: 1, groupid: 'x' }),
      -32602,
      `groupid: should be an unsigned 64 bit integer: invalid token '"x"'`,
    );
  });
});

describe('sendpay: first hop (T-1, T-2, §3.1 rows 22–23)', () => {
  const data22 = (own: string) => ({ erring_index: 0, failcode: 16394, failcodename: 'WIRE_UNKNOWN_NEXT_PEER', erring_node: own });

  it('row 22: no channel with the first hop’s peer; exact error JSON; nothing stored', async () => {
    const { engine } = makeEngine({ channels: [channel(ids[4]!)] });
    const out = await text(engine, 'sendpay', JSON.stringify([twoHop().map((h) => ({ ...h, amount_msat: Number(h.amount_msat) })), HASH]));
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":1,"error":{"code":204,"message":"No connection to first peer found","data":{"erring_index":0,"failcode":16394,"failcodename":"WIRE_UNKNOWN_NEXT_PEER","erring_node":"${OWN}"}}}`,
    );
    expect(engine.rows).toEqual([]);
    expect(engine.counters).toEqual(ZERO_COUNTERS);
    expect(engine.bumps).toEqual([]);
    // W-4: never stored → 208 for a fresh hash
    expectErr(await engine.call('waitsendpay', [HASH]), 208, `Never attempted payment part 0 for '${HASH}'`);
  });

  it('row 22: channel exists but cannot add HTLCs, or scid matches nothing', async () => {
    for (const chans of [[channel(PEER, { can_add_htlc: false })], [channel(PEER, { scid: 42n })]]) {
      const { engine, own } = makeEngine({ channels: chans });
      const e = expectErr(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH }), 204, 'No connection to first peer found');
      expect(e.data).toEqual(data22(own));
    }
  });

  it('selects by real scid, then by local alias', async () => {
    const alias = (1n << 40n) | 7n;
    const a = channel(PEER, { scid: 9n, our_msat: 1n });
    const b = channel(PEER, { scid: undefined, local_alias: alias, our_msat: 1n });
    const { engine } = makeEngine({ channels: [a, b] });
    expectOk(await engine.call('sendpay', { route: [hop(PEER, formatScid(alias), 1000, 9)], payment_hash: HASH }));
    expect(engine.offered[0]!.channel).toBe(b);
    expectOk(await engine.call('sendpay', { route: [hop(PEER, formatScid(9n), 1000, 9)], payment_hash: 'cd'.repeat(32) }));
    expect(engine.offered[1]!.channel).toBe(a);
  });

  it('0x0x0 means any usable channel with our_msat strictly above the final amount', async () => {
    const small = channel(PEER, { scid: 1n, our_msat: 1000n });
    const off = channel(PEER, { scid: 2n, our_msat: 10_000n, can_add_htlc: false });
    const good = channel(PEER, { scid: 3n, our_msat: 1001n });
    const { engine } = makeEngine({ channels: [channel(ids[4]!), small, off, good] });
    expectOk(await engine.call('sendpay', { route: [hop(PEER, '0x0x0', 1000, 9)], payment_hash: HASH }));
    expect(engine.offered[0]!.channel).toBe(good);
    const { engine: e2 } = makeEngine({ channels: [small] });
    expectErr(await e2.call('sendpay', { route: [hop(PEER, '0x0x0', 1000, 9)], payment_hash: HASH }), 204);
  });

  it('our_msat is compared with the final amount, not the first hop amount', async () => {
    const ch = channel(PEER, { scid: 1n, our_msat: 1001n });
    const { engine } = makeEngine({ channels: [ch] });
    expectOk(await engine.call('sendpay', { route: [hop(PEER, '0x0x0', 5000, 9), hop(DEST, '1x1x1', 1000, 9)], payment_hash: HASH }));
  });

  it('row 23 / T-2: peer not connected → 204 First peer not ready, with channel and direction', async () => {
    const { engine, own } = makeEngine({ channels: [channel(PEER, { peer_connected: false })] });
    const e = expectErr(
      await engine.call('sendpay', { route: twoHop(), payment_hash: HASH }),
      204,
      'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (First peer not ready)',
    );
    expect(e.data).toEqual({
      erring_index: 0,
      failcode: 4103,
      failcodename: 'WIRE_TEMPORARY_CHANNEL_FAILURE',
      erring_node: own,
      erring_channel: SCID1,
      erring_direction: own < PEER ? 0 : 1,
    });
    expect(JSON.stringify(Object.keys(e.data as object))).toBe(
      '["erring_index","failcode","failcodename","erring_node","erring_channel","erring_direction"]',
    );
    expect(engine.rows).toEqual([]);
    expect(engine.bumps).toEqual([]);
  });

  it('row 23: a synchronous channel refusal reports its own failcode; erring_channel is the chosen channel', async () => {
    const alias = (5n << 40n) | 5n;
    const { engine, own } = makeEngine({ channels: [channel(PEER, { scid: undefined, local_alias: alias })], ownIndex: 9 });
    engine.refuseHtlcWith = WIRE_UNKNOWN_NEXT_PEER;
    const e = expectErr(
      await engine.call('sendpay', { route: [hop(PEER, '0x0x0', 1, 1)], payment_hash: HASH }),
      204,
      'failed: WIRE_UNKNOWN_NEXT_PEER (First peer not ready)',
    );
    expect(e.data).toMatchObject({ erring_channel: '5x0x5', erring_direction: 1, erring_node: own });
  });
});

describe('sendpay: localinvreqid (§3.1 row 21)', () => {
  const INVREQ = 'ee'.repeat(32);
  it('unknown, inactive', async () => {
    const { engine } = makeEngine();
    expectErr(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, localinvreqid: INVREQ }), 212, `Unknown invoice_request ${INVREQ}`);
    engine.invoiceRequests.set(INVREQ, { active: false, single_use: true });
    expectErr(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, localinvreqid: INVREQ }), 212, `Inactive invoice_request ${INVREQ}`);
  });

  it('single use: in progress, paid; failed attempts do not count; multi-use is free', async () => {
    const { engine } = makeEngine();
    engine.invoiceRequests.set(INVREQ, { active: true, single_use: true });
    expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, localinvreqid: INVREQ }));
    const H2 = 'dd'.repeat(32);
    expectErr(
      await engine.call('sendpay', { route: twoHop(), payment_hash: H2, localinvreqid: INVREQ }),
      212,
      `Single-use invoice_request already in progress with ${HASH}`,
    );
    engine.resolve({ payment_hash: HASH, partid: 0n, groupid: 1n }, { kind: 'fulfilled', preimage: '33'.repeat(32) });
    expect(engine.invreqsUsed).toEqual([INVREQ]);
    expectErr(
      await engine.call('sendpay', { route: twoHop(), payment_hash: H2, localinvreqid: INVREQ }),
      212,
      `Single-use invoice_request already paid with ${HASH}`,
    );
    // P-8 comes before the invoice_request check: the replay still succeeds.
    const again = expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, localinvreqid: INVREQ }));
    expect(again).toMatchObject({ status: 'complete' });
    engine.invoiceRequests.set(INVREQ, { active: true, single_use: false });
    expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: H2, localinvreqid: INVREQ }));
  });

  it('a failed first attempt does not block a single-use invoice_request', async () => {
    const { engine } = makeEngine();
    engine.invoiceRequests.set(INVREQ, { active: true, single_use: true });
    expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: HASH, localinvreqid: INVREQ }));
    engine.resolve({ payment_hash: HASH, partid: 0n, groupid: 1n }, { kind: 'local', failcode: 4103, reason: 'x' });
    expectOk(await engine.call('sendpay', { route: twoHop(), payment_hash: 'dd'.repeat(32), localinvreqid: INVREQ }));
  });

  it('the decision demands the invoice_request state when localinvreqid is given', () => {
    const p = parseParams(SENDPAY_PARAMS, parseJson(JSON.stringify({ route: [], payment_hash: HASH, localinvreqid: INVREQ })));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const params = { ...p.value, route: twoHop().map(toHop) };
    expect(() =>
      decideSendpay(params, { own_node_id: OWN, block_height: HEIGHT, now: NOW, rows: [], counters: ZERO_COUNTERS, channels: [channel(PEER)] }),
    ).toThrow(/invoice_request state/);
  });
});

describe('sendpay: JSON round trip of u64 values', () => {
  it('groupid and partid up to 2^64-1 survive in and out', async () => {
    const { engine } = makeEngine();
    const out = await text(
      engine,
      'sendpay',
      `{"route":[{"id":"${PEER}","channel":"${SCID1}","amount_msat":1000,"delay":9}],"payment_hash":"${HASH}","amount_msat":"18446744073709551615","partid":18446744073709551615,"groupid":"18446744073709551615","payment_secret":"${SECRET}"}`,
    );
    const v = tokenToValue(parseJson(out)) as { result: Record<string, unknown> };
    expect(v.result['groupid']).toBe(18446744073709551615n);
    expect(v.result['partid']).toBe(18446744073709551615n);
    expect(out).toContain('"groupid":18446744073709551615,"partid":18446744073709551615,');
    expect(engine.rows[0]!.total_msat).toBe(18446744073709551615n);
    expect(engine.rows[0]!.groupid_key).toBe('18446744073709551615');
  });
});
