import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import { addHtlc, fulfillHtlc } from '../../../src/channel/state/index.js';
import { ONION, assertConsistent, openLink, preimageOf } from './harness.js';

describe('smoke', () => {
  it('opens and pays', () => {
    const link = openLink();
    const { a, b } = link;
    expect(a.ch.record.state).toBe('NORMAL');
    expect(b.ch.record.state).toBe('NORMAL');
    const pre = preimageOf('x');
    const res = addHtlc(a.ch, { amount_msat: 10_000_000n, payment_hash: sha256(pre), cltv_expiry: 800_000, onion_routing_packet: ONION });
    if (!res.ok) throw new Error(res.reason);
    link.run(a, res.step);
    link.commit(a);
    link.deliverAll();
    const inc = b.take('htlc_incoming');
    expect(inc).toHaveLength(1);
    link.run(b, fulfillHtlc(b.ch, inc[0]!.htlc.id, pre));
    link.commit(b);
    link.deliverAll();
    expect(a.take('htlc_preimage')).toHaveLength(1);
    expect(a.take('htlc_resolved')).toHaveLength(1);
    expect(a.ch.htlcs.size).toBe(0);
    expect(b.ch.htlcs.size).toBe(0);
    expect(b.ch.record.base_local_msat).toBe(10_000_000n);
    assertConsistent(link);
  });
});
