// Bad peer messages: wrong signatures, bad revocation secrets, out-of-order and unknown-id updates.
// Each one must come back as a typed protocol answer (error + failed channel, or warning +
// disconnect); no exception may escape receiveMessage, whatever the bytes.
import { describe, expect, it } from 'vitest';
import { fromHex, fromUtf8, utf8 } from '../../../src/util/bytes.js';
import { decodeMessage, encodeMessage, isUnknownMessage } from '../../../src/wire/messages.js';
import type { WireMessage } from '../../../src/wire/messages.js';
import { peerConnected, peerDisconnected, receiveMessage } from '../../../src/channel/state/index.js';
import type { Channel, Step } from '../../../src/channel/state/index.js';
import { ONION, add, hashLabel, openLink, preimageOf, settleAll } from './harness.js';
import type { Link, Node } from './harness.js';

function errorOf(s: Step): string | undefined {
  const e = s.send.find((m) => m.type === 'error');
  return e && e.type === 'error' ? fromUtf8(e.data) : undefined;
}

function expectFailed(s: Step, re: RegExp): void {
  expect(errorOf(s)).toMatch(re);
  expect(s.channel.record.state).toBe('FORCE_CLOSED');
  expect(s.events.some((e) => e.type === 'channel_failed')).toBe(true);
}

/** A link with one HTLC from A proposed and signed, and the commitment_signed held back. */
function pendingCommit(): { link: Link; commitSigned: Extract<WireMessage, { type: 'commitment_signed' }> } {
  const link = openLink();
  add(link, link.a, 20_000_000n, 'ps');
  link.commit(link.a);
  link.deliverOne(link.b); // the add
  const cs = link.toB.shift()!;
  if (cs.type !== 'commitment_signed') throw new Error('expected commitment_signed');
  return { link, commitSigned: cs };
}

function cid(n: Node): Uint8Array {
  return fromHex(n.ch.record.channel_id);
}

describe('protocol errors', () => {
  it('wrong commitment signature', () => {
    const { link, commitSigned } = pendingCommit();
    const sig = commitSigned.signature.slice();
    sig[5]! ^= 0x40;
    expectFailed(receiveMessage(link.b.ch, { ...commitSigned, signature: sig }), /invalid commitment signature/);
  });

  it('wrong HTLC signature, and the wrong number of them', () => {
    const { link, commitSigned } = pendingCommit();
    expect(commitSigned.htlc_signature).toHaveLength(1);
    const bad = commitSigned.htlc_signature[0]!.slice();
    bad[3]! ^= 1;
    expectFailed(receiveMessage(link.b.ch, { ...commitSigned, htlc_signature: [bad] }), /HTLC signature 0/);
    expectFailed(receiveMessage(link.b.ch, { ...commitSigned, htlc_signature: [] }), /expected 1 HTLC signatures, got 0/);
  });

  it('a revoke_and_ack whose secret does not match, or that answers nothing', () => {
    const { link, commitSigned } = pendingCommit();
    link.run(link.b, receiveMessage(link.b.ch, commitSigned));
    const raa = link.toA.shift()!;
    if (raa.type !== 'revoke_and_ack') throw new Error('expected revoke_and_ack');
    const secret = raa.per_commitment_secret.slice();
    secret[0]! ^= 1;
    expectFailed(receiveMessage(link.a.ch, { ...raa, per_commitment_secret: secret }), /per_commitment_secret does not match/);
    link.run(link.a, receiveMessage(link.a.ch, raa));
    expectFailed(receiveMessage(link.a.ch, raa), /without a commitment_signed/);
  });

  it('updates and commitments before channel_ready', () => {
    const link = openLink({ depth: 0 });
    const add: WireMessage = {
      type: 'update_add_htlc',
      channel_id: cid(link.b),
      id: 0n,
      amount_msat: 1_000_000n,
      payment_hash: new Uint8Array(32),
      cltv_expiry: 800_000,
      onion_routing_packet: ONION,
      tlvs: {},
    };
    expectFailed(receiveMessage(link.b.ch, add), /update_add_htlc in state AWAITING_LOCKIN/);
    expectFailed(receiveMessage(link.b.ch, { type: 'commitment_signed', channel_id: cid(link.b), signature: new Uint8Array(64), htlc_signature: [], tlvs: {} }), /commitment_signed in state/);
  });

  it('settling unknown, uncommitted or already settled HTLCs; bad preimages; malformed without BADONION', () => {
    const link = openLink();
    const { a, b } = link;
    const id = add(link, a, 5_000_000n, 'u1');
    // B has the add but it is not committed: no removal allowed yet.
    link.deliverOne(b);
    const fulfill = (n: bigint, pre: Uint8Array): WireMessage => ({ type: 'update_fulfill_htlc', channel_id: cid(a), id: n, payment_preimage: pre, tlvs: {} });
    expectFailed(receiveMessage(a.ch, fulfill(BigInt(id), preimageOf('u1'))), /before it was irrevocably committed/);
    link.commit(a);
    link.deliverAll();
    expectFailed(receiveMessage(a.ch, fulfill(7n, preimageOf('u1'))), /unknown HTLC 7/);
    expectFailed(receiveMessage(a.ch, fulfill(2n ** 63n, preimageOf('u1'))), /unknown HTLC/);
    expectFailed(receiveMessage(a.ch, fulfill(BigInt(id), preimageOf('other'))), /preimage does not match/);
    expectFailed(receiveMessage(a.ch, { type: 'update_fail_htlc', channel_id: cid(a), id: 9n, reason: new Uint8Array(10), tlvs: {} }), /unknown HTLC 9/);
    expectFailed(
      receiveMessage(a.ch, { type: 'update_fail_malformed_htlc', channel_id: cid(a), id: BigInt(id), sha256_of_onion: new Uint8Array(32), failure_code: 0x4001 }),
      /BADONION/,
    );
    expectFailed(
      receiveMessage(a.ch, { type: 'update_fail_malformed_htlc', channel_id: cid(a), id: 3n, sha256_of_onion: new Uint8Array(32), failure_code: 0xc005 }),
      /unknown HTLC 3/,
    );
    // Removing twice.
    settleAll(link, b, 'fail', new Map());
    const failMsg = link.toA[0]!;
    link.deliverOne(a);
    expectFailed(receiveMessage(a.ch, failMsg), /already being removed/);
  });

  it('update_fee outside our range, or that the funder cannot afford', () => {
    const link = openLink({ funding: 100_000n });
    const fee = (f: number): WireMessage => ({ type: 'update_fee', channel_id: cid(link.b), feerate_per_kw: f });
    expectFailed(receiveMessage(link.b.ch, fee(100)), /outside our range/);
    expectFailed(receiveMessage(link.b.ch, fee(100_001)), /outside our range/);
    const poor = openLink({ funding: 100_000n, push: 97_000_000n, policyB: { max_feerate_per_kw: 1_000_000 } });
    expectFailed(receiveMessage(poor.b.ch, fee(900_000)), /cannot afford/);
  });

  it('the peer sends error: fail and broadcast our commitment; warning: just report it', () => {
    const link = openLink();
    const w = receiveMessage(link.a.ch, { type: 'warning', channel_id: cid(link.a), data: utf8('careful') });
    expect(w.events).toEqual([{ type: 'warning_received', channel_id: link.a.ch.record.channel_id, message: 'careful' }]);
    const s = receiveMessage(link.a.ch, { type: 'error', channel_id: cid(link.a), data: utf8('bye') });
    expect(s.send).toEqual([]);
    expect(s.channel.record.state).toBe('FORCE_CLOSED');
    expect(s.events.map((e) => e.type)).toEqual(['state_changed', 'broadcast', 'channel_failed']);
    // A closed channel ignores what follows.
    expect(receiveMessage(s.channel, { type: 'error', channel_id: cid(link.a), data: utf8('again') }).events).toEqual([]);
  });

  it('messages before channel_reestablish get a warning and a disconnect', () => {
    const link = openLink();
    link.run(link.a, peerDisconnected(link.a.ch));
    link.run(link.a, peerConnected(link.a.ch));
    const s = receiveMessage(link.a.ch, { type: 'update_fee', channel_id: cid(link.a), feerate_per_kw: 3000 });
    expect(s.send[0]?.type).toBe('warning');
    expect(s.events.some((e) => e.type === 'disconnect')).toBe(true);
    expect(s.channel.record).toBe(link.a.ch.record);
  });

  it('never throws on mutated messages of a whole payment flow', () => {
    let rng = 12345;
    const rand = (n: number): number => {
      rng = (rng * 1103515245 + 12345) & 0x7fffffff;
      return rng % n;
    };
    const base = openLink({ push: 100_000_000n });
    // Record the conversation of one payment each way, then replay mutated copies at each point.
    const snapshots: { ch: Channel; msg: WireMessage }[] = [];
    const labels = new Map([
      [hashLabel('z1'), 'z1'],
      [hashLabel('z2'), 'z2'],
    ]);
    add(base, base.a, 9_000_000n, 'z1');
    add(base, base.b, 8_000_000n, 'z2');
    base.commit(base.a);
    base.commit(base.b);
    const drive = (): void => {
      for (let i = 0; i < 100; i++) {
        const to = base.toA.length > 0 ? base.a : base.toB.length > 0 ? base.b : null;
        if (!to) return;
        snapshots.push({ ch: to.ch, msg: base.queueTo(to)[0]! });
        base.deliverOne(to);
      }
    };
    drive();
    settleAll(base, base.b, 'fulfill', labels);
    settleAll(base, base.a, 'fail', labels);
    base.commit(base.a);
    base.commit(base.b);
    drive();
    expect(snapshots.length).toBeGreaterThan(10);
    let mutated = 0;
    for (const { ch, msg } of snapshots) {
      const bytes = encodeMessage(msg);
      for (let k = 0; k < 20; k++) {
        const m = bytes.slice();
        const flips = 1 + rand(3);
        // Keep the type and channel_id (routing is the runtime's job): mutate the rest.
        for (let f = 0; f < flips; f++) m[34 + rand(m.length - 34)]! ^= 1 << rand(8);
        let decoded;
        try {
          decoded = decodeMessage(m);
        } catch {
          continue;
        }
        if (isUnknownMessage(decoded)) continue;
        mutated++;
        const s = receiveMessage(ch, decoded);
        expect(['NORMAL', 'FORCE_CLOSED']).toContain(s.channel.record.state);
        if (s.channel.record.state === 'FORCE_CLOSED') expect(s.send.some((x) => x.type === 'error')).toBe(true);
      }
    }
    expect(mutated).toBeGreaterThan(100);
  });
});
