// sendpay end to end through JSON-RPC on the runtime's PaymentsService: evaluation order (§3.1,
// P-3), defaults, result shapes and key order (§2.1, §2.2), the onion the route nodes peel (T-3),
// first hop (T-1, T-2), our channel refusing the HTLC (T-5) and localinvreqid (row 21).
import { describe, expect, it } from 'vitest';
import { parseJson, tokenToValue } from '../../../src/rpc/index.js';
import {
  decideSendpay,
  formatScid,
  onionPayloadsSize,
  planOnion,
  resolveAttempt,
  withKeys,
  ROUTING_INFO_SIZE,
  SENDPAY_PARAMS,
  ZERO_COUNTERS,
  type InvoiceRequestState,
  type PaymentRow,
} from '../../../src/payments/index.js';
import { parseParams } from '../../../src/rpc/index.js';
import { HASH, HEIGHT, NOW, SCID1, SECRET, channel, expectErr, expectOk, hop, ids, makePayer, type Payer } from './helpers.js';

const OWN = ids[0]!;
const PEER = ids[5]!;
const DEST = ids[7]!;
const ID1 = { payment_hash: HASH, partid: 0n, groupid: 1n };

function twoHop(amountFinal = 1000, amountFirst = 1010) {
  return [hop(PEER, SCID1, amountFirst, 15), hop(DEST, '200x2x1', amountFinal, 9)];
}

async function text(payer: Payer, method: string, params: string, id = 1): Promise<string> {
  return payer.callText(`{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${params}}`);
}

describe('sendpay: accepted attempt', () => {
  it('answers the monitor message then the payment object, in CLN key order', async () => {
    const { payer } = await makePayer();
    const out = await text(
      payer,
      'sendpay',
      `{"route":[{"id":"${PEER}","channel":"${SCID1}","amount_msat":1010,"delay":15},{"id":"${DEST}","channel":"200x2x1","amount_msat":1000,"delay":9}],"payment_hash":"${HASH}","label":"l","bolt11":"LIGHTNING:LNBCRT1X","description":"d"}`,
    );
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":1,"result":{"message":"Monitor status with listpays or waitsendpay","created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"destination":"${DEST}","amount_msat":1000,"amount_sent_msat":1010,"created_at":${NOW},"status":"pending","label":"l","bolt11":"lnbcrt1x","description":"d"}}`,
    );
    expect(payer.counters).toEqual({ created: 1n, updated: 0n, deleted: 0n });
    expect(payer.bumps).toEqual([
      { subsystem: 'sendpays', index: 'created', value: 1n, details: { status: 'pending', partid: 0n, groupid: 1n, payment_hash: HASH } },
    ]);
    expect(payer.notifications).toEqual([]);
    expect(payer.offered).toHaveLength(1);
  });

  it('stores the row with route, totals, keys and the onion’s secrets, in the HTLC’s commit', async () => {
    const { payer } = await makePayer();
    const r = expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, bolt11: 'lni1abc', partid: 0 }));
    expect(r).toMatchObject({ bolt12: 'lni1abc' });
    expect('bolt11' in (r as object)).toBe(false);
    const [row] = await payer.rows();
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
    // The row that went out with the HTLC is the stored one, and its secrets are the ones the
    // route nodes derive when they peel the onion.
    expect(payer.offered[0]!.row).toEqual(row);
    const layers = payer.peel(ID1);
    expect(row!.shared_secrets).toEqual(layers.map((l) => (l.kind === 'malformed' ? undefined : l.sharedSecret)));
    // The counters are persisted with the row: a restarted service continues from them.
    const restarted = await payer.restart();
    expect(restarted.counters).toEqual({ created: 1n, updated: 0n, deleted: 0n });
    expect(expectOk(await restarted.call('sendpay', { route: twoHop(), payment_hash: 'cd'.repeat(32) }))).toMatchObject({ created_index: 2n });
  });

  it('T-3: HTLC values, and what each route node reads when it peels the onion', async () => {
    const { payer } = await makePayer();
    const route = [hop(PEER, SCID1, 1020, 30), hop(ids[6]!, '150x3x2', 1010, 20), hop(DEST, '200x2x1', 1000, 9)];
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH, payment_secret: SECRET, amount_msat: 1000, payment_metadata: 'beef' }));
    const { req, channel: ch } = payer.offered[0]!;
    const base = HEIGHT + 1;
    expect(req).toMatchObject({ amount_msat: 1020n, cltv_expiry: base + 30, payment_hash: new Uint8Array(32).fill(0xaa), channel_id: ch.channel_id });
    expect(req.onion).toHaveLength(1366);
    expect(ch.peer_id).toBe(PEER);
    const layers = payer.peel(ID1);
    expect(layers.map((l) => l.kind)).toEqual(['forward', 'forward', 'final']);
    const payloads = layers.map((l) => (l.kind === 'forward' || l.kind === 'final' ? l.payload : undefined));
    expect(payloads[0]).toMatchObject({ amt_to_forward: 1010n, outgoing_cltv_value: base + 20, short_channel_id: (150n << 40n) | (3n << 16n) | 2n });
    expect(payloads[1]).toMatchObject({ amt_to_forward: 1000n, outgoing_cltv_value: base + 9, short_channel_id: (200n << 40n) | (2n << 16n) | 1n });
    expect(payloads[2]).toMatchObject({
      amt_to_forward: 1000n,
      outgoing_cltv_value: base + 9,
      payment_data: { payment_secret: new Uint8Array(32).fill(0x11), total_msat: 1000n },
      payment_metadata: new Uint8Array([0xbe, 0xef]),
    });
    expect(payloads[2]!.short_channel_id).toBeUndefined();
  });

  it('T-3: cltv_expiry follows the chain source’s height at the time of the call', async () => {
    const { payer } = await makePayer();
    payer.height = 123;
    expectOk(await payer.call('sendpay', { route: [hop(PEER, SCID1, 1000, 9)], payment_hash: HASH }));
    expect(payer.offered[0]!.req.cltv_expiry).toBe(124 + 9);
  });

  it('T-3: no payment_data without a secret; MPP total goes in payment_data', async () => {
    const plain = planOnion({ route: twoHop().map(toHop), payment_hash: HASH, block_height: 10, total_msat: 1000n });
    expect(plain.hops[1]).toEqual({ node_id: DEST, amt_to_forward: 1000n, outgoing_cltv_value: 20 });
    const mpp = planOnion({ route: twoHop().map(toHop), payment_hash: HASH, block_height: 10, total_msat: 5000n, payment_secret: SECRET });
    expect(mpp.hops[1]!.payment_data?.total_msat).toBe(5000n);
    // …and on the wire: the final node reads no payment_data when no secret was given.
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    const final = payer.peel(ID1)[1]!;
    expect(final.kind).toBe('final');
    if (final.kind === 'final') expect(final.payload.payment_data).toBeUndefined();
  });

  it('P-1: groupid defaults to max+1; P-10: failed rows never block a new group', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    await payer.failLocal(ID1, 4103, 'Too many HTLCs');
    const r = expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    expect(r).toMatchObject({ groupid: 2n, created_index: 2n });
    expect((await payer.rows()).map((x) => [x.groupid, x.status])).toEqual([
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
    const { payer } = await makePayer();
    expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH, partid: 1 }), -32602, 'Must specify msatoshi with partid');
    expectErr(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, partid: 1 }), -32602, 'Must specify msatoshi with partid');
  });

  it('rows 3–4: self-payment needs an amount and partid 0', async () => {
    const { payer } = await makePayer();
    expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH }), -32602, 'Self-payment requires amount_msat');
    expectErr(
      await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 5, partid: 2 }),
      -32602,
      'Self-payment does not allow (non-zero) partid',
    );
    expect(await payer.rows()).toEqual([]);
  });

  it('row 6 (A-1): with partid 0 the amount must equal the final amount', async () => {
    const { payer } = await makePayer();
    expectErr(
      await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, amount_msat: '1001msat' }),
      -32602,
      'Do not specify msatoshi (1001msat) without partid: if you do, it must be exactly the final amount (1000msat)',
    );
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, amount_msat: '1sat' }));
  });

  it('row 7 (A-2) before row 8', async () => {
    const { payer } = await makePayer();
    expectErr(
      await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, amount_msat: 999, partid: 1 }),
      -32602,
      'Final amount 1000msat is greater than 999msat, despite MPP',
    );
    expectErr(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, amount_msat: 1000, partid: 1 }), -32602, 'partid requires payment_secret');
  });

  it('row 9: an over-long route fails cleanly with -1, before the progress scan', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, groupid: 5 }));
    const long = Array.from({ length: 30 }, (_, i) => hop(i === 0 ? PEER : ids[1 + (i % 9)]!, `${100 + i}x1x0`, 1000, 9));
    expectErr(await payer.call('sendpay', { route: long, payment_hash: HASH }), -1, 'Could not create onion packet');
    expect(payer.offered).toHaveLength(1);
  });

  it('onion size: 20 plain hops fit, 26 do not (1300 bytes of routing info)', async () => {
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
    // The 20-hop onion really builds and every node peels its layer.
    const { payer } = await makePayer();
    const route = Array.from({ length: 20 }, (_, i) => hop(i === 0 ? PEER : ids[i % 10]!, i === 0 ? SCID1 : '800000x1000x1', 100_000_000, 144));
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH, payment_secret: SECRET }));
    expect(payer.peel(ID1).map((l) => l.kind)).toEqual([...Array<string>(19).fill('forward'), 'final']);
  });

  it('parameter errors come before everything else', async () => {
    const { payer } = await makePayer();
    expectErr(
      await payer.call('sendpay', { route: [], payment_hash: HASH, partid: 1, groupid: 'x' }),
      -32602,
      `groupid: should be an unsigned 64 bit integer: invalid token '"x"'`,
    );
  });
});

describe('sendpay: first hop (T-1, T-2, §3.1 rows 22–23)', () => {
  const data22 = (own: string) => ({ erring_index: 0, failcode: 16394, failcodename: 'WIRE_UNKNOWN_NEXT_PEER', erring_node: own });

  it('row 22: no channel with the first hop’s peer; exact error JSON; nothing stored', async () => {
    const { payer } = await makePayer({ channels: [channel(ids[4]!)] });
    const out = await text(payer, 'sendpay', JSON.stringify([twoHop().map((h) => ({ ...h, amount_msat: Number(h.amount_msat) })), HASH]));
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":1,"error":{"code":204,"message":"No connection to first peer found","data":{"erring_index":0,"failcode":16394,"failcodename":"WIRE_UNKNOWN_NEXT_PEER","erring_node":"${OWN}"}}}`,
    );
    expect(await payer.rows()).toEqual([]);
    expect(payer.counters).toEqual(ZERO_COUNTERS);
    expect(payer.bumps).toEqual([]);
    expect(payer.notifications).toEqual([]);
    expect(payer.offered).toEqual([]);
    // W-4: never stored → 208 for a fresh hash
    expectErr(await payer.call('waitsendpay', [HASH]), 208, `Never attempted payment part 0 for '${HASH}'`);
  });

  it('row 22: channel exists but cannot add HTLCs, or scid matches nothing', async () => {
    for (const chans of [[channel(PEER, { can_add_htlc: false })], [channel(PEER, { scid: 42n })]]) {
      const { payer, own } = await makePayer({ channels: chans });
      const e = expectErr(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }), 204, 'No connection to first peer found');
      expect(e.data).toEqual(data22(own));
      expect(await payer.rows()).toEqual([]);
    }
  });

  it('row 22: the channel list is read at each call (a channel that went away)', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    payer.channels.hops = [];
    expectErr(await payer.call('sendpay', { route: twoHop(), payment_hash: 'cd'.repeat(32) }), 204, 'No connection to first peer found');
  });

  it('selects by real scid, then by local alias', async () => {
    const alias = (1n << 40n) | 7n;
    const a = channel(PEER, { scid: 9n, our_msat: 1n });
    const b = channel(PEER, { scid: undefined, local_alias: alias, our_msat: 1n });
    const { payer } = await makePayer({ channels: [a, b] });
    expectOk(await payer.call('sendpay', { route: [hop(PEER, formatScid(alias), 1000, 9)], payment_hash: HASH }));
    expect(payer.offered[0]!.req.channel_id).toBe(b.channel_id);
    expectOk(await payer.call('sendpay', { route: [hop(PEER, formatScid(9n), 1000, 9)], payment_hash: 'cd'.repeat(32) }));
    expect(payer.offered[1]!.req.channel_id).toBe(a.channel_id);
  });

  it('0x0x0 means any usable channel with our_msat strictly above the final amount', async () => {
    const small = channel(PEER, { scid: 1n, our_msat: 1000n });
    const off = channel(PEER, { scid: 2n, our_msat: 10_000n, can_add_htlc: false });
    const good = channel(PEER, { scid: 3n, our_msat: 1001n });
    const { payer } = await makePayer({ channels: [channel(ids[4]!), small, off, good] });
    expectOk(await payer.call('sendpay', { route: [hop(PEER, '0x0x0', 1000, 9)], payment_hash: HASH }));
    expect(payer.offered[0]!.req.channel_id).toBe(good.channel_id);
    const { payer: p2 } = await makePayer({ channels: [small] });
    expectErr(await p2.call('sendpay', { route: [hop(PEER, '0x0x0', 1000, 9)], payment_hash: HASH }), 204);
  });

  it('our_msat is compared with the final amount, not the first hop amount', async () => {
    const ch = channel(PEER, { scid: 1n, our_msat: 1001n });
    const { payer } = await makePayer({ channels: [ch] });
    expectOk(await payer.call('sendpay', { route: [hop(PEER, '0x0x0', 5000, 9), hop(DEST, '1x1x1', 1000, 9)], payment_hash: HASH }));
  });

  it('row 23 / T-2: peer not connected → 204 First peer not ready, with channel and direction; nothing stored', async () => {
    const { payer, own } = await makePayer({ channels: [channel(PEER, { peer_connected: false })] });
    const e = expectErr(
      await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }),
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
    expect(await payer.rows()).toEqual([]);
    expect(payer.bumps).toEqual([]);
    expect(payer.notifications).toEqual([]);
    expect(payer.offered).toEqual([]);
    // T-2: no row, so the following waitsendpay gives 208…
    expectErr(await payer.call('waitsendpay', [HASH]), 208, `Never attempted payment part 0 for '${HASH}'`);
    // …and once the peer is back, the same call goes through as group 1.
    payer.channels.hops = [channel(PEER)];
    expect(expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }))).toMatchObject({ groupid: 1n, created_index: 1n });
  });

  it('row 23: after an earlier group, waitsendpay answers that group’s result', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    await payer.failLocal(ID1, 4103, 'Too many HTLCs');
    payer.channels.hops = [channel(PEER, { peer_connected: false })];
    expectErr(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }), 204, 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (First peer not ready)');
    expectErr(await payer.call('waitsendpay', [HASH]), 204, 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (WIRE_TEMPORARY_CHANNEL_FAILURE: Too many HTLCs)');
    expect(payer.counters.created).toBe(1n);
  });

  it('row 23: erring_channel is the chosen channel (its alias when it has no real scid)', async () => {
    const alias = (5n << 40n) | 5n;
    const { payer, own } = await makePayer({ channels: [channel(PEER, { scid: undefined, local_alias: alias, peer_connected: false })], ownIndex: 9 });
    const e = expectErr(
      await payer.call('sendpay', { route: [hop(PEER, '5x0x5', 1, 1)], payment_hash: HASH }),
      204,
      'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (First peer not ready)',
    );
    expect(e.data).toMatchObject({ erring_channel: '5x0x5', erring_direction: 1, erring_node: own });
  });
});

describe('sendpay: our own channel refuses the HTLC (T-5)', () => {
  const reason = 'Capacity exceeded - HTLC fee: 123sat';

  it('sendpay answers pending; the stored row is failed at once with channeld’s reason (204, index 0, first channel)', async () => {
    const { payer, own } = await makePayer();
    payer.channels.refuse = { failcode: 4103, reason };
    const r = expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    expect(r).toMatchObject({ message: 'Monitor status with listpays or waitsendpay', status: 'pending', created_index: 1n });
    expect(payer.offered).toEqual([]);
    const [row] = await payer.rows();
    expect(row).toMatchObject({ status: 'failed', updated_index: 1n, completed_at: NOW });
    expect(payer.bumps.map((b) => [b.index, b.value, b.details.status])).toEqual([
      ['created', 1n, 'pending'],
      ['updated', 1n, 'failed'],
    ]);
    const msg = `failed: WIRE_TEMPORARY_CHANNEL_FAILURE (WIRE_TEMPORARY_CHANNEL_FAILURE: ${reason})`;
    const e = expectErr(await payer.call('waitsendpay', [HASH]), 204, msg);
    expect(e.data).toMatchObject({ status: 'failed', erring_index: 0, failcode: 4103, erring_node: own, erring_channel: SCID1 });
    expect(Object.keys(e.data as object)).not.toContain('raw_message');
    expect(payer.notifications).toHaveLength(1);
    expect(payer.notifications[0]).toMatchObject({ topic: 'sendpay_failure', payload: { code: 204, message: msg } });
    const listed = expectOk(await payer.call('listsendpays', { payment_hash: HASH })) as { payments: unknown[] };
    expect(listed.payments).toMatchObject([{ status: 'failed' }]);
  });

  it('the failed attempt does not block a retry in a new group once the channel accepts', async () => {
    const { payer } = await makePayer();
    payer.channels.refuse = { failcode: 4103, reason: 'Too many HTLCs' };
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    payer.channels.refuse = undefined;
    expect(expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }))).toMatchObject({ groupid: 2n, status: 'pending' });
    expect(payer.offered).toHaveLength(1);
  });

  it('a waitsendpay after sendpay gets the failure at once, without arming its timeout', async () => {
    const { payer } = await makePayer();
    payer.channels.refuse = { failcode: 4107, reason: 'HTLC too small (1000msat minimum)' };
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    const w = await payer.waitsendpay([HASH, 60]);
    expectErr(await w.answer, 204, 'failed: WIRE_AMOUNT_BELOW_MINIMUM (WIRE_AMOUNT_BELOW_MINIMUM: HTLC too small (1000msat minimum))');
    expect(payer.clock.pending).toBe(0);
  });
});

describe('sendpay: localinvreqid (§3.1 row 21)', () => {
  const INVREQ = 'ee'.repeat(32);

  it('the runtime has no BOLT 12 invoice_requests: any localinvreqid is unknown (212), nothing stored', async () => {
    const { payer } = await makePayer();
    expectErr(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, localinvreqid: INVREQ }), 212, `Unknown invoice_request ${INVREQ}`);
    expect(await payer.rows()).toEqual([]);
    expect(payer.offered).toEqual([]);
    expect(payer.bumps).toEqual([]);
  });

  it('212 comes after the progress scan: P-8 replays and P-4 still win', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH }));
    expectErr(
      await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, localinvreqid: INVREQ }),
      200,
      'Payment with groupid=1 still in progress, cannot retry before that completes.',
    );
    await payer.fulfill(ID1, '33'.repeat(32));
    const again = expectOk(await payer.call('sendpay', { route: twoHop(), payment_hash: HASH, localinvreqid: INVREQ }));
    expect(again).toMatchObject({ status: 'complete', payment_preimage: '33'.repeat(32) });
  });

  // The decision itself implements CLN's invoice_request rules for a runtime that has them.
  const params = () => {
    const p = parseParams(SENDPAY_PARAMS, parseJson(JSON.stringify({ route: [], payment_hash: HASH, localinvreqid: INVREQ })));
    if (!p.ok) throw new Error(p.error.message);
    return { ...p.value, route: twoHop().map(toHop) };
  };
  const decide = (invoice_request: InvoiceRequestState | undefined, rows: PaymentRow[] = [], payment_hash = HASH) =>
    decideSendpay(
      { ...params(), payment_hash },
      {
        own_node_id: OWN,
        block_height: HEIGHT,
        now: NOW,
        rows,
        counters: ZERO_COUNTERS,
        channels: [channel(PEER)],
        ...(invoice_request === undefined ? {} : { invoice_request }),
      },
    );
  const errorOf = (d: ReturnType<typeof decide>) => (d.kind === 'error' ? [d.error.code, d.error.message] : d.kind);

  it('decision: unknown, inactive', () => {
    expect(errorOf(decide({ found: false }))).toEqual([212, `Unknown invoice_request ${INVREQ}`]);
    expect(errorOf(decide({ found: true, active: false, single_use: true }))).toEqual([212, `Inactive invoice_request ${INVREQ}`]);
  });

  it('decision: single use in progress or paid; failed first attempts and multi-use are free', () => {
    const H2 = 'dd'.repeat(32);
    const used = (status: 'pending' | 'complete' | 'failed') => ({ found: true as const, active: true, single_use: true, first_payment: { status, payment_hash: HASH } });
    expect(errorOf(decide(used('pending'), [], H2))).toEqual([212, `Single-use invoice_request already in progress with ${HASH}`]);
    expect(errorOf(decide(used('complete'), [], H2))).toEqual([212, `Single-use invoice_request already paid with ${HASH}`]);
    expect(decide(used('failed'), [], H2).kind).toBe('send');
    expect(decide({ found: true, active: true, single_use: false, first_payment: { status: 'complete', payment_hash: HASH } }, [], H2).kind).toBe('send');
    expect(decide({ found: true, active: true, single_use: true }).kind).toBe('send');
  });

  it('decision: P-8 comes before the invoice_request check', () => {
    const done = withKeys({
      payment_hash: HASH,
      partid: 0n,
      groupid: 1n,
      created_index: 1n,
      updated_index: 1n,
      status: 'complete',
      destination: DEST,
      amount_msat: 1000n,
      amount_sent_msat: 1010n,
      total_msat: 1000n,
      created_at: NOW,
      completed_at: NOW,
      payment_preimage: '33'.repeat(32),
      local_invreq_id: INVREQ,
    });
    const d = decide({ found: true, active: false, single_use: true }, [done]);
    expect(d.kind).toBe('existing');
  });

  it('decision: success of a BOLT 12 attempt names the invoice_request to mark used', () => {
    const d = decide({ found: true, active: true, single_use: true });
    if (d.kind !== 'send') throw new Error(d.kind);
    expect(d.row.local_invreq_id).toBe(INVREQ);
    const r = resolveAttempt(d.row, { kind: 'fulfilled', preimage: '33'.repeat(32) }, { own_node_id: OWN, now: NOW, counters: d.counters, siblings: [] });
    expect(r.invreq_used).toBe(INVREQ);
    const failed = resolveAttempt(d.row, { kind: 'local', failcode: 4103, reason: 'x' }, { own_node_id: OWN, now: NOW, counters: d.counters, siblings: [] });
    expect(failed.invreq_used).toBeUndefined();
  });

  it('the decision demands the invoice_request state when localinvreqid is given', () => {
    expect(() => decide(undefined)).toThrow(/invoice_request state/);
  });
});

describe('sendpay: JSON round trip of u64 values', () => {
  it('groupid and partid up to 2^64-1 survive in and out (and through the store)', async () => {
    const { payer } = await makePayer();
    const out = await text(
      payer,
      'sendpay',
      `{"route":[{"id":"${PEER}","channel":"${SCID1}","amount_msat":1000,"delay":9}],"payment_hash":"${HASH}","amount_msat":"18446744073709551615","partid":18446744073709551615,"groupid":"18446744073709551615","payment_secret":"${SECRET}"}`,
    );
    const v = tokenToValue(parseJson(out)) as { result: Record<string, unknown> };
    expect(v.result['groupid']).toBe(18446744073709551615n);
    expect(v.result['partid']).toBe(18446744073709551615n);
    expect(out).toContain('"groupid":18446744073709551615,"partid":18446744073709551615,');
    const [row] = await payer.rows();
    expect(row!.total_msat).toBe(18446744073709551615n);
    expect(row!.groupid_key).toBe('18446744073709551615');
    // The final node reads the MPP total from its payload.
    const final = payer.peel({ payment_hash: HASH, partid: 18446744073709551615n, groupid: 18446744073709551615n })[0]!;
    if (final.kind !== 'final') throw new Error(final.kind);
    expect(final.payload.payment_data?.total_msat).toBe(18446744073709551615n);
  });
});
