// Views for the runtime's RPCs: Core Lightning state names, HTLC states through the dance, the
// channel summary and the incoming HTLCs to settle after a restart.
import { describe, expect, it } from 'vitest';
import { CLN_STATE, channelSummary, fundingWatch, htlcViews, pendingIncoming } from '../../../src/channel/state/index.js';
import { toHex } from '../../../src/util/bytes.js';
import { add, hashLabel, openLink } from './harness.js';

describe('views', () => {
  it('maps every state to a Core Lightning state name', () => {
    expect(CLN_STATE).toMatchObject({
      AWAITING_LOCKIN: 'CHANNELD_AWAITING_LOCKIN',
      NORMAL: 'CHANNELD_NORMAL',
      SHUTDOWN: 'CHANNELD_SHUTTING_DOWN',
      NEGOTIATING: 'CLOSINGD_SIGEXCHANGE',
      CLOSING_COMPLETE: 'CLOSINGD_COMPLETE',
      FORCE_CLOSED: 'AWAITING_UNILATERAL',
      ONCHAIN: 'ONCHAIN',
      OPEN_SENT: 'OPENINGD',
    });
  });

  it('follows an HTLC through the commitment dance with CLN htlc_state names', () => {
    const link = openLink();
    const { a, b } = link;
    add(link, a, 5_000_000n, 'v');
    const states = (): [string, string] => [htlcViews(a.ch)[0]?.state ?? '-', htlcViews(b.ch)[0]?.state ?? '-'];
    expect(states()).toEqual(['SENT_ADD_HTLC', '-']);
    link.deliverOne(b);
    expect(states()).toEqual(['SENT_ADD_HTLC', 'RCVD_ADD_HTLC']);
    link.commit(a);
    expect(states()[0]).toBe('SENT_ADD_COMMIT');
    link.deliverOne(b); // commitment_signed: B revokes and signs
    expect(states()[1]).toBe('SENT_ADD_ACK_COMMIT');
    link.deliverOne(a); // revoke_and_ack
    expect(states()[0]).toBe('RCVD_ADD_REVOCATION');
    link.deliverOne(a); // commitment_signed: A revokes
    expect(states()[0]).toBe('SENT_ADD_ACK_REVOCATION');
    link.deliverOne(b);
    expect(states()).toEqual(['SENT_ADD_ACK_REVOCATION', 'RCVD_ADD_ACK_REVOCATION']);
    const v = htlcViews(a.ch)[0]!;
    expect(v).toMatchObject({ direction: 'out', id: 0, amount_msat: 5_000_000n, payment_hash: hashLabel('v'), expiry: 800_000 });
    expect(htlcViews(b.ch)[0]!.direction).toBe('in');
    expect(pendingIncoming(b.ch).map((h) => h.id)).toEqual([0]);
    expect(pendingIncoming(a.ch)).toEqual([]);
  });

  it('summarizes a channel', () => {
    const link = openLink({ push: 100_000_000n });
    const s = channelSummary(link.b.ch);
    expect(s).toMatchObject({
      channel_id: link.b.ch.record.channel_id,
      peer_id: link.a.nodeId,
      state: 'NORMAL',
      cln_state: 'CHANNELD_NORMAL',
      funder: false,
      channel_type: 'static_remotekey',
      feerate_per_kw: 2500,
      connected: true,
      htlcs: [],
      failure: null,
    });
    expect(s.balances.to_us_msat).toBe(100_000_000n);
    expect(s.balances.total_msat).toBe(1_000_000_000n);
    expect(s.balances.our_reserve_msat).toBe(10_000_000n);
    expect(s.balances.spendable_msat).toBe(90_000_000n);
    // Both ends watch the same funding output.
    const wa = fundingWatch(link.a.ch)!;
    const wb = fundingWatch(link.b.ch)!;
    expect(toHex(wa.script_pubkey)).toBe(toHex(wb.script_pubkey));
    expect(toHex(wa.txid)).toBe(toHex(wb.txid));
    expect(wa.amount_sat).toBe(1_000_000n);
    expect(wa.script_pubkey).toHaveLength(34);
  });
});
