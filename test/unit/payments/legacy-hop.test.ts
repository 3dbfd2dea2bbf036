// sendpay's developer option dev_legacy_hop: refused without developer mode (spec §1.1); with it,
// the second-to-last hop gets CLN's legacy realm-0 frame, as CLN's send_payment builds it, so a
// test can check that forwarders refuse it. Verified by peeling the real onion.
import { describe, expect, it } from 'vitest';
import { pubkeyTweakMul } from '../../../src/crypto/secp256k1.js';
import { blindingFactor, deriveKey, keystream } from '../../../src/onion/keys.js';
import { peelOnion } from '../../../src/onion/peel.js';
import { concatBytes } from '../../../src/util/bytes.js';
import { hopFrames, legacyHopFrame, LEGACY_FRAME_SIZE, onionFits, planOnion, PaymentsError } from '../../../src/payments/index.js';
import { HASH, HEIGHT, SCID1, SECRET, expectErr, expectOk, hop, ids, makePayer, secretOf } from './helpers.js';

const PEER = ids[5]!;
const MID = ids[6]!;
const DEST = ids[7]!;
const ID1 = { payment_hash: HASH, partid: 0n, groupid: 1n };
const route = [hop(PEER, SCID1, 1020, 30), hop(MID, '150x3x2', 1010, 20), hop(DEST, '200x2x1', 1000, 9)];

describe('dev_legacy_hop', () => {
  it('is refused without developer mode, and accepted (false) with it', async () => {
    const { payer } = await makePayer({ param_context: { developer: false } });
    expectErr(await payer.call('sendpay', { route, payment_hash: HASH, dev_legacy_hop: true }), -32602, "Parameter 'dev_legacy_hop' is developer-only");
    expectErr(await payer.call('sendpay', { route, payment_hash: HASH, dev_legacy_hop: false }), -32602, "Parameter 'dev_legacy_hop' is developer-only");
    expect(payer.offered).toEqual([]);
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
  });

  it('puts a realm-0 frame at the second-to-last hop; the other hops are TLV and the chain of HMACs holds', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH, payment_secret: SECRET, dev_legacy_hop: true }));
    const onion = payer.offered[0]!.req.onion;
    const assoc = new Uint8Array(32).fill(0xaa);
    const base = HEIGHT + 1;

    const first = peelOnion(onion, secretOf(PEER), assoc);
    if (first.kind !== 'forward') throw new Error(first.kind);
    expect(first.payload).toMatchObject({ amt_to_forward: 1010n, outgoing_cltv_value: base + 20 });

    // Our own peel refuses the legacy frame (BOLT 4 dropped realm 0): what a modern forwarder does.
    const mid = peelOnion(first.nextPacket, secretOf(MID), assoc);
    if (mid.kind !== 'invalid_payload') throw new Error(mid.kind);
    expect(mid).toMatchObject({ tlvType: 0n, offset: 0, reason: 'hop payload length 0 is not supported' });

    // Decrypt MID's layer by hand: realm 0, next scid, amount and cltv, 12 zero bytes, then the
    // HMAC for the next hop — 65 bytes in all, exactly what a legacy reader shifts by.
    const routing = first.nextPacket.subarray(34, 34 + 1300);
    const plain = keystream(deriveKey('rho', mid.sharedSecret), 2 * 1300);
    for (let i = 0; i < 1300; i++) plain[i]! ^= routing[i]!;
    const v = new DataView(plain.buffer);
    expect(plain[0]).toBe(0);
    expect(v.getBigUint64(1)).toBe((200n << 40n) | (2n << 16n) | 1n);
    expect(v.getBigUint64(9)).toBe(1000n);
    expect(v.getUint32(17)).toBe(base + 9);
    expect(plain.subarray(21, 33)).toEqual(new Uint8Array(12));

    const ephemeral = first.nextPacket.subarray(1, 34);
    const next = concatBytes(
      new Uint8Array([0]),
      pubkeyTweakMul(ephemeral, blindingFactor(ephemeral, mid.sharedSecret)),
      plain.subarray(65, 65 + 1300),
      plain.subarray(33, 65),
    );
    const last = peelOnion(next, secretOf(DEST), assoc);
    if (last.kind !== 'final') throw new Error(last.kind);
    expect(last.payload).toMatchObject({ amt_to_forward: 1000n, outgoing_cltv_value: base + 9, payment_data: { total_msat: 1000n } });

    // The row keeps the secrets of all three hops: failures still decode.
    const [row] = await payer.rows();
    expect(row!.shared_secrets).toEqual([first.sharedSecret, mid.sharedSecret, last.sharedSecret]);
  });

  it('the legacy hop’s own refusal (invalid_onion_payload) decodes with the stored secrets', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: [hop(PEER, SCID1, 1010, 20), hop(DEST, '200x2x1', 1000, 9)], payment_hash: HASH, dev_legacy_hop: true }));
    // Two hops: PEER (index 0) is the second-to-last and reads the legacy frame.
    const layer = peelOnion(payer.offered[0]!.req.onion, secretOf(PEER), new Uint8Array(32).fill(0xaa));
    expect(layer.kind).toBe('invalid_payload');
    await payer.failRemote(ID1, 0, new Uint8Array([0x40, 0x16, 0x00, 0x00, 0x00]));
    expectErr(await payer.call('waitsendpay', [HASH]), 204, 'failed: WIRE_INVALID_ONION_PAYLOAD (reply from remote)');
  });

  it('a single-hop route has no second-to-last hop: the option changes nothing (as in CLN)', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: [hop(PEER, SCID1, 1000, 9)], payment_hash: HASH, dev_legacy_hop: true }));
    const only = payer.peel(ID1)[0]!;
    expect(only.kind).toBe('final');
  });

  it('frame bytes and size accounting', () => {
    const plan = planOnion({
      route: route.map((h) => {
        const [b, t, o] = h.channel.split('x').map(BigInt) as [bigint, bigint, bigint];
        return { scid: (b << 40n) | (t << 16n) | o, node_id: h.id, amount_msat: h.amount_msat as bigint, delay: h.delay };
      }),
      payment_hash: HASH,
      block_height: 99,
      total_msat: 1000n,
      dev_legacy_hop: true,
    });
    expect(plan.hops.map((h) => h.legacy === true)).toEqual([false, true, false]);
    const frames = hopFrames(plan.hops);
    expect(frames[1]).toEqual(legacyHopFrame(plan.hops[1]!));
    expect(frames[1]).toHaveLength(LEGACY_FRAME_SIZE);
    expect(frames[0]![0]).toBe(frames[0]!.length - 1); // BigSize length prefix of a TLV payload
    expect(onionFits(plan)).toBe(true);
    expect(() => legacyHopFrame(plan.hops[2]!)).toThrow(PaymentsError);
  });
});
