// Channel establishment between two machines: both channel types, zero-conf and confirmed opens,
// aliases, and every open_channel / accept_channel parameter check, each answered with `error`.
import { describe, expect, it } from 'vitest';
import { fromUtf8, toHex } from '../../../src/util/bytes.js';
import { txid } from '../../../src/channel/bitcoin/tx.js';
import { channelTypeBits } from '../../../src/wire/features.js';
import type { AcceptChannel, OpenChannel, WireMessage } from '../../../src/wire/messages.js';
import {
  acceptChannel,
  channelSummary,
  fundingDepth,
  openChannel,
  peerDisconnected,
  provideFunding,
  receiveMessage,
} from '../../../src/channel/state/index.js';
import { Link, args, fakeFundingTx, newNode, openLink, roundTrip } from './harness.js';

function errorText(send: readonly WireMessage[]): string | undefined {
  const e = send.find((m) => m.type === 'error');
  return e && e.type === 'error' ? fromUtf8(e.data) : undefined;
}

function startOpen(opts: { anchors?: boolean; push?: bigint; funding?: bigint } = {}) {
  const a = newNode('A');
  const b = newNode('B');
  const step = openChannel({
    ...args(a, b, {}),
    funding_satoshis: opts.funding ?? 1_000_000n,
    push_msat: opts.push ?? 0n,
    feerate_per_kw: 2500,
    channel_type: { anchors: !!opts.anchors },
  });
  const open = roundTrip(step.send[0]!) as OpenChannel;
  return { a, b, step, open };
}

describe('establishment', () => {
  for (const anchors of [false, true]) {
    it(`opens a ${anchors ? 'anchors' : 'static_remotekey'} channel with confirmations`, () => {
      const link = openLink({ anchors, depth: 0 });
      const { a, b } = link;
      expect(a.ch.record.state).toBe('AWAITING_LOCKIN');
      expect(b.ch.record.state).toBe('AWAITING_LOCKIN');
      expect(a.ch.record.channel_type).toBe(anchors ? 'anchors_zero_fee_htlc_tx' : 'static_remotekey');
      expect(a.ch.record.channel_id).toBe(b.ch.record.channel_id);
      expect(a.take('funding_signed')).toHaveLength(1);
      // Not deep enough yet: nothing happens.
      link.run(a, fundingDepth(a.ch, 2));
      expect(a.ch.record.ready_sent).toBe(false);
      link.run(a, fundingDepth(a.ch, 3, 700_000n << 40n));
      link.deliverAll();
      expect(a.ch.record.ready_sent).toBe(true);
      expect(b.ch.record.state).toBe('AWAITING_LOCKIN');
      link.run(b, fundingDepth(b.ch, 3, 700_000n << 40n));
      link.deliverAll();
      for (const n of [a, b]) {
        expect(n.ch.record.state).toBe('NORMAL');
        expect(n.take('channel_ready')).toHaveLength(1);
        expect(channelSummary(n.ch).cln_state).toBe('CHANNELD_NORMAL');
        expect(n.ch.record.short_channel_id).toBe(700_000n << 40n);
      }
      // Aliases were exchanged (the peer offers option_scid_alias).
      expect(a.ch.record.remote_alias).toBe(b.ch.record.local_alias);
      expect(b.ch.record.remote_alias).toBe(a.ch.record.local_alias);
    });
  }

  it('opens zero-conf with a trusted peer (minimum_depth 0, channel_ready right after funding)', () => {
    const link = openLink({ zeroconf: true, scid_alias: true, trusted: true, depth: 0 });
    expect(link.a.ch.record.minimum_depth).toBe(0);
    expect(link.a.ch.record.state).toBe('NORMAL');
    expect(link.b.ch.record.state).toBe('NORMAL');
    expect(link.a.ch.record.zeroconf).toBe(true);
  });

  it('a trusted fundee accepts with minimum_depth 0 even without the zeroconf type', () => {
    const link = openLink({ trusted: true, depth: 0 });
    expect(link.a.ch.record.state).toBe('NORMAL');
  });

  it('splits the funding with push_msat', () => {
    const link = openLink({ push: 123_456_789n });
    expect(link.b.ch.record.base_local_msat).toBe(123_456_789n);
    expect(link.a.ch.record.base_local_msat).toBe(1_000_000_000n - 123_456_789n);
  });

  it('persists nothing before funding_signed and everything after', () => {
    const { a, b, step, open } = startOpen();
    expect(step.persist.channel).toBeNull();
    const acc = acceptChannel(args(b, a, {}), open);
    expect(acc.persist.channel).toBeNull();
    const link = new Link(a, b);
    link.run(a, step);
    link.toB.length = 0;
    link.run(b, acc);
    link.deliverOne(a);
    const need = a.take('funding_needed')[0]!;
    const tx = fakeFundingTx(need.script_pubkey, need.funding_satoshis, 9);
    const fc = provideFunding(a.ch, { txid: txid(tx), output_index: 0 });
    expect(fc.persist.channel).toBeNull();
    expect(fc.events.some((e) => e.type === 'channel_id_assigned')).toBe(true);
    link.run(a, fc);
    link.deliverOne(b);
    expect(b.store.channel?.state).toBe('AWAITING_LOCKIN');
    link.deliverOne(a);
    expect(a.store.channel?.state).toBe('AWAITING_LOCKIN');
  });

  it('abandons an establishment on disconnect', () => {
    const { a, step } = startOpen();
    a.apply(step);
    const s = peerDisconnected(a.ch);
    expect(s.channel.record.state).toBe('ABORTED');
    expect(s.persist.channel).toBeNull();
  });

  describe('fundee rejects open_channel', () => {
    const cases: [string, (m: OpenChannel) => OpenChannel, RegExp][] = [
      ['unknown chain', (m) => ({ ...m, chain_hash: new Uint8Array(32).fill(1) }), /unknown chain_hash/],
      ['push above funding', (m) => ({ ...m, push_msat: m.funding_satoshis * 1000n + 1n }), /push_msat/],
      ['dust below 354', (m) => ({ ...m, dust_limit_satoshis: 353n }), /below 354/],
      ['dust above reserve', (m) => ({ ...m, dust_limit_satoshis: 2000n, channel_reserve_satoshis: 1000n }), /greater than channel_reserve/],
      ['to_self_delay too large', (m) => ({ ...m, to_self_delay: 5000 }), /to_self_delay 5000/],
      ['max_accepted_htlcs over 483', (m) => ({ ...m, max_accepted_htlcs: 484 }), /over 483/],
      ['feerate too low', (m) => ({ ...m, feerate_per_kw: 100 }), /feerate_per_kw 100/],
      ['feerate too high', (m) => ({ ...m, feerate_per_kw: 1_000_000 }), /feerate_per_kw 1000000/],
      ['funder cannot pay the fee', (m) => ({ ...m, push_msat: m.funding_satoshis * 1000n - 1000n }), /cannot pay the initial commitment fee/],
      ['funder cannot keep our reserve after the fee', (m) => ({ ...m, push_msat: m.funding_satoshis * 1000n - 11_000_000n }), /keep the channel reserve/],
      ['too large without wumbo', (m) => ({ ...m, funding_satoshis: 1n << 24n }), /option_support_large_channel/],
      ['funding too small', (m) => ({ ...m, funding_satoshis: 1000n }), /too small/],
      ['invalid basepoint', (m) => ({ ...m, htlc_basepoint: Uint8Array.of(2, ...new Array<number>(32).fill(0xff)) }), /htlc_basepoint is not a valid/],
      ['unknown channel type', (m) => ({ ...m, tlvs: { ...m.tlvs, channel_type: Uint8Array.of(0x20) } }), /unsupported channel_type/],
      ['zeroconf from an untrusted peer', (m) => ({ ...m, tlvs: { ...m.tlvs, channel_type: channelTypeBits({ zeroconf: true, scid_alias: true }) } }), /untrusted/],
      [
        'scid_alias on an announced channel',
        (m) => ({ ...m, channel_flags: 1, tlvs: { ...m.tlvs, channel_type: channelTypeBits({ scid_alias: true }) } }),
        /announce_channel/,
      ],
      ['bad upfront shutdown script', (m) => ({ ...m, tlvs: { ...m.tlvs, upfront_shutdown_script: Uint8Array.of(1, 2, 3) } }), /upfront_shutdown_script/],
      ['tiny in-flight cap', (m) => ({ ...m, max_htlc_value_in_flight_msat: 1000n }), /max_htlc_value_in_flight_msat/],
      ['huge reserve', (m) => ({ ...m, channel_reserve_satoshis: 500_000n }), /channel_reserve_satoshis 500000 is too large/],
      ['max_accepted_htlcs too small', (m) => ({ ...m, max_accepted_htlcs: 1 }), /too small/],
    ];
    for (const [name, mutate, re] of cases) {
      it(name, () => {
        const { a, b, open } = startOpen();
        const s = acceptChannel(args(b, a, {}), mutate(open));
        expect(s.channel.record.state).toBe('ABORTED');
        expect(s.persist.channel).toBeNull();
        const err = s.send.find((m) => m.type === 'error');
        expect(err && err.type === 'error' && toHex(err.channel_id)).toBe(toHex(open.temporary_channel_id));
        expect(errorText(s.send)).toMatch(re);
      });
    }
  });

  it('rejects an open where both initial balances are at or below the reserve (permissive reserve policy)', () => {
    const { a, b, open } = startOpen({ funding: 30_000n, push: 14_000_000n });
    const s = acceptChannel(args(b, a, { policy: { max_reserve_ppm: 600_000 } }), { ...open, channel_reserve_satoshis: 15_000n });
    expect(s.channel.record.state).toBe('ABORTED');
    expect(errorText(s.send)).toMatch(/at or below the channel reserve/);
  });

  describe('funder rejects accept_channel', () => {
    const cases: [string, (m: AcceptChannel) => AcceptChannel, RegExp, bigint?][] = [
      ['minimum_depth too large', (m) => ({ ...m, minimum_depth: 1000 }), /minimum_depth 1000/],
      ['reserve below our dust limit', (m) => ({ ...m, channel_reserve_satoshis: 400n, dust_limit_satoshis: 354n }), /below our dust_limit/],
      ['dust limit above our reserve', (m) => ({ ...m, dust_limit_satoshis: 2000n, channel_reserve_satoshis: 2000n }), /above our channel_reserve/, 100_000n],
      ['channel_type missing', (m) => ({ ...m, tlvs: {} }), /channel_type differs/],
      ['channel_type changed', (m) => ({ ...m, tlvs: { ...m.tlvs, channel_type: channelTypeBits({ anchors: true }) } }), /channel_type differs/],
      ['max_accepted_htlcs over 483', (m) => ({ ...m, max_accepted_htlcs: 500 }), /over 483/],
      ['invalid first point', (m) => ({ ...m, first_per_commitment_point: new Uint8Array(33).fill(3) }), /first_per_commitment_point/],
    ];
    for (const [name, mutate, re, funding] of cases) {
      it(name, () => {
        const { a, b, step, open } = startOpen(funding ? { funding } : {});
        a.apply(step);
        const acc = roundTrip(acceptChannel(args(b, a, {}), open).send[0]!) as AcceptChannel;
        const s = receiveMessage(a.ch, mutate(acc));
        expect(s.channel.record.state).toBe('ABORTED');
        expect(errorText(s.send)).toMatch(re);
        expect(s.events.some((e) => e.type === 'funding_needed')).toBe(false);
      });
    }
  });

  it('fundee refuses a funding_created whose signature is wrong', () => {
    const { a, b, step, open } = startOpen();
    const link = new Link(a, b);
    link.run(a, step);
    link.toB.length = 0;
    link.run(b, acceptChannel(args(b, a, {}), open));
    link.deliverOne(a);
    const need = a.take('funding_needed')[0]!;
    link.run(a, provideFunding(a.ch, { txid: txid(fakeFundingTx(need.script_pubkey, need.funding_satoshis, 2)), output_index: 0 }));
    const fc = link.toB.shift()!;
    if (fc.type !== 'funding_created') throw new Error('expected funding_created');
    const sig = fc.signature.slice();
    sig[10]! ^= 1;
    const s = receiveMessage(b.ch, { ...fc, signature: sig });
    expect(s.channel.record.state).toBe('ABORTED');
    expect(errorText(s.send)).toMatch(/signature/);
    expect(s.persist.channel).toBeNull();
  });

  it('funder refuses a funding_signed whose signature is wrong (and never asks to broadcast)', () => {
    const { a, b, step, open } = startOpen();
    const link = new Link(a, b);
    link.run(a, step);
    link.toB.length = 0;
    link.run(b, acceptChannel(args(b, a, {}), open));
    link.deliverOne(a);
    const need = a.take('funding_needed')[0]!;
    link.run(a, provideFunding(a.ch, { txid: txid(fakeFundingTx(need.script_pubkey, need.funding_satoshis, 3)), output_index: 0 }));
    link.deliverOne(b);
    const fs = link.toA.shift()!;
    if (fs.type !== 'funding_signed') throw new Error('expected funding_signed');
    const s = receiveMessage(a.ch, { ...fs, signature: new Uint8Array(64).fill(1) });
    expect(s.channel.record.state).toBe('ABORTED');
    expect(s.events.some((e) => e.type === 'funding_signed' || e.type === 'broadcast')).toBe(false);
  });

  it('ignores a retransmitted channel_ready and rejects one before funding', () => {
    const link = openLink();
    const { a, b } = link;
    const ready = b.sent.find((m) => m.type === 'channel_ready')!;
    const s = receiveMessage(a.ch, ready);
    expect(s.send).toEqual([]);
    expect(s.channel.record).toEqual(a.ch.record);
    const { a: a2, step } = startOpen();
    a2.apply(step);
    expect(errorText(receiveMessage(a2.ch, ready).send)).toMatch(/channel_ready in state OPEN_SENT/);
  });
});
