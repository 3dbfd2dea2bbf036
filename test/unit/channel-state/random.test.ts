// Randomized runs: adds, settlements, fee updates, commitments, deliveries, disconnects and
// crash-restores interleaved at random. Invariants: no channel ever fails (every commitment and
// HTLC signature verified), both sides agree on the commitments, capacity is conserved, and every
// HTLC resolves exactly once with the balance change its outcome implies.
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import {
  ChannelStateError,
  addHtlc,
  failHtlc,
  failMalformedHtlc,
  fulfillHtlc,
  peerConnected,
  pendingIncoming,
  updateFee,
} from '../../../src/channel/state/index.js';
import type { IncomingHtlc } from '../../../src/channel/state/index.js';
import { ONION, assertConsistent, openLink, preimageOf } from './harness.js';
import type { Node } from './harness.js';
import { toHex } from '../../../src/util/bytes.js';

function prng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

function run(seed: number, anchors: boolean, steps: number): void {
  const rand = prng(seed);
  const link = openLink({ anchors, push: 400_000_000n, policyA: { max_accepted_htlcs: 40 }, policyB: { max_accepted_htlcs: 40 } });
  const { a, b } = link;
  const start = { a: a.ch.record.base_local_msat, b: b.ch.record.base_local_msat };
  const pending = new Map<Node, IncomingHtlc[]>([
    [a, []],
    [b, []],
  ]);
  const preimages = new Map<string, Uint8Array>();
  const added = new Map<Node, Set<number>>([
    [a, new Set()],
    [b, new Set()],
  ]);
  let counter = 0;

  const collect = (n: Node): void => {
    for (const e of n.take('htlc_incoming')) pending.get(n)!.push(e.htlc);
  };
  const settleOne = (n: Node, k: number): void => {
    const list = pending.get(n)!;
    const h = list.splice(k, 1)[0]!;
    const how = rand(3);
    if (how === 0) link.run(n, fulfillHtlc(n.ch, h.id, preimages.get(toHex(h.payment_hash))!));
    else if (how === 1) link.run(n, failHtlc(n.ch, h.id, new Uint8Array(64).fill(how)));
    else link.run(n, failMalformedHtlc(n.ch, h.id, sha256(h.onion_routing_packet), 0xc006));
  };

  let last = '';
  for (let i = 0; i < steps; i++) {
    for (const x of [a, b]) {
      if (x.ch.record.state !== 'NORMAL') throw new Error(`after ${last}: ${x.name} is ${x.ch.record.state}: ${x.ch.record.failure}`);
    }
    collect(a);
    collect(b);
    const n = rand(2) === 0 ? a : b;
    const action = rand(100);
    last = `step ${i} action ${action} on ${n.name}`;
    if (action < 25) {
      const label = `s${seed}-${counter++}`;
      const pre = preimageOf(label);
      preimages.set(toHex(sha256(pre)), pre);
      const amount = BigInt(1 + rand(40_000)) * 1000n;
      const r = addHtlc(n.ch, { amount_msat: amount, payment_hash: sha256(pre), cltv_expiry: 700_000 + rand(1000), onion_routing_packet: ONION });
      if (r.ok) {
        link.run(n, r.step);
        added.get(n)!.add(r.id);
      }
    } else if (action < 40) {
      if (pending.get(n)!.length > 0) settleOne(n, rand(pending.get(n)!.length));
    } else if (action < 55) {
      link.commit(n);
    } else if (action < 90) {
      link.deliverOne(n);
    } else if (action < 93) {
      if (n === a && a.ch.connection === 'active') {
        try {
          link.run(a, updateFee(a.ch, 253 + rand(6000)));
        } catch (e) {
          if (!(e instanceof ChannelStateError)) throw e;
        }
      }
    } else if (action < 98) {
      link.disconnect();
      const crash = rand(4);
      if (crash & 1) a.crash();
      if (crash & 2) b.crash();
      // A restarted runtime re-reads what it still has to settle.
      if (crash & 1) pending.set(a, pendingIncoming(a.ch).filter((h) => !a.ch.htlcs.get(`remote:${h.id}`)?.removal));
      if (crash & 2) pending.set(b, pendingIncoming(b.ch));
      link.run(a, peerConnected(a.ch));
      link.run(b, peerConnected(b.ch));
    } else {
      assertConsistent(link);
    }
    for (const x of [a, b]) {
      if (x.ch.record.state !== 'NORMAL') throw new Error(`step ${i}: ${x.name} is ${x.ch.record.state}: ${x.ch.record.failure}`);
    }
  }
  // Drain: settle everything and finish every dance.
  for (let i = 0; i < 200; i++) {
    for (const x of [a, b]) {
      if (x.ch.record.state !== 'NORMAL') throw new Error(`drain ${i} after ${last}: ${x.name} is ${x.ch.record.state}: ${x.ch.record.failure}`);
    }
    collect(a);
    collect(b);
    for (const n of [a, b]) while (pending.get(n)!.length > 0) settleOne(n, 0);
    link.commit(a);
    link.commit(b);
    link.deliverAll();
    if (a.ch.htlcs.size === 0 && b.ch.htlcs.size === 0 && link.toA.length === 0 && link.toB.length === 0) break;
  }
  expect(a.ch.htlcs.size, `${a.ch.connection} ${b.ch.connection} ${JSON.stringify([...a.ch.htlcs.values()].slice(0, 2).map((h) => [h.offerer, h.id, h.added, h.removal?.at]))} lc ${a.ch.record.local_ctn} rc ${a.ch.record.remote_ctn} aw ${a.ch.record.awaiting_revoke}`).toBe(0);
  expect(b.ch.htlcs.size).toBe(0);
  assertConsistent(link);
  for (const n of [a, b]) {
    n.assertFullyRestorable();
    const resolved = n.take('htlc_resolved');
    const mine = resolved.filter((e) => e.offerer === 'local').map((e) => e.id);
    expect(new Set(mine).size).toBe(mine.length);
    expect(new Set(mine)).toEqual(added.get(n));
    let delta = 0n;
    for (const e of resolved) if (e.result.kind === 'fulfill') delta += e.offerer === 'local' ? -e.amount_msat : e.amount_msat;
    expect(n.ch.record.base_local_msat).toBe((n === a ? start.a : start.b) + delta);
  }
  expect(a.ch.record.base_local_msat + b.ch.record.base_local_msat).toBe(1_000_000_000n);
}

describe('randomized interleavings', () => {
  for (const seed of Array.from({ length: Number(process.env.LW_RANDOM_SEEDS ?? 6) }, (_, i) => i + 1)) {
    it(`seed ${seed} (${seed % 2 ? 'anchors' : 'static_remotekey'})`, () => run(seed * 7919, seed % 2 === 1, 600), 120_000);
  }
});
