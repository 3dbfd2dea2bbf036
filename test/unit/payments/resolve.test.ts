// Resolution and failure classification (F-1…F-9) on the runtime's PaymentsService: live answers
// vs replays from storage, the sendpay_success / sendpay_failure notifications. Remote failures are
// real failure onions built by the erring route node and wrapped back by the others.
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { errorResponseText, successResponseText, stringifyJson, type Outcome, type JsonOut } from '../../../src/rpc/index.js';
import { failcodeDisplay, failcodeName, nodeIdDirection, type PaymentObject } from '../../../src/payments/index.js';
import { HASH, NOW, SCID1, expectErr, expectOk, hop, ids, makePayer, type Payer } from './helpers.js';

const OWN = ids[0]!;
const PEER = ids[5]!;
const N2 = ids[6]!;
const DEST = ids[7]!;
const ID1 = { payment_hash: HASH, partid: 0n, groupid: 1n };
const REPLY = fromHex('ab'.repeat(40));
const ONION_SHA = sha256(new Uint8Array([1, 2, 3]));
const RAW_400F = fromHex('400f00000000000003e80000006c');

const route3 = [hop(PEER, SCID1, 1020, 30), hop(N2, '150x3x2', 1010, 20), hop(DEST, '200x2x1', 1000, 9)];

async function setup(route: unknown[] = route3) {
  const made = await makePayer();
  expectOk(await made.payer.call('sendpay', { route, payment_hash: HASH }));
  const live = (await made.payer.waitsendpay([HASH])).answer;
  return { ...made, live };
}

function asText(o: Outcome<JsonOut>): string {
  return o.ok ? successResponseText(null, o.value) : errorResponseText(null, o.error);
}

async function replay(payer: Payer) {
  return payer.call('waitsendpay', { payment_hash: HASH, partid: 0, groupid: 1 });
}

const pendingPrefix = `"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"destination":"${DEST}","amount_msat":1000,"amount_sent_msat":1020,"created_at":${NOW},"status":"pending"`;
const failedPrefix = `"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"updated_index":1,"destination":"${DEST}","amount_msat":1000,"amount_sent_msat":1020,"created_at":${NOW},"completed_at":${NOW},"status":"failed"`;

describe('F-1 success', () => {
  it('answers waiters with the complete row, notifies, bumps updated, drops in-flight secrets', async () => {
    const { payer, live } = await setup();
    await payer.fulfill(ID1, 'CC'.repeat(32));
    const answer = expectOk(await live) as PaymentObject;
    expect(asText({ ok: true, value: answer })).toBe(
      `{"jsonrpc":"2.0","id":null,"result":{${failedPrefix.replace('"failed"', '"complete"')},"payment_preimage":"${'cc'.repeat(32)}"}}`,
    );
    expect(payer.notifications).toEqual([{ topic: 'sendpay_success', payload: answer }]);
    expect(payer.bumps.slice(1)).toEqual([
      { subsystem: 'sendpays', index: 'updated', value: 1n, details: { status: 'complete', partid: 0n, groupid: 1n, payment_hash: HASH } },
    ]);
    const row = (await payer.rows())[0]!;
    expect(row.shared_secrets).toBeUndefined();
    expect(row.route_nodes).toBeUndefined();
    expect(row.updated_key).toBe('00000000000000000001');
    expect(expectOk(await replay(payer))).toEqual(answer);
    // A duplicate settle (e.g. replayed after a restart) changes nothing.
    await payer.fulfill(ID1, 'dd'.repeat(32));
    await payer.failLocal(ID1, 4103, 'late');
    expect((await payer.rows())[0]).toEqual(row);
    expect(payer.notifications).toHaveLength(1);
    expect(payer.counters.updated).toBe(1n);
  });
});

describe('F-2 remote errors', () => {
  it('final node, PERM: 203; live data shows the pending row, replay the failed row (F-7), both with raw_message', async () => {
    const { payer, live } = await setup();
    await payer.failRemote(ID1, 2, RAW_400F);
    const routing = `"erring_index":3,"failcode":16399,"failcodename":"WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS","erring_node":"${DEST}","erring_channel":"200x2x1","erring_direction":${nodeIdDirection(N2, DEST)},"raw_message":"400f00000000000003e80000006c"`;
    const msg = 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)';
    const liveOut = await live;
    expect(asText(liveOut)).toBe(`{"jsonrpc":"2.0","id":null,"error":{"code":203,"message":"${msg}","data":{${pendingPrefix},${routing}}}}`);
    expect(asText(await replay(payer))).toBe(`{"jsonrpc":"2.0","id":null,"error":{"code":203,"message":"${msg}","data":{${failedPrefix},${routing}}}}`);
    // The notification payload is the live error object.
    const n = payer.notifications[0]!;
    expect(n.topic).toBe('sendpay_failure');
    if (!liveOut.ok) expect(stringifyJson(n.payload as JsonOut)).toBe(stringifyJson(liveOut.error.toJSON() as JsonOut));
  });

  it('final node, not PERM: 204', async () => {
    const { payer, live } = await setup();
    await payer.failRemote(ID1, 2, fromHex('0017'));
    const e = expectErr(await live, 204, 'failed: WIRE_MPP_TIMEOUT (reply from remote)');
    expect(e.data).toMatchObject({ erring_index: 3, erring_node: DEST, erring_channel: '200x2x1' });
  });

  it('final node, BADONION (F-8): live 202 with onionreply, replay 202 with the routing object', async () => {
    const { payer, live } = await setup();
    const msg = new Uint8Array([0xc0, 0x05, ...ONION_SHA]);
    const reply = await payer.failRemote(ID1, 2, msg);
    const l = expectErr(await live, 202, 'Malformed error reply');
    expect(stringifyJson(l.data as JsonOut)).toBe(`{${pendingPrefix},"onionreply":"${toHex(reply)}"}`);
    const r = expectErr(await replay(payer), 202, 'Malformed error reply');
    expect(stringifyJson(r.data as JsonOut)).toBe(
      `{${failedPrefix},"erring_index":3,"failcode":49157,"failcodename":"WIRE_INVALID_ONION_HMAC","erring_node":"${DEST}","erring_channel":"200x2x1","erring_direction":0,"raw_message":"${toHex(msg)}"}`,
    );
  });

  it('intermediate node: 204, the outgoing channel, direction from node k to node k+1', async () => {
    const { payer, live } = await setup();
    const msg = fromHex('1007' + '0000');
    await payer.failRemote(ID1, 0, msg);
    const e = expectErr(await live, 204, 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (reply from remote)');
    expect(e.data).toMatchObject({
      erring_index: 1,
      failcode: 4103,
      failcodename: 'WIRE_TEMPORARY_CHANNEL_FAILURE',
      erring_node: PEER,
      erring_channel: '150x3x2',
      erring_direction: 0,
      raw_message: '10070000',
    });
  });

  it('intermediate node, BADONION: blamed on the next node, index unchanged', async () => {
    const { payer, live } = await setup();
    await payer.failRemote(ID1, 1, new Uint8Array([0xc0, 0x06, ...ONION_SHA]));
    const e = expectErr(await live, 204, 'failed: WIRE_INVALID_ONION_KEY (reply from remote)');
    expect(e.data).toMatchObject({ erring_index: 2, erring_node: DEST, erring_channel: '200x2x1', erring_direction: 0 });
  });

  it('erring_direction is 1 when the sender is the lexicographically larger id', async () => {
    const big = ids[9]!;
    const small = ids[1]!;
    const { payer, live } = await setup([hop(PEER, SCID1, 1020, 30), hop(big, '1x1x1', 1010, 20), hop(small, '2x2x2', 1000, 9)]);
    await payer.failRemote(ID1, 1, fromHex('2002'));
    const e = expectErr(await live, 204, 'failed: WIRE_TEMPORARY_NODE_FAILURE (reply from remote)');
    expect(e.data).toMatchObject({ erring_node: big, erring_channel: '2x2x2', erring_direction: 1 });
    expect(nodeIdDirection(big, small)).toBe(1);
    expect(nodeIdDirection(small, big)).toBe(0);
  });

  it('single-hop route: the direction is ours towards the destination', async () => {
    const { payer, live } = await setup([hop(PEER, SCID1, 1000, 9)]);
    await payer.failRemote(ID1, 0, RAW_400F);
    const e = expectErr(await live, 203);
    expect(e.data).toMatchObject({ erring_index: 1, erring_node: PEER, erring_channel: SCID1, erring_direction: nodeIdDirection(OWN, PEER) });
  });

  it('codes CLN does not know: "UNKNOWN n" in the message, no failcodename', async () => {
    const { payer, live } = await setup();
    await payer.failRemote(ID1, 2, fromHex('4001'));
    const e = expectErr(await live, 203, 'failed: UNKNOWN 16385 (reply from remote)');
    expect(Object.keys(e.data as object)).not.toContain('failcodename');
    expect(failcodeName(16385)).toBeUndefined();
    expect(failcodeDisplay(16385)).toBe('UNKNOWN 16385');
  });
});

describe('F-3 undecodable reply onion', () => {
  it('202 with onionreply; stored raw, shown as erroronion; replay carries both', async () => {
    const { payer, live } = await setup();
    await payer.failGarbled(ID1, REPLY);
    const l = expectErr(await live, 202, 'Malformed error reply');
    expect(stringifyJson(l.data as JsonOut)).toBe(`{${pendingPrefix},"onionreply":"${toHex(REPLY)}"}`);
    const listed = expectOk(await payer.call('listsendpays', [])) as { payments: PaymentObject[] };
    expect(listed.payments[0]!.erroronion).toBe(toHex(REPLY));
    const r = expectErr(await replay(payer), 202, 'Malformed error reply');
    expect(stringifyJson(r.data as JsonOut)).toBe(`{${failedPrefix},"erroronion":"${toHex(REPLY)}","onionreply":"${toHex(REPLY)}"}`);
  });
});

describe('F-4 update_fail_malformed from the direct peer', () => {
  it('single hop: 202 with the routing object (there is no reply onion)', async () => {
    const { payer, live } = await setup([hop(PEER, SCID1, 1000, 9)]);
    await payer.failMalformed(ID1, 0xc005, ONION_SHA);
    const e = expectErr(await live, 202, 'Malformed error reply');
    expect(e.data).toMatchObject({
      erring_index: 1,
      failcode: 49157,
      erring_node: PEER,
      erring_channel: SCID1,
      erring_direction: nodeIdDirection(OWN, PEER),
      raw_message: 'c005' + toHex(ONION_SHA),
    });
    expect(Object.keys(e.data as object)).not.toContain('onionreply');
  });

  it('longer route: 204 "local failure", blamed on node 1 and the second channel', async () => {
    const { payer, live } = await setup();
    await payer.failMalformed(ID1, 0xc005, ONION_SHA);
    const e = expectErr(await live, 204, 'failed: WIRE_INVALID_ONION_HMAC (local failure)');
    expect(e.data).toMatchObject({ erring_index: 1, erring_node: N2, erring_channel: '150x3x2' });
    expectErr(await replay(payer), 204, 'failed: WIRE_INVALID_ONION_HMAC (local failure)');
  });
});

describe('F-5 local failure (T-5)', () => {
  it('204, index 0, us, the first channel, no raw_message; detail names the code twice', async () => {
    const { payer, live } = await setup();
    await payer.failLocal(ID1, 4103, 'Capacity exceeded - HTLC fee: 123sat');
    const msg = 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (WIRE_TEMPORARY_CHANNEL_FAILURE: Capacity exceeded - HTLC fee: 123sat)';
    const e = expectErr(await live, 204, msg);
    expect(stringifyJson(e.data as JsonOut)).toBe(
      `{${pendingPrefix},"erring_index":0,"failcode":4103,"failcodename":"WIRE_TEMPORARY_CHANNEL_FAILURE","erring_node":"${OWN}","erring_channel":"${SCID1}","erring_direction":${nodeIdDirection(OWN, PEER)}}`,
    );
    expectErr(await replay(payer), 204, msg);
  });

  it('on-chain death reads WIRE_PERMANENT_CHANNEL_FAILURE: <why>', async () => {
    const { payer, live } = await setup();
    await payer.failLocal(ID1, 16392, 'htlc timed out onchain');
    expectErr(await live, 204, 'failed: WIRE_PERMANENT_CHANNEL_FAILURE (WIRE_PERMANENT_CHANNEL_FAILURE: htlc timed out onchain)');
  });
});

describe('F-6 … F-9 bookkeeping', () => {
  it('only waiters of the exact attempt are answered; all of them; updated bump with status failed', async () => {
    const { payer, live } = await setup();
    const second = (await payer.waitsendpay([HASH, null, 0, 1])).answer;
    const other = (await payer.waitsendpay({ payment_hash: HASH, partid: 0, groupid: 1, timeout: 5 })).answer;
    // A waiter on another attempt of the same hash stays.
    expectOk(await payer.call('sendpay', { route: route3, payment_hash: 'cd'.repeat(32) }));
    const unrelated = await payer.waitsendpay(['cd'.repeat(32)]);
    expect(payer.service.waiters.size).toBe(4);
    payer.now = NOW + 7;
    await payer.failLocal(ID1, 4103, 'Too many HTLCs');
    for (const p of [live, second, other]) expectErr(await p, 204, 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (WIRE_TEMPORARY_CHANNEL_FAILURE: Too many HTLCs)');
    expect(payer.service.waiters.size).toBe(1);
    expect(payer.clock.pending).toBe(0);
    expect(payer.bumps[2]).toMatchObject({ index: 'updated', value: 1n, details: { status: 'failed', payment_hash: HASH } });
    expect((await payer.rows())[0]).toMatchObject({ status: 'failed', completed_at: NOW + 7, updated_index: 1n });
    await payer.fulfill({ ...ID1, payment_hash: 'cd'.repeat(32) }, '99'.repeat(32));
    expect(expectOk(await unrelated.answer)).toMatchObject({ status: 'complete' });
  });

  it('F-9: failure info is written per (hash, partid), so an older group replays the newer reason', async () => {
    const { payer } = await setup();
    await payer.failLocal(ID1, 4103, 'Too many HTLCs');
    expectOk(await payer.call('sendpay', { route: route3, payment_hash: HASH }));
    await payer.failRemote({ ...ID1, groupid: 2n }, 2, RAW_400F);
    const old = expectErr(await replay(payer), 203, 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)');
    expect(old.data).toMatchObject({ groupid: 1n, status: 'failed', erring_index: 3 });
  });

  it('209 when a failed row has no reason at all (start-up found it pending without an HTLC)', async () => {
    const { payer, live } = await setup();
    await payer.orphan(ID1);
    expectErr(await live, 209, 'Payment failure reason unknown');
    expectErr(await replay(payer), 209, 'Payment failure reason unknown');
    expect(payer.notifications).toEqual([]);
    expect((await payer.rows())[0]).toMatchObject({ status: 'failed', updated_index: 1n });
    expect((await payer.service.pendingAttempts()).length).toBe(0);
  });

  it('after a restart, pending attempts are listed for reconciliation; a failure is replayed from storage with raw_message', async () => {
    const { payer } = await setup();
    expectOk(await payer.call('sendpay', { route: route3, payment_hash: 'cd'.repeat(32) }));
    await payer.failRemote(ID1, 2, RAW_400F);
    const restarted = await payer.restart();
    expect((await restarted.service.pendingAttempts()).map((r) => r.payment_hash)).toEqual(['cd'.repeat(32)]);
    const e = expectErr(await replay(restarted), 203, 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)');
    expect(e.data).toMatchObject({ status: 'failed', raw_message: '400f00000000000003e80000006c', erring_index: 3 });
    // The restarted service can still decode failures of the attempt left pending (secrets stored).
    const other = { ...ID1, payment_hash: 'cd'.repeat(32) };
    await restarted.settle(other, { kind: 'failed', reason: payer.failureOnion(other, 1, fromHex('2002')) });
    expectErr(await restarted.call('waitsendpay', ['cd'.repeat(32)]), 204, 'failed: WIRE_TEMPORARY_NODE_FAILURE (reply from remote)');
  });
});
