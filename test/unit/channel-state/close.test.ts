// Closing: mutual close with and without fee_range (the closing tx carries two valid signatures),
// shutdown waiting for HTLCs, shutdown script rules, and the fully signed unilateral close.
import { describe, expect, it } from 'vitest';
import type { Bytes } from '../../../src/util/bytes.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { sha256, verifyCompact } from '../../../src/crypto/secp256k1.js';
import type { Tx } from '../../../src/channel/bitcoin/tx.js';
import { serializeTx } from '../../../src/channel/bitcoin/tx.js';
import { parseTx } from '../../../src/channel/bitcoin/parse.js';
import { SIGHASH_ALL, segwitV0Sighash } from '../../../src/channel/bitcoin/sighash.js';
import { parseWitnessSignature } from '../../../src/channel/signatures.js';
import { fundingOutput } from '../../../src/channel/funding.js';
import type { Msat, Sat } from '../../../src/types.js';
import { buildClosingTx } from '../../../src/channel/closing.js';
import type { WireMessage } from '../../../src/wire/messages.js';
import { addHtlc, channelSummary, forceClose, fulfillHtlc, receiveMessage, shutdown } from '../../../src/channel/state/index.js';
import { ONION, add, openLink, preimageOf } from './harness.js';
import type { Link, Node } from './harness.js';

/** Checks a funding spend's 2-of-2 witness: both signatures valid for the funding keys. */
function verifyFundingSpend(tx: Tx, amount: bigint, keys: [Bytes, Bytes]): void {
  const w = tx.inputs[0]!.witness;
  expect(w).toHaveLength(4);
  expect(w[0]).toHaveLength(0);
  const script = w[3]!;
  expect(toHex(script)).toBe(toHex(fundingOutput(keys[0], keys[1]).witness_script));
  const k1 = script.subarray(2, 35);
  const k2 = script.subarray(36, 69);
  const sighash = segwitV0Sighash(tx, 0, script, amount as Sat, SIGHASH_ALL);
  for (const [item, key] of [
    [w[1]!, k1],
    [w[2]!, k2],
  ] as const) {
    const { signature, sighashType } = parseWitnessSignature(item);
    expect(sighashType).toBe(SIGHASH_ALL);
    expect(verifyCompact(signature, sighash, key)).toBe(true);
  }
}

function fundingKeys(link: Link): [Bytes, Bytes] {
  return [link.a.ch.signer.basepoints.funding_pubkey, link.b.ch.signer.basepoints.funding_pubkey];
}

function closingTxOf(n: Node): Tx {
  const b = n.take('broadcast');
  expect(b).toHaveLength(1);
  expect(b[0]!.kind).toBe('closing');
  return b[0]!.tx;
}

function types(ms: readonly WireMessage[]): string[] {
  return ms.map((m) => m.type);
}

describe('mutual close', () => {
  for (const initiator of ['a', 'b'] as const) {
    it(`${initiator === 'a' ? 'funder' : 'fundee'} initiates with an HTLC in flight; fee_range settles it`, () => {
      const link = openLink({ push: 200_000_000n });
      const { a, b } = link;
      add(link, a, 30_000_000n, 'cl');
      link.commit(a);
      link.deliverAll();
      const closer = initiator === 'a' ? a : b;
      link.run(closer, shutdown(closer.ch));
      link.deliverAll();
      expect(a.ch.record.state).toBe('SHUTDOWN');
      expect(b.ch.record.state).toBe('SHUTDOWN');
      expect(channelSummary(a.ch).cln_state).toBe('CHANNELD_SHUTTING_DOWN');
      // No new HTLCs either way.
      const refused = addHtlc(a.ch, { amount_msat: 1_000_000n, payment_hash: new Uint8Array(32), cltv_expiry: 800_000, onion_routing_packet: ONION });
      expect(!refused.ok && refused.reason).toBe('Channel is shutting down');
      const inc = b.take('htlc_incoming')[0]!;
      link.run(b, fulfillHtlc(b.ch, inc.htlc.id, preimageOf('cl')));
      link.commit(b);
      link.deliverAll();
      expect(a.ch.record.state).toBe('CLOSING_COMPLETE');
      expect(b.ch.record.state).toBe('CLOSING_COMPLETE');
      expect(channelSummary(b.ch).cln_state).toBe('CLOSINGD_COMPLETE');
      const ta = closingTxOf(a);
      const tb = closingTxOf(b);
      expect(toHex(parseTxBytes(ta))).toBe(toHex(parseTxBytes(tb)));
      verifyFundingSpend(ta, 1_000_000n, fundingKeys(link));
      // With fee_range both sides agree after the funder's first offer and one echo.
      expect(types(a.sent).filter((t) => t === 'closing_signed')).toHaveLength(1);
      expect(types(b.sent).filter((t) => t === 'closing_signed')).toHaveLength(1);
      // Outputs: A's balance minus fee, B's balance plus the HTLC.
      const values = ta.outputs.map((o) => o.value).sort();
      expect(values).toContain(230_000n);
      expect(a.ch.record.closing.closing_tx).not.toBeNull();
    });
  }

  it('negotiates the legacy way (no fee_range) until the fees meet', () => {
    const link = openLink({ push: 200_000_000n, feerate: 253 });
    const { a, b } = link;
    // Disjoint acceptable ranges: neither accepts the other's offers, they close in by halves.
    link.run(a, shutdown(a.ch, { feerate_per_kw: 20_000, fee_range: { min_fee_satoshis: 10_000n, max_fee_satoshis: 30_000n } }));
    link.run(b, shutdown(b.ch, { fee_range: { min_fee_satoshis: 100n, max_fee_satoshis: 200n } }));
    const strip = (q: WireMessage[]): void => {
      for (let i = 0; i < q.length; i++) {
        const m = q[i]!;
        if (m.type === 'closing_signed') q[i] = { ...m, tlvs: {} };
      }
    };
    const fees: bigint[] = [];
    for (let i = 0; i < 200 && (link.toA.length > 0 || link.toB.length > 0); i++) {
      strip(link.toA);
      strip(link.toB);
      const to = link.toA.length > 0 ? a : b;
      const head = link.queueTo(to)[0]!;
      if (head.type === 'closing_signed') fees.push(head.fee_satoshis);
      link.deliverOne(to);
    }
    expect(a.ch.record.state).toBe('CLOSING_COMPLETE');
    expect(b.ch.record.state).toBe('CLOSING_COMPLETE');
    expect(fees.length, fees.join(' ')).toBeGreaterThan(10);
    // Every offer is strictly between the previous two.
    for (let i = 2; i < fees.length - 1; i++) {
      const lo = fees[i - 1]! < fees[i - 2]! ? fees[i - 1]! : fees[i - 2]!;
      const hi = fees[i - 1]! < fees[i - 2]! ? fees[i - 2]! : fees[i - 1]!;
      expect(fees[i]! > lo && fees[i]! < hi, fees.join(' ')).toBe(true);
    }
    const ta = closingTxOf(a);
    expect(toHex(parseTxBytes(ta))).toBe(toHex(parseTxBytes(closingTxOf(b))));
    verifyFundingSpend(ta, 1_000_000n, fundingKeys(link));
  });

  it('the fundee widens its range to the funder’s; the funder warns when a fundee range does not overlap', () => {
    const link = openLink({ push: 200_000_000n });
    const { a, b } = link;
    link.run(a, shutdown(a.ch, { fee_range: { min_fee_satoshis: 100n, max_fee_satoshis: 200n } }));
    link.run(b, shutdown(b.ch, { fee_range: { min_fee_satoshis: 5000n, max_fee_satoshis: 6000n } }));
    link.deliverOne(b);
    link.deliverOne(a); // A sends closing_signed at 200 with 100..200
    link.deliverOne(b); // B, the non-funder, does not pay: it widens its range and agrees
    expect(b.ch.record.state).toBe('CLOSING_COMPLETE');
    const reply = link.toA.shift()!;
    if (reply.type !== 'closing_signed') throw new Error('expected closing_signed');
    expect(reply.fee_satoshis).toBe(200n);
    expect(reply.tlvs.fee_range).toEqual({ min_fee_satoshis: 100n, max_fee_satoshis: 6000n });
    // A non-compliant fundee offer (5500 with 5000..6000, no overlap): the funder warns and disconnects.
    const s = receiveMessage(a.ch, { ...reply, fee_satoshis: 5500n, signature: fundeeClosingSig(b, 5500n), tlvs: { fee_range: { min_fee_satoshis: 5000n, max_fee_satoshis: 6000n } } });
    expect(types(s.send)).toEqual(['warning']);
    expect(s.events.some((e) => e.type === 'disconnect')).toBe(true);
    // The compliant reply closes.
    link.run(a, receiveMessage(a.ch, reply));
    expect(a.ch.record.state).toBe('CLOSING_COMPLETE');
    verifyFundingSpend(closingTxOf(a), 1_000_000n, fundingKeys(link));
  });

  it('restarts the negotiation after a reconnection', () => {
    const link = openLink({ push: 200_000_000n });
    const { a, b } = link;
    link.run(a, shutdown(a.ch));
    link.deliverOne(b); // shutdown
    link.deliverOne(a); // B's shutdown → A sends closing_signed
    expect(types(link.toB)).toEqual(['closing_signed']);
    link.disconnect();
    expect(a.ch.record.closing.last_sent_fee).toBeNull();
    link.reconnect();
    expect(a.ch.record.state).toBe('CLOSING_COMPLETE');
    expect(b.ch.record.state).toBe('CLOSING_COMPLETE');
  });

  it('enforces shutdown script rules', () => {
    const link = openLink();
    const cid = fromHex(link.a.ch.record.channel_id);
    const bad = receiveMessage(link.a.ch, { type: 'shutdown', channel_id: cid, scriptpubkey: Uint8Array.of(0x6a, 1, 2) });
    expect(types(bad.send)).toEqual(['warning']);
    expect(() => shutdown(link.a.ch, { scriptpubkey: Uint8Array.of(1, 2, 3) })).toThrow(/valid shutdown script/);
    // After their shutdown, their update_add_htlc is a protocol error.
    const p2wpkh = Uint8Array.of(0, 20, ...new Array<number>(20).fill(7));
    link.run(link.a, receiveMessage(link.a.ch, { type: 'shutdown', channel_id: cid, scriptpubkey: p2wpkh }));
    const s = receiveMessage(link.a.ch, {
      type: 'update_add_htlc',
      channel_id: cid,
      id: 0n,
      amount_msat: 1_000_000n,
      payment_hash: sha256(new Uint8Array(1)),
      cltv_expiry: 800_000,
      onion_routing_packet: ONION,
      tlvs: {},
    });
    expect(s.channel.record.state).toBe('FORCE_CLOSED');
  });
});

describe('unilateral close', () => {
  for (const anchors of [false, true]) {
    it(`hands over our latest commitment with both signatures (${anchors ? 'anchors' : 'static_remotekey'}, HTLCs in flight)`, () => {
      const link = openLink({ anchors, push: 200_000_000n });
      const { a, b } = link;
      add(link, a, 30_000_000n, 'u1');
      add(link, b, 20_000_000n, 'u2');
      link.commit(a);
      link.commit(b);
      link.deliverAll();
      for (const n of [a, b]) {
        const s = forceClose(n.ch);
        expect(s.channel.record.state).toBe('FORCE_CLOSED');
        expect(channelSummary(s.channel).cln_state).toBe('AWAITING_UNILATERAL');
        const ev = s.events.find((e) => e.type === 'broadcast');
        if (!ev || ev.type !== 'broadcast') throw new Error('no broadcast');
        expect(ev.kind).toBe('commitment');
        verifyFundingSpend(ev.tx, 1_000_000n, fundingKeys(link));
        // Two HTLC outputs, plus to_local/to_remote (and anchors).
        expect(ev.tx.outputs).toHaveLength(anchors ? 6 : 4);
        expect(types(s.send)).toEqual(['error']);
        expect(() => forceClose(s.channel)).toThrow(/cannot force-close/);
      }
    });
  }
});

/** B's (the fundee's) signature on its variant of the closing tx at `fee`. */
function fundeeClosingSig(b: Node, fee: bigint): Uint8Array {
  const r = b.ch.record;
  const tx = buildClosingTx({
    funding: {
      txid: r.funding_txid!,
      output_index: r.funding_output_index,
      amount_sat: r.funding_satoshis as Sat,
      local_funding_pubkey: b.ch.signer.basepoints.funding_pubkey,
      remote_funding_pubkey: r.remote_keys!.funding_pubkey,
    },
    local_is_funder: false,
    to_local_msat: r.base_local_msat as Msat,
    to_remote_msat: r.base_remote_msat as Msat,
    local_scriptpubkey: r.closing.local_script!,
    remote_scriptpubkey: r.closing.remote_script!,
    fee_satoshis: fee as Sat,
    dust_limit_satoshis: r.local_params.dust_limit_satoshis as Sat,
  });
  return b.ch.signer.signClosing(tx);
}

function parseTxBytes(tx: Tx): Uint8Array {
  return serialize(tx);
}

function serialize(tx: Tx): Uint8Array {
  const bytes = serializeTx(tx);
  // Round trip through the strict parser: what the runtime would broadcast must parse back.
  expect(toHex(serializeTx(parseTx(bytes)))).toBe(toHex(bytes));
  return bytes;
}

describe('shutdown with unsigned updates', () => {
  it('signs our pending updates first, then sends shutdown (both when asked and when answering)', () => {
    const link = openLink({ push: 100_000_000n });
    const { a, b } = link;
    add(link, a, 2_000_000n, 'p1');
    add(link, b, 3_000_000n, 'p2');
    link.run(a, shutdown(a.ch));
    expect(types(link.toB)).toEqual(['update_add_htlc', 'commitment_signed', 'shutdown']);
    link.deliverAll();
    // B answered only after signing its own add; both shutdowns are out, HTLCs still in flight.
    const bSent = types(b.sent);
    expect(bSent.indexOf('shutdown')).toBeGreaterThan(bSent.indexOf('commitment_signed'));
    expect(a.ch.record.state).toBe('SHUTDOWN');
    expect(b.ch.record.state).toBe('SHUTDOWN');
    expect(a.ch.htlcs.size).toBe(2);
  });
});

describe('HTLCs crossing our shutdown', () => {
  it('an HTLC the peer added before seeing our shutdown is accepted and flagged to be failed', () => {
    const link = openLink({ push: 100_000_000n });
    const { a, b } = link;
    link.run(a, shutdown(a.ch));
    add(link, b, 3_000_000n, 'cross'); // B has not seen A's shutdown yet
    link.commit(b);
    link.deliverAll();
    const inc = a.take('htlc_incoming');
    expect(inc.map((e) => e.fail_on_commit)).toEqual(['shutting_down']);
    expect(a.ch.record.state).toBe('SHUTDOWN');
  });
});
