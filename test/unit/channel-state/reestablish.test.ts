// Reconnection: a disconnect (optionally with a crash that keeps only what was persisted) at every
// point of a commitment dance with HTLCs both ways, retransmission order, channel_ready at
// commitment 1, and data-loss detection in both directions.
import { describe, expect, it } from 'vitest';
import { fromHex, fromUtf8, toHex } from '../../../src/util/bytes.js';
import type { WireMessage } from '../../../src/wire/messages.js';
import { failHtlc, fulfillHtlc, fundingDepth, peerConnected, receiveMessage, shutdown } from '../../../src/channel/state/index.js';
import { add, assertConsistent, hashLabel, openLink, preimageOf } from './harness.js';
import type { Link, Node } from './harness.js';

type Crash = 'none' | 'a' | 'b' | 'both';

interface Outcome {
  deliveries: number;
  link: Link;
}

/**
 * A adds two HTLCs and B one, both sign; every incoming HTLC is settled as soon as it is
 * irrevocably committed (even ids fulfilled, odd ones failed), until nothing is in flight. At
 * delivery number `cut` the connection drops (queued messages are lost), `crash` nodes restart
 * from their stores, and both reconnect.
 */
function dance(cut: number, crash: Crash, first: 'a' | 'b'): Outcome {
  const link = openLink({ push: 300_000_000n });
  const { a, b } = link;
  const labels = new Map<string, string>();
  const mk = (n: Node, amt: bigint, label: string): void => {
    labels.set(hashLabel(label), label);
    add(link, n, amt, label);
  };
  mk(a, 11_000_000n, 'a0');
  mk(a, 12_000_000n, 'a1');
  mk(b, 13_000_000n, 'b0');
  link.commit(a);
  link.commit(b);
  let deliveries = 0;
  const settle = (n: Node): void => {
    for (const e of n.take('htlc_incoming')) {
      const label = labels.get(toHex(e.htlc.payment_hash))!;
      if (e.htlc.id % 2 === 0) link.run(n, fulfillHtlc(n.ch, e.htlc.id, preimageOf(label)));
      else link.run(n, failHtlc(n.ch, e.htlc.id, new Uint8Array(100).fill(9)));
    }
  };
  const order = first === 'a' ? [a, b] : [b, a];
  for (let guard = 0; guard < 500; guard++) {
    if (deliveries === cut) {
      link.disconnect();
      if (crash === 'a' || crash === 'both') a.crash();
      if (crash === 'b' || crash === 'both') b.crash();
      link.run(a, peerConnected(a.ch));
      link.run(b, peerConnected(b.ch));
      deliveries++;
      continue;
    }
    settle(a);
    settle(b);
    link.commit(a);
    link.commit(b);
    const to = order.find((n) => link.queueTo(n).length > 0);
    if (!to) break;
    link.deliverOne(to);
    deliveries++;
  }
  return { deliveries, link };
}

function checkOutcome(link: Link): void {
  const { a, b } = link;
  for (const n of [a, b]) {
    expect(n.ch.record.state).toBe('NORMAL');
    expect(n.ch.htlcs.size).toBe(0);
    expect(n.ch.connection).toBe('active');
    expect(n.ch.record.failure).toBeNull();
  }
  assertConsistent(link);
  // Each HTLC resolved exactly once on each side.
  const key = (e: { offerer: string; id: number }): string => `${e.offerer}:${e.id}`;
  const ra = a.take('htlc_resolved').map(key).sort();
  const rb = b.take('htlc_resolved').map(key).sort();
  expect(ra).toEqual(['local:0', 'local:1', 'remote:0']);
  expect(rb).toEqual(['local:0', 'remote:0', 'remote:1']);
  // a0 fulfilled (id 0), a1 failed (id 1), b0 fulfilled: A paid 11M, B paid 13M.
  expect(a.ch.record.base_local_msat).toBe(700_000_000n - 11_000_000n + 13_000_000n);
  expect(b.ch.record.base_local_msat).toBe(300_000_000n + 11_000_000n - 13_000_000n);
}

describe('reestablish at every point of the dance', () => {
  const total = dance(-1, 'none', 'a').deliveries;
  it('the uninterrupted dance resolves everything', () => {
    expect(total).toBeGreaterThan(15);
    checkOutcome(dance(-1, 'none', 'a').link);
  });
  for (const crash of ['none', 'a', 'b', 'both'] as Crash[]) {
    for (const first of ['a', 'b'] as const) {
      it(`disconnect${crash === 'none' ? '' : ` + crash of ${crash}`}, ${first.toUpperCase()} delivered first, at each of ${total + 1} points`, () => {
        for (let cut = 0; cut <= total; cut++) {
          try {
            checkOutcome(dance(cut, crash, first).link);
          } catch (e) {
            throw new Error(`cut at delivery ${cut}: ${(e as Error).message}`);
          }
        }
      }, 120_000);
    }
  }
});

describe('retransmission details', () => {
  function drop(link: Link): void {
    link.disconnect();
    link.run(link.a, peerConnected(link.a.ch));
    link.run(link.b, peerConnected(link.b.ch));
  }

  function types(ms: readonly WireMessage[]): string[] {
    return ms.map((m) => m.type);
  }

  it('replays revoke_and_ack, updates and commitment_signed in their original order', () => {
    for (const addFirst of [true, false]) {
      const link = openLink({ push: 100_000_000n });
      const { a, b } = link;
      add(link, b, 1_000_000n, 'o1');
      link.commit(b);
      link.deliverOne(a); // B's add
      if (addFirst) add(link, a, 2_000_000n, 'o2');
      link.deliverOne(a); // B's commitment_signed: A revokes, and signs B's add (and its own, if any)
      if (!addFirst) {
        add(link, a, 2_000_000n, 'o2');
        link.toB.length = 0;
      }
      const original = addFirst ? types(link.toB) : ['revoke_and_ack', 'commitment_signed', 'update_add_htlc'];
      expect(original).toEqual(addFirst ? ['update_add_htlc', 'revoke_and_ack', 'commitment_signed'] : original);
      drop(link);
      link.deliverOne(a); // B's reestablish → A retransmits
      expect(types(link.toB).slice(1)).toEqual(original);
      link.commit(a);
      link.deliverAll();
      assertConsistent(link);
      expect(a.ch.htlcs.size).toBe(2);
    }
  });

  it('commitment_signed then revoke_and_ack, in that order', () => {
    const link = openLink({ push: 100_000_000n });
    const { a, b } = link;
    add(link, a, 2_000_000n, 'c1');
    add(link, b, 1_000_000n, 'c2');
    link.commit(a);
    link.commit(b);
    link.deliverOne(a); // B's add
    link.deliverOne(a); // B's commitment_signed, crossing ours: A revokes
    expect(types(link.toB)).toEqual(['update_add_htlc', 'commitment_signed', 'revoke_and_ack']);
    link.toB.length = 0;
    drop(link);
    link.deliverOne(a);
    expect(types(link.toB).slice(1)).toEqual(['update_add_htlc', 'commitment_signed', 'revoke_and_ack']);
    link.deliverAll();
    assertConsistent(link);
  });

  it('re-proposes our uncommitted updates with the same ids and reverses the peer’s', () => {
    const link = openLink({ push: 100_000_000n });
    const { a, b } = link;
    add(link, a, 2_000_000n, 'r1');
    add(link, b, 3_000_000n, 'r2');
    link.deliverAll();
    expect(b.ch.htlcs.size).toBe(2);
    link.disconnect();
    // Each side dropped the other's uncommitted add and kept its own.
    expect([...a.ch.htlcs.keys()]).toEqual(['local:0']);
    expect([...b.ch.htlcs.keys()]).toEqual(['local:0']);
    expect(b.ch.record.next_remote_htlc_id).toBe(0);
    link.reconnect();
    expect(a.ch.htlcs.size).toBe(2);
    link.commit(a);
    link.deliverAll();
    assertConsistent(link);
    expect(a.ch.htlcs.get('local:0')?.amount_msat).toBe(2_000_000n);
  });

  it('re-sends channel_ready when both are at commitment 1', () => {
    const link = openLink({ depth: 0 });
    const { a, b } = link;
    link.run(a, fundingDepth(a.ch, 3));
    link.run(b, fundingDepth(b.ch, 3));
    expect(types(link.toA)).toEqual(['channel_ready']);
    link.disconnect();
    link.reconnect();
    expect(a.ch.record.state).toBe('NORMAL');
    expect(b.ch.record.state).toBe('NORMAL');
    expect(b.sent.filter((m) => m.type === 'channel_ready')).toHaveLength(2);
  });

  it('retransmits shutdown', () => {
    const link = openLink();
    add(link, link.a, 2_000_000n, 'sd');
    link.commit(link.a);
    link.deliverAll();
    link.run(link.b, shutdown(link.b.ch));
    expect(types(link.toA)).toContain('shutdown');
    link.disconnect();
    link.reconnect();
    expect(link.a.ch.record.closing.shutdown_received).toBe(true);
    expect(link.a.ch.record.state).toBe('SHUTDOWN');
  });
});

describe('data loss protection', () => {
  it('a node restored from an old backup learns it is behind and never broadcasts; the peer closes', () => {
    const link = openLink({ push: 100_000_000n });
    const { a, b } = link;
    const backup = { channel: a.store.channel, htlcs: [...a.store.htlcs.values()] };
    const labels = new Map([[hashLabel('dl'), 'dl']]);
    add(link, a, 5_000_000n, 'dl');
    link.commit(a);
    link.deliverAll();
    link.disconnect();
    a.restoreBackup(backup);
    expect(labels.size).toBe(1);
    link.run(a, peerConnected(a.ch));
    link.run(b, peerConnected(b.ch));
    link.deliverOne(b); // A's (old) reestablish: B sees A behind → B fails the channel and broadcasts
    expect(b.ch.record.state).toBe('FORCE_CLOSED');
    expect(b.events.some((e) => e.type === 'broadcast')).toBe(true);
    link.deliverOne(a); // B's reestablish proves A lost data
    expect(a.ch.record.state).toBe('DATA_LOSS');
    expect(a.events.some((e) => e.type === 'broadcast')).toBe(false);
    const failed = a.take('channel_failed')[0]!;
    expect(failed.data_loss).toBe(true);
    expect(failed.reason).toMatch(/we lost data/);
  });

  it('a wrong your_last_per_commitment_secret, or a commitment we never signed, stops the channel without broadcast', () => {
    const link = openLink({ push: 100_000_000n });
    add(link, link.a, 5_000_000n, 'w1');
    link.commit(link.a);
    link.deliverAll();
    link.disconnect();
    link.run(link.a, peerConnected(link.a.ch));
    link.run(link.b, peerConnected(link.b.ch));
    const theirs = link.toA.shift()!;
    if (theirs.type !== 'channel_reestablish') throw new Error('expected channel_reestablish');
    const wrong = theirs.your_last_per_commitment_secret.slice();
    wrong[0]! ^= 1;
    for (const m of [
      { ...theirs, your_last_per_commitment_secret: wrong },
      { ...theirs, next_commitment_number: theirs.next_commitment_number + 5n },
      { ...theirs, next_revocation_number: theirs.next_revocation_number + 1n },
    ]) {
      const s = receiveMessage(link.a.ch, m);
      expect(s.channel.record.state).toBe('DATA_LOSS');
      expect(s.events.some((e) => e.type === 'broadcast')).toBe(false);
      const err = s.send.find((x) => x.type === 'error');
      expect(err && err.type === 'error' && toHex(err.channel_id)).toBe(link.a.ch.record.channel_id);
      expect(err && err.type === 'error' && fromUtf8(err.data).length).toBeGreaterThan(0);
    }
    expect(fromHex(link.a.ch.record.channel_id)).toHaveLength(32);
  });
});
