// Failures as a person reads them. The errors come from the project's payments engine (Core
// Lightning's rules), so the page is tested against the exact objects waitsendpay produces.
import { describe, expect, it } from 'vitest';
import { encodeFailureMessage } from '../../../src/onion/failure-message.js';
import { fromHex } from '../../../src/util/bytes.js';
import type { HtlcOutcome } from '../../../src/payments/index.js';
import { explainFailure, prettyJson, type FailureExplanation } from '../../../web/failure.js';
import { describeRawMessage } from '../../../web/failure-fields.js';
import { codeMeaning, failcodeSentence } from '../../../web/failure-text.js';
import { rpcErrorOf, type RpcErrorView } from '../../../web/rpc-views.js';
import { HASH, SECRET, expectErr, expectOk, hop, ids, makePayer } from '../payments/helpers.js';

const HUB = ids[5]!;
const SHOP = ids[7]!;
const names = new Map([
  [HUB, 'hub'],
  [SHOP, 'shop'],
]);
const route = [hop(HUB, '103x1x0', 101_001n, 52), hop(SHOP, '105x1x0', 100_000n, 18)];
const ID = { payment_hash: HASH, partid: 0n, groupid: 1n };
const REPLY = new Uint8Array(32);

function fact(x: FailureExplanation, label: string): string[] {
  return x.facts.filter((f) => f.label === label).map((f) => f.text);
}

async function failedWith(outcome: HtlcOutcome): Promise<{ err: RpcErrorView; own: string }> {
  const { payer, own } = await makePayer();
  expectOk(await payer.call('sendpay', { route, payment_hash: HASH, payment_secret: SECRET }));
  await payer.resolve(ID, outcome);
  const err = rpcErrorOf(expectErr(await payer.call('waitsendpay', { payment_hash: HASH })));
  if (err === undefined) throw new Error('not an RpcError');
  return { err, own };
}

describe('explainFailure', () => {
  it('the destination does not know the payment (203)', async () => {
    const message = fromHex('400f00000000000186a00000006c'); // 100,000 msat at height 108
    const { err } = await failedWith({ kind: 'remote', origin_index: 1, message, reply_onion: REPLY });
    expect(err.code).toBe(203);
    const x = explainFailure(err, { route: route.map((h) => ({ id: h.id, channel: h.channel })), names });
    expect(x.code).toBe(203);
    expect(x.message).toBe('failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)');
    expect(x.headline).toBe('The recipient does not recognise this payment (wrong hash, secret or amount).');
    expect(fact(x, 'Where')).toEqual(['The destination (erring_index 2).']);
    expect(fact(x, 'Node')[0]).toMatch(/^shop \(/);
    expect(fact(x, 'Channel')[0]).toMatch(/^105x1x0, direction [01]: the channel from hub \(.*\) to shop \(.*\)\.$/);
    expect(fact(x, 'Error code')).toEqual([
      '203: The destination refused the payment for good: retrying the same payment will not help. · failcode 16399 (WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS)',
    ]);
    expect(fact(x, 'Message')).toEqual([err.message]);
    expect(fact(x, 'Detail')).toEqual(['Amount that node received: 100 sat (100000 msat).', 'Block height the recipient was at: 108.']);
    expect(x.raw).toContain('"erring_index": 2');
    expect(x.raw).toContain('"amount_msat": 100000');
  });

  it('a channel after the first hop is out of balance (204 from the hub)', async () => {
    const update = new Uint8Array([0x01, 0x02, ...new Uint8Array(20)]);
    const message = encodeFailureMessage({ code: 'temporary_channel_failure', fields: { channel_update: update } });
    const { err } = await failedWith({ kind: 'remote', origin_index: 0, message, reply_onion: REPLY });
    expect(err.code).toBe(204);
    const x = explainFailure(err, { route: route.map((h) => ({ id: h.id, channel: h.channel })), names });
    expect(x.headline).toMatch(/^A channel on the route could not carry the payment right now/);
    expect(fact(x, 'Where')).toEqual(['Your first hop (erring_index 1).']);
    expect(fact(x, 'Node')[0]).toMatch(/^hub \(/);
    expect(fact(x, 'Channel')[0]).toMatch(/^105x1x0, direction [01]: the channel from hub .* to shop/);
    expect(fact(x, 'Detail')).toEqual(['It attached its current channel_update (22 bytes), with the fees and limits it wants.']);
  });

  it("a forwarding node could not build the next hop's onion (BADONION blames the next node)", async () => {
    const message = fromHex(`c006${'ab'.repeat(32)}`); // invalid_onion_key, reported by the hub
    const { err } = await failedWith({ kind: 'remote', origin_index: 0, message, reply_onion: REPLY });
    expect(err.code).toBe(204);
    expect(err.data).toMatchObject({ erring_index: 1, erring_node: SHOP });
    const x = explainFailure(err, { route: route.map((h) => ({ id: h.id, channel: h.channel })), names });
    expect(fact(x, 'Where')).toEqual(['Your first hop (erring_index 1).']);
    expect(fact(x, 'Node')[0]).toMatch(/^shop \(.*\): the next node, which could not read its onion \(hub \(.*\) reported it\)$/);
    // Without the route, erring_node = destination must not be read as "the destination failed".
    expect(fact(explainFailure(err, { names }), 'Where')).toEqual(['Your first hop (erring_index 1).']);
  });

  it('our own channel refused the HTLC (204, erring_index 0)', async () => {
    const { err, own } = await failedWith({ kind: 'local', failcode: 0x1007, reason: 'Capacity exceeded - HTLC fee: 1sat' });
    expect(err.message).toBe('failed: WIRE_TEMPORARY_CHANNEL_FAILURE (WIRE_TEMPORARY_CHANNEL_FAILURE: Capacity exceeded - HTLC fee: 1sat)');
    const x = explainFailure(err, { route: route.map((h) => ({ id: h.id, channel: h.channel })), names, selfId: own });
    expect(fact(x, 'Where')).toEqual(['Your own node, before the payment left it (erring_index 0).']);
    expect(fact(x, 'Node')[0]).toMatch(/^you \(/);
    expect(fact(x, 'Channel')[0]).toMatch(/^103x1x0, direction [01]: the channel from you to hub/);
    expect(fact(x, 'Detail')).toEqual([]);
  });

  it('an undecryptable reply (202) says nobody knows who failed', async () => {
    const { err } = await failedWith({ kind: 'unparseable', reply_onion: REPLY });
    expect(err.code).toBe(202);
    const x = explainFailure(err, {});
    expect(fact(x, 'What happened')[0]).toMatch(/could not be decrypted/);
    expect(x.headline).toBe(codeMeaning(202));
  });

  it('a single-hop failure at the destination names it as both', () => {
    const x = explainFailure({
      code: 203,
      message: 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)',
      data: { destination: HUB, erring_index: 1, failcode: 16399, failcodename: 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS', erring_node: HUB },
    });
    expect(fact(x, 'Where')).toEqual(['The destination, which is also your first hop (erring_index 1).']);
  });

  it('a node in the middle of a longer route, with no route context', () => {
    const x = explainFailure({ code: 204, message: 'failed: WIRE_FEE_INSUFFICIENT (reply from remote)', data: { erring_index: 2, failcode: 4108, failcodename: 'WIRE_FEE_INSUFFICIENT', erring_node: SHOP, erring_channel: '9x9x9', erring_direction: 1, destination: ids[9]! } });
    expect(fact(x, 'Where')).toEqual(['The node at position 2 of the route (erring_index 2).']);
    expect(fact(x, 'Channel')).toEqual(['9x9x9, direction 1 (sent by the higher of its two node ids).']);
  });

  it('errors without routing data keep code and message verbatim', () => {
    const x = explainFailure({ code: 208, message: `Never attempted payment part 0 for '${HASH}'` });
    expect(x.headline).toBe('No such payment: nothing was attempted for this hash, part and group.');
    expect(x.facts).toEqual([
      { label: 'Error code', text: '208: No such payment: nothing was attempted for this hash, part and group.' },
      { label: 'Message', text: `Never attempted payment part 0 for '${HASH}'` },
    ]);
    expect(x.raw).toBeUndefined();
    const p = explainFailure({ code: -32602, message: "route: bad node_id: invalid token '\"02zz\"'" });
    expect(p.headline).toMatch(/^Invalid parameters/);
    expect(explainFailure({ code: 4242, message: 'x' }).headline).toBe('Core Lightning error code 4242.');
  });

  it('a first-hop failure without a payment object (204 No connection to first peer found)', () => {
    const own = ids[0]!;
    const x = explainFailure(
      { code: 204, message: 'No connection to first peer found', data: { erring_index: 0, failcode: 16394, failcodename: 'WIRE_UNKNOWN_NEXT_PEER', erring_node: own } },
      { selfId: own },
    );
    expect(x.headline).toMatch(/did not know where to send the payment next/);
    expect(fact(x, 'Where')[0]).toMatch(/^Your own node/);
    expect(fact(x, 'Channel')).toEqual([]);
  });
});

describe('failure sentences', () => {
  it('names every code Core Lightning names, and reads the flags of the others', () => {
    expect(failcodeSentence(16399, 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS')).toBe('The recipient does not recognise this payment (wrong hash, secret or amount).');
    expect(failcodeSentence(16385)).toBe('A node reported failure code 16385 (0x4001), which Core Lightning does not name: permanent.');
    expect(failcodeSentence(0xe002)).toBe('A node reported failure code 57346 (0xe002), which Core Lightning does not name: the onion was unreadable, permanent, about a whole node.');
    expect(failcodeSentence(0x0099)).toBe('A node reported failure code 153 (0x0099), which Core Lightning does not name.');
    for (const name of [
      'WIRE_TEMPORARY_NODE_FAILURE', 'WIRE_PERMANENT_NODE_FAILURE', 'WIRE_REQUIRED_NODE_FEATURE_MISSING', 'WIRE_INVALID_ONION_VERSION',
      'WIRE_INVALID_ONION_HMAC', 'WIRE_INVALID_ONION_KEY', 'WIRE_TEMPORARY_CHANNEL_FAILURE', 'WIRE_PERMANENT_CHANNEL_FAILURE',
      'WIRE_REQUIRED_CHANNEL_FEATURE_MISSING', 'WIRE_UNKNOWN_NEXT_PEER', 'WIRE_AMOUNT_BELOW_MINIMUM', 'WIRE_FEE_INSUFFICIENT',
      'WIRE_INCORRECT_CLTV_EXPIRY', 'WIRE_EXPIRY_TOO_SOON', 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS', 'WIRE_FINAL_INCORRECT_CLTV_EXPIRY',
      'WIRE_FINAL_INCORRECT_HTLC_AMOUNT', 'WIRE_CHANNEL_DISABLED', 'WIRE_EXPIRY_TOO_FAR', 'WIRE_INVALID_ONION_PAYLOAD', 'WIRE_MPP_TIMEOUT',
      'WIRE_INVALID_ONION_BLINDING',
    ]) {
      expect(failcodeSentence(0, name)).not.toMatch(/does not name/);
    }
  });

  it('decodes the fields of raw_message', () => {
    expect(describeRawMessage('400f00000000000003e80000006c')).toEqual(['Amount that node received: 1 sat (1000 msat).', 'Block height the recipient was at: 108.']);
    expect(describeRawMessage('001300000000000007d0')).toEqual(['Amount the recipient received: 2 sat (2000 msat).']);
    expect(describeRawMessage('00120000007b')).toEqual(['CLTV expiry it received: block 123.']);
    expect(describeRawMessage('4016' + '02' + '0007')).toEqual(['The problem is onion field type 2, at byte offset 7 of its payload.']);
    expect(describeRawMessage('c005' + 'ab'.repeat(32))).toEqual([`SHA-256 of the onion it received: ${'ab'.repeat(32)}.`]);
    expect(describeRawMessage('2002')).toEqual([]);
    expect(describeRawMessage('400f0000')[0]).toMatch(/^raw_message could not be decoded: /);
    expect(describeRawMessage('zz')).toEqual(['raw_message is not a failure message (1 bytes).']);
  });
});

describe('prettyJson', () => {
  it('writes bigints as JSON integers and leaves look-alike strings quoted', () => {
    expect(prettyJson({ a: 18_446_744_073_709_551_615n, b: '123', c: [1n] })).toBe('{\n  "a": 18446744073709551615,\n  "b": "123",\n  "c": [\n    1\n  ]\n}');
    expect(prettyJson({ s: '\\u00001\\u0000' })).toBe('{\n  "s": "\\\\u00001\\\\u0000"\n}');
  });
});
