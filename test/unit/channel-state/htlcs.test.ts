// Normal operation between two machines: HTLCs added, fulfilled, failed and failed-malformed in both
// directions, many at once, update_fee, and the exact moments the runtime is told things.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/util/bytes.js';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import { addHtlc, balances, blockHeight, commit, fulfillHtlc, htlcViews, receiveMessage, updateFee } from '../../../src/channel/state/index.js';
import { ONION, add, assertConsistent, hashLabel, openLink, preimageOf, settleAll } from './harness.js';
import type { Link, Node } from './harness.js';

function roundTripPayments(link: Link, from: Node, to: Node, count: number, amount: bigint, how: 'fulfill' | 'fail' | 'malformed', tag: string): void {
  const labels = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const label = `${tag}-${i}`;
    labels.set(hashLabel(label), label);
    add(link, from, amount, label);
  }
  link.commit(from);
  link.deliverAll();
  assertConsistent(link);
  expect(settleAll(link, to, how, labels)).toBe(count);
  link.commit(to);
  link.deliverAll();
  assertConsistent(link);
}

describe('HTLCs', () => {
  for (const anchors of [false, true]) {
    describe(anchors ? 'anchors' : 'static_remotekey', () => {
      for (const how of ['fulfill', 'fail', 'malformed'] as const) {
        it(`${how} in both directions`, () => {
          const link = openLink({ anchors, push: 400_000_000n });
          const { a, b } = link;
          const before = [a.ch.record.base_local_msat, b.ch.record.base_local_msat];
          roundTripPayments(link, a, b, 1, 20_000_000n, how, `ab-${how}`);
          roundTripPayments(link, b, a, 1, 7_000_000n, how, `ba-${how}`);
          const resolvedA = a.take('htlc_resolved');
          const resolvedB = b.take('htlc_resolved');
          // Each side learns of both removals: its own HTLC's and the one it settled.
          expect(resolvedA.map((e) => [e.offerer, e.result.kind])).toEqual(
            expect.arrayContaining([
              ['local', how === 'malformed' ? 'fail_malformed' : how],
              ['remote', how === 'malformed' ? 'fail_malformed' : how],
            ]),
          );
          expect(resolvedB).toHaveLength(2);
          const delta = how === 'fulfill' ? 20_000_000n - 7_000_000n : 0n;
          expect(a.ch.record.base_local_msat).toBe(before[0]! - delta);
          expect(b.ch.record.base_local_msat).toBe(before[1]! + delta);
          expect(a.ch.htlcs.size + b.ch.htlcs.size).toBe(0);
          if (how === 'fulfill') {
            const pre = a.take('htlc_preimage');
            expect(pre).toHaveLength(1);
            expect(toHex(pre[0]!.preimage)).toBe(toHex(preimageOf('ab-fulfill-0')));
          }
        });
      }

      it('carries 50 concurrent HTLCs each way, dust and non-dust', () => {
        const policy = { max_accepted_htlcs: 100, max_dust_exposure_msat: 200_000_000n };
        const link = openLink({ anchors, push: 500_000_000n, policyA: policy, policyB: policy });
        const { a, b } = link;
        const labels = new Map<string, string>();
        for (let i = 0; i < 50; i++) {
          for (const [from, tag] of [
            [a, 'a'],
            [b, 'b'],
          ] as const) {
            const label = `${tag}${i}`;
            labels.set(hashLabel(label), label);
            add(link, from, BigInt(100_000 + i * 50_000), label);
          }
          if (i % 7 === 0) {
            link.commit(a);
            link.deliverOne(b);
          }
        }
        link.commit(a);
        link.commit(b);
        link.deliverAll();
        assertConsistent(link);
        expect(a.ch.htlcs.size).toBe(100);
        expect(htlcViews(a.ch).every((h) => h.state === 'SENT_ADD_ACK_REVOCATION' || h.state === 'RCVD_ADD_ACK_REVOCATION')).toBe(true);
        settleAll(link, a, 'fulfill', labels);
        settleAll(link, b, 'fail', labels);
        link.commit(a);
        link.commit(b);
        link.deliverAll();
        assertConsistent(link);
        expect(a.ch.htlcs.size).toBe(0);
        expect(b.ch.htlcs.size).toBe(0);
      });
    });
  }

  it('fills the channel up to max_accepted_htlcs = 483', () => {
    const link = openLink({ funding: 16_000_000n, policyA: { max_accepted_htlcs: 483 }, policyB: { max_accepted_htlcs: 483 } });
    const { a, b } = link;
    const labels = new Map<string, string>();
    for (let i = 0; i < 483; i++) {
      labels.set(hashLabel(`m${i}`), `m${i}`);
      add(link, a, 10_000_000n + BigInt(i), `m${i}`);
    }
    const refused = addHtlc(a.ch, { amount_msat: 10_000_000n, payment_hash: sha256(preimageOf('one-too-many')), cltv_expiry: 800_000, onion_routing_packet: ONION });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toBe('Too many HTLCs');
    link.commit(a);
    link.deliverAll();
    assertConsistent(link);
    expect(b.ch.record.local_htlc_sigs).toHaveLength(483);
    settleAll(link, b, 'fulfill', labels);
    link.commit(b);
    link.deliverAll();
    expect(a.ch.htlcs.size).toBe(0);
    assertConsistent(link);
  }, 120_000);

  it('tells the runtime about an incoming HTLC only once it is irrevocably committed', () => {
    const link = openLink();
    const { a, b } = link;
    add(link, a, 5_000_000n, 'irrev');
    link.commit(a);
    link.deliverOne(b); // update_add_htlc
    link.deliverOne(b); // commitment_signed → B revokes and signs
    expect(b.take('htlc_incoming')).toHaveLength(0);
    link.deliverOne(a); // revoke_and_ack
    link.deliverOne(a); // commitment_signed → A revokes
    expect(b.take('htlc_incoming')).toHaveLength(0);
    link.deliverOne(b); // revoke_and_ack: now in both sides' commitments with the old ones revoked
    expect(b.take('htlc_incoming')).toHaveLength(1);
  });

  it('fails an outgoing payment only when the fail is irrevocably committed, but reports a preimage at once', () => {
    const link = openLink();
    const { a, b } = link;
    const labels = new Map([[hashLabel('p1'), 'p1']]);
    add(link, a, 5_000_000n, 'p1');
    link.commit(a);
    link.deliverAll();
    settleAll(link, b, 'fulfill', labels);
    link.deliverOne(a); // update_fulfill_htlc alone
    expect(a.take('htlc_preimage')).toHaveLength(1);
    expect(a.take('htlc_resolved')).toHaveLength(0);
    link.commit(b);
    link.deliverAll();
    expect(a.take('htlc_resolved')).toHaveLength(1);

    add(link, a, 5_000_000n, 'p2');
    link.commit(a);
    link.deliverAll();
    settleAll(link, b, 'fail', labels);
    link.commit(b);
    link.deliverOne(a); // update_fail_htlc
    link.deliverOne(a); // commitment_signed: A revokes, the fail is in A's commitment only
    expect(a.take('htlc_resolved')).toHaveLength(0);
    link.deliverAll();
    const res = a.take('htlc_resolved');
    expect(res).toHaveLength(1);
    expect(res[0]!.result.kind).toBe('fail');
  });

  for (const anchors of [false, true]) {
    it(`update_fee from the funder (${anchors ? 'anchors' : 'static_remotekey'}), with HTLCs in flight`, () => {
      const link = openLink({ anchors, push: 300_000_000n });
      const { a, b } = link;
      add(link, a, 3_000_000n, 'f1');
      add(link, b, 4_000_000n, 'f2');
      link.run(a, updateFee(a.ch, 5000));
      link.commit(a);
      link.commit(b);
      link.deliverAll();
      assertConsistent(link);
      for (const n of [a, b]) {
        expect(n.ch.record.base_feerate_per_kw).toBe(5000);
        expect(n.ch.record.fee_updates).toEqual([]);
      }
      // The fundee may not send update_fee, and its machine refuses to.
      expect(() => updateFee(b.ch, 3000)).toThrow(/funder/);
      const s = receiveMessage(a.ch, { type: 'update_fee', channel_id: new Uint8Array(32), feerate_per_kw: 3000 });
      expect(s.channel.record.state).toBe('FORCE_CLOSED');
      expect(balances(b.ch).spendable_msat).toBeGreaterThan(0n);
    });
  }

  it('refuses our own update_fee the funder cannot afford', () => {
    const link = openLink({ funding: 100_000n });
    expect(() => updateFee(link.a.ch, 200_000)).toThrow(/cannot afford/);
  });

  it('batches updates under one commitment_signed and answers crossing commitments', () => {
    const link = openLink({ push: 200_000_000n });
    const { a, b } = link;
    add(link, a, 1_000_000n, 'x1');
    add(link, a, 2_000_000n, 'x2');
    add(link, b, 3_000_000n, 'x3');
    link.commit(a);
    link.commit(b); // both commitment_signed cross on the wire
    expect(a.sent.filter((m) => m.type === 'commitment_signed')).toHaveLength(1);
    link.deliverAll();
    assertConsistent(link);
    expect(a.ch.htlcs.size).toBe(3);
    expect(commit(a.ch).send).toEqual([]);
    expect(a.ch.record.local_ctn).toBe(b.ch.record.remote_ctn);
  });
});

describe('HTLC deadlines', () => {
  it('fails the channel when an offered HTLC is past cltv_expiry + 1 block', () => {
    const link = openLink();
    add(link, link.a, 5_000_000n, 'late', 800_000);
    // Not on any commitment yet: nothing to enforce on chain.
    expect(blockHeight(link.a.ch, 900_000).channel.record.state).toBe('NORMAL');
    link.commit(link.a);
    link.deliverAll();
    expect(blockHeight(link.a.ch, 800_000).channel.record.state).toBe('NORMAL');
    const s = blockHeight(link.a.ch, 800_001);
    expect(s.channel.record.state).toBe('FORCE_CLOSED');
    expect(s.events.some((e) => e.type === 'broadcast')).toBe(true);
    expect(s.channel.record.failure).toMatch(/offered HTLC 0 timed out/);
  });

  it('fails the channel when our fulfill is not committed 7 blocks before cltv_expiry', () => {
    const link = openLink();
    add(link, link.a, 5_000_000n, 'ff', 800_000);
    link.commit(link.a);
    link.deliverAll();
    const inc = link.b.take('htlc_incoming')[0]!;
    link.run(link.b, fulfillHtlc(link.b.ch, inc.htlc.id, preimageOf('ff')));
    expect(blockHeight(link.b.ch, 799_992).channel.record.state).toBe('NORMAL');
    expect(blockHeight(link.b.ch, 799_993).channel.record.state).toBe('FORCE_CLOSED');
    // Once the removal is committed, the HTLC is gone and nothing is due.
    link.commit(link.b);
    link.deliverAll();
    expect(blockHeight(link.b.ch, 799_999).channel.record.state).toBe('NORMAL');
  });
});
