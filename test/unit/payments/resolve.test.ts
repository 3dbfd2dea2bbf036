// Resolution and failure classification (F-1…F-9), live answers vs replays from storage, and the
// sendpay_success / sendpay_failure notifications.
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { errorResponseText, successResponseText, stringifyJson, type Outcome, type JsonOut } from '../../../src/rpc/index.js';
import {
  PaymentsError,
  failcodeDisplay,
  failcodeName,
  nodeIdDirection,
  type HtlcOutcome,
  type PaymentObject,
} from '../../../src/payments/index.js';
import { HASH, NOW, SCID1, expectErr, expectOk, hop, ids, makeEngine } from './helpers.js';

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
  const made = makeEngine();
  expectOk(await made.engine.call('sendpay', { route, payment_hash: HASH }));
  const live = made.engine.call('waitsendpay', [HASH]);
  return { ...made, live };
}

function asText(o: Outcome<JsonOut>): string {
  return o.ok ? successResponseText(null, o.value) : errorResponseText(null, o.error);
}

async function replay(engine: Awaited<ReturnType<typeof setup>>['engine']) {
  return engine.call('waitsendpay', { payment_hash: HASH, partid: 0, groupid: 1 });
}

const pendingPrefix = `"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"destination":"${DEST}","amount_msat":1000,"amount_sent_msat":1020,"created_at":${NOW},"status":"pending"`;
const failedPrefix = `"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"updated_index":1,"destination":"${DEST}","amount_msat":1000,"amount_sent_msat":1020,"created_at":${NOW},"completed_at":${NOW},"status":"failed"`;

describe('F-1 success', () => {
  it('answers waiters with the complete row, notifies, bumps updated, drops in-flight secrets', async () => {
    const { engine, live } = await setup();
    const r = engine.resolve(ID1, { kind: 'fulfilled', preimage: 'CC'.repeat(32) });
    const answer = expectOk(await live) as PaymentObject;
    expect(asText({ ok: true, value: answer })).toBe(
      `{"jsonrpc":"2.0","id":null,"result":{${failedPrefix.replace('"failed"', '"complete"')},"payment_preimage":"${'cc'.repeat(32)}"}}`,
    );
    expect(engine.notifications).toEqual([{ topic: 'sendpay_success', payload: answer }]);
    expect(r.bumps).toEqual([
      { subsystem: 'sendpays', index: 'updated', value: 1n, details: { status: 'complete', partid: 0n, groupid: 1n, payment_hash: HASH } },
    ]);
    const row = engine.rows[0]!;
    expect(row.shared_secrets).toBeUndefined();
    expect(row.route_nodes).toBeUndefined();
    expect(row.updated_key).toBe('00000000000000000001');
    expect(expectOk(await replay(engine))).toEqual(answer);
    expect(() => engine.resolve(ID1, { kind: 'fulfilled', preimage: 'cc'.repeat(32) })).toThrow(PaymentsError);
  });
});

describe('F-2 remote errors', () => {
  it('final node, PERM: 203; live data shows the pending row, replay the failed row (F-7), both with raw_message', async () => {
    const { engine, live } = await setup();
    engine.resolve(ID1, { kind: 'remote', origin_index: 2, message: RAW_400F, reply_onion: REPLY });
    const routing = `"erring_index":3,"failcode":16399,"failcodename":"WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS","erring_node":"${DEST}","erring_channel":"200x2x1","erring_direction":${nodeIdDirection(N2, DEST)},"raw_message":"400f00000000000003e80000006c"`;
    const msg = 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)';
    const liveOut = await live;
    expect(asText(liveOut)).toBe(`{"jsonrpc":"2.0","id":null,"error":{"code":203,"message":"${msg}","data":{${pendingPrefix},${routing}}}}`);
    expect(asText(await replay(engine))).toBe(`{"jsonrpc":"2.0","id":null,"error":{"code":203,"message":"${msg}","data":{${failedPrefix},${routing}}}}`);
    // The notification payload is the live error object.
    const n = engine.notifications[0]!;
    expect(n.topic).toBe('sendpay_failure');
    if (!liveOut.ok) expect(stringifyJson(n.payload as JsonOut)).toBe(stringifyJson(liveOut.error.toJSON() as JsonOut));
  });

  it('final node, not PERM: 204', async () => {
    const { engine, live } = await setup();
    engine.resolve(ID1, { kind: 'remote', origin_index: 2, message: fromHex('0017'), reply_onion: REPLY });
    const e = expectErr(await live, 204, 'failed: WIRE_MPP_TIMEOUT (reply from remote)');
    expect(e.data).toMatchObject({ erring_index: 3, erring_node: DEST, erring_channel: '200x2x1' });
  });

  it('final node, BADONION (F-8): live 202 with onionreply, replay 202 with the routing object', async () => {
    const { engine, live } = await setup();
    const msg = new Uint8Array([0xc0, 0x05, ...ONION_SHA]);
    engine.resolve(ID1, { kind: 'remote', origin_index: 2, message: msg, reply_onion: REPLY });
    const l = expectErr(await live, 202, 'Malformed error reply');
    expect(stringifyJson(l.data as JsonOut)).toBe(`{${pendingPrefix},"onionreply":"${toHex(REPLY)}"}`);
    const r = expectErr(await replay(engine), 202, 'Malformed error reply');
    expect(stringifyJson(r.data as JsonOut)).toBe(
      `{${failedPrefix},"erring_index":3,"failcode":49157,"failcodename":"WIRE_INVALID_ONION_HMAC","erring_node":"${DEST}","erring_channel":"200x2x1","erring_direction":0,"raw_message":"${toHex(msg)}"}`,
    );
  });

  it('intermediate node: 204, the outgoing channel, direction from node k to node k+1', async () => {
    const { engine, live } = await setup();
    const msg = fromHex('1007' + '0000');
    engine.resolve(ID1, { kind: 'remote', origin_index: 0, message: msg, reply_onion: REPLY });
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
    const { engine, live } = await setup();
    engine.resolve(ID1, { kind: 'remote', origin_index: 1, message: new Uint8Array([0xc0, 0x06, ...ONION_SHA]), reply_onion: REPLY });
    const e = expectErr(await live, 204, 'failed: WIRE_INVALID_ONION_KEY (reply from remote)');
    expect(e.data).toMatchObject({ erring_index: 2, erring_node: DEST, erring_channel: '200x2x1', erring_direction: 0 });
  });

  it('erring_direction is 1 when the sender is the lexicographically larger id', async () => {
    const big = ids[9]!;
    const small = ids[1]!;
    const { engine, live } = await setup([hop(PEER, SCID1, 1020, 30), hop(big, '1x1x1', 1010, 20), hop(small, '2x2x2', 1000, 9)]);
    engine.resolve(ID1, { kind: 'remote', origin_index: 1, message: fromHex('2002'), reply_onion: REPLY });
    const e = expectErr(await live, 204, 'failed: WIRE_TEMPORARY_NODE_FAILURE (reply from remote)');
    expect(e.data).toMatchObject({ erring_node: big, erring_channel: '2x2x2', erring_direction: 1 });
    expect(nodeIdDirection(big, small)).toBe(1);
    expect(nodeIdDirection(small, big)).toBe(0);
  });

  it('single-hop route: the direction is ours towards the destination', async () => {
    const { engine, live } = await setup([hop(PEER, SCID1, 1000, 9)]);
    engine.resolve(ID1, { kind: 'remote', origin_index: 0, message: RAW_400F, reply_onion: REPLY });
    const e = expectErr(await live, 203);
    expect(e.data).toMatchObject({ erring_index: 1, erring_node: PEER, erring_channel: SCID1, erring_direction: nodeIdDirection(OWN, PEER) });
  });

  it('codes CLN does not know: "UNKNOWN n" in the message, no failcodename', async () => {
    const { engine, live } = await setup();
    engine.resolve(ID1, { kind: 'remote', origin_index: 2, message: fromHex('4001'), reply_onion: REPLY });
    const e = expectErr(await live, 203, 'failed: UNKNOWN 16385 (reply from remote)');
    expect(Object.keys(e.data as object)).not.toContain('failcodename');
    expect(failcodeName(16385)).toBeUndefined();
    expect(failcodeDisplay(16385)).toBe('UNKNOWN 16385');
  });
});

describe('F-3 undecodable reply onion', () => {
  it('202 with onionreply; stored raw, shown as erroronion; replay carries both', async () => {
    const { engine, live } = await setup();
    engine.resolve(ID1, { kind: 'unparseable', reply_onion: REPLY });
    const l = expectErr(await live, 202, 'Malformed error reply');
    expect(stringifyJson(l.data as JsonOut)).toBe(`{${pendingPrefix},"onionreply":"${toHex(REPLY)}"}`);
    const listed = expectOk(await engine.call('listsendpays', [])) as { payments: PaymentObject[] };
    expect(listed.payments[0]!.erroronion).toBe(toHex(REPLY));
    const r = expectErr(await replay(engine), 202, 'Malformed error reply');
    expect(stringifyJson(r.data as JsonOut)).toBe(`{${failedPrefix},"erroronion":"${toHex(REPLY)}","onionreply":"${toHex(REPLY)}"}`);
  });
});

describe('F-4 update_fail_malformed from the direct peer', () => {
  const malformed: HtlcOutcome = { kind: 'malformed', failure_code: 0xc005, sha256_of_onion: ONION_SHA };
  it('single hop: 202 with the routing object (there is no reply onion)', async () => {
    const { engine, live } = await setup([hop(PEER, SCID1, 1000, 9)]);
    engine.resolve(ID1, malformed);
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
    const { engine, live } = await setup();
    engine.resolve(ID1, malformed);
    const e = expectErr(await live, 204, 'failed: WIRE_INVALID_ONION_HMAC (local failure)');
    expect(e.data).toMatchObject({ erring_index: 1, erring_node: N2, erring_channel: '150x3x2' });
    expectErr(await replay(engine), 204, 'failed: WIRE_INVALID_ONION_HMAC (local failure)');
  });
});

describe('F-5 local failure (T-5)', () => {
  it('204, index 0, us, the first channel, no raw_message; detail names the code twice', async () => {
    const { engine, live } = await setup();
    engine.resolve(ID1, { kind: 'local', failcode: 4103, reason: 'Capacity exceeded - HTLC fee: 123sat' });
    const msg = 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (WIRE_TEMPORARY_CHANNEL_FAILURE: Capacity exceeded - HTLC fee: 123sat)';
    const e = expectErr(await live, 204, msg);
    expect(stringifyJson(e.data as JsonOut)).toBe(
      `{${pendingPrefix},"erring_index":0,"failcode":4103,"failcodename":"WIRE_TEMPORARY_CHANNEL_FAILURE","erring_node":"${OWN}","erring_channel":"${SCID1}","erring_direction":${nodeIdDirection(OWN, PEER)}}`,
    );
    expectErr(await replay(engine), 204, msg);
  });

  it('on-chain death reads WIRE_PERMANENT_CHANNEL_FAILURE: <why>', async () => {
    const { engine, live } = await setup();
    engine.resolve(ID1, { kind: 'local', failcode: 16392, reason: 'htlc timed out onchain' });
    expectErr(await live, 204, 'failed: WIRE_PERMANENT_CHANNEL_FAILURE (WIRE_PERMANENT_CHANNEL_FAILURE: htlc timed out onchain)');
  });
});

describe('F-6 … F-9 bookkeeping', () => {
  it('only waiters of the exact attempt are answered; all of them; updated bump with status failed', async () => {
    const { engine, live } = await setup();
    const second = engine.call('waitsendpay', [HASH, null, 0, 1]);
    const other = engine.call('waitsendpay', { payment_hash: HASH, partid: 0, groupid: 1, timeout: 5 });
    expect(engine.waitsendpayWaiters.size).toBe(3);
    const r = engine.resolve(ID1, { kind: 'local', failcode: 4103, reason: 'Too many HTLCs' });
    for (const p of [live, second, other]) expectErr(await p, 204, 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (WIRE_TEMPORARY_CHANNEL_FAILURE: Too many HTLCs)');
    expect(engine.waitsendpayWaiters.size).toBe(0);
    expect(r.bumps[0]).toMatchObject({ index: 'updated', value: 1n, details: { status: 'failed' } });
    expect(engine.rows[0]).toMatchObject({ status: 'failed', completed_at: NOW, updated_index: 1n });
  });

  it('F-9: failure info is written per (hash, partid), so an older group replays the newer reason', async () => {
    const { engine } = await setup();
    engine.resolve(ID1, { kind: 'local', failcode: 4103, reason: 'Too many HTLCs' });
    expectOk(await engine.call('sendpay', { route: route3, payment_hash: HASH }));
    engine.resolve({ ...ID1, groupid: 2n }, { kind: 'remote', origin_index: 2, message: RAW_400F, reply_onion: REPLY });
    const old = expectErr(await replay(engine), 203, 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)');
    expect(old.data).toMatchObject({ groupid: 1n, status: 'failed', erring_index: 3 });
  });

  it('209 when a failed row has no reason at all', async () => {
    const { engine, live } = await setup();
    engine.resolve(ID1, { kind: 'unknown' });
    expectErr(await live, 209, 'Payment failure reason unknown');
    expectErr(await replay(engine), 209, 'Payment failure reason unknown');
    expect(engine.notifications).toEqual([]);
  });
});
