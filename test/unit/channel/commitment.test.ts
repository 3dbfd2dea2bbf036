// Commitment-building rules beyond the spec vectors: the non-funder's view, trimming boundaries,
// anchor presence, output order of identical HTLCs, the obscured commitment number, and the
// typed errors an inconsistent commitment spec produces.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/util/bytes.js';
import { msat, sat } from '../../../src/types.js';
import {
  ChannelError,
  MAX_COMMITMENT_NUMBER,
  buildCommitmentTx,
  buildHtlcTxs,
  commitmentAmounts,
  commitmentLocktimeSequence,
  commitmentNumberFromTx,
  htlcSuccessFee,
  htlcTimeoutFee,
  isHtlcTrimmed,
  signCommitmentTx,
  signedCommitmentTx,
  signedHtlcTx,
  signHtlcTx,
  verifyHolderCommitmentSignatures,
  signCounterpartyCommitment,
  fundingSpendWitness,
  verifyCommitmentSig,
  verifyHtlcSig,
} from '../../../src/channel/index.js';
import type { CommitmentHtlc, CommitmentSpec } from '../../../src/channel/index.js';
import { channelSetup, specFor } from './bolt3-fixture.js';

const setup = channelSetup();
const hash = (b: number) => new Uint8Array(32).fill(b);

function htlc(id: number, direction: 'offered' | 'received', amountMsat: number, cltv = 500, payHash = hash(id)): CommitmentHtlc {
  return { id: BigInt(id), direction, amount_msat: msat(amountMsat), payment_hash: payHash, cltv_expiry: cltv };
}

/** A spec whose balances absorb whatever the HTLCs do not use. */
function spec(over: Partial<CommitmentSpec>, toRemoteMsat = 3_000_000_000): CommitmentSpec {
  const htlcs = [...(over.htlcs ?? [])];
  const used = htlcs.reduce((s, h) => s + h.amount_msat, 0n);
  const base = specFor(over.channel_type ?? 'static_remotekey', {
    toLocalMsat: Number(10_000_000_000n - BigInt(toRemoteMsat) - used),
    toRemoteMsat,
    feerate: 253,
    dustLimit: 546,
    htlcs,
  });
  return { ...base, ...over, htlcs };
}

describe('commitment fees and balances', () => {
  it('takes fee and anchors from the funder only, also when the holder is not the funder', () => {
    const asFunder = commitmentAmounts(spec({ channel_type: 'anchors_zero_fee_htlc_tx' }));
    expect(asFunder.to_local_sat).toBe(7_000_000n - asFunder.base_fee_sat - 660n);
    expect(asFunder.to_remote_sat).toBe(3_000_000n);
    const notFunder = commitmentAmounts(spec({ channel_type: 'anchors_zero_fee_htlc_tx', local_is_funder: false }));
    expect(notFunder.to_local_sat).toBe(7_000_000n);
    expect(notFunder.to_remote_sat).toBe(3_000_000n - notFunder.base_fee_sat - 660n);
    const c = buildCommitmentTx(spec({ local_is_funder: false }));
    expect(c.outputs.find((o) => o.kind === 'to_remote')!.amount_sat).toBe(3_000_000n - c.base_fee_sat);
    expect(c.fee_sat).toBe(c.base_fee_sat);
  });

  it('rounds msat balances down and counts the rest as fee', () => {
    const c = buildCommitmentTx(spec({ feerate_per_kw: 0 }, 2_999_999_999));
    expect(c.outputs.find((o) => o.kind === 'to_remote')!.amount_sat).toBe(2_999_999n);
    // 999 msat of to_remote and 1 msat of to_local are lost to rounding: one whole satoshi of fee.
    expect(c.outputs.find((o) => o.kind === 'to_local')!.amount_sat).toBe(7_000_000n);
    expect(c.fee_sat).toBe(1n);
    expect(buildCommitmentTx(spec({ feerate_per_kw: 0, local_is_funder: false }, 2_999_999_999)).fee_sat).toBe(1n);
  });

  it('trims an HTLC exactly when amount minus its second-stage fee is below the dust limit', () => {
    const feerate = 5000;
    const dust = sat(546);
    const timeoutFee = htlcTimeoutFee('static_remotekey', feerate);
    const successFee = htlcSuccessFee('static_remotekey', feerate);
    expect(timeoutFee).toBe(3315n);
    expect(successFee).toBe(3515n);
    const at = (s: bigint) => msat(s * 1000n);
    expect(isHtlcTrimmed('static_remotekey', 'offered', at(546n + 3315n), feerate, dust)).toBe(false);
    expect(isHtlcTrimmed('static_remotekey', 'offered', msat((546n + 3315n) * 1000n - 1n), feerate, dust)).toBe(true);
    expect(isHtlcTrimmed('static_remotekey', 'received', at(546n + 3315n), feerate, dust)).toBe(true);
    expect(isHtlcTrimmed('static_remotekey', 'received', at(546n + 3515n), feerate, dust)).toBe(false);
    // Anchors: HTLC txs pay no fee, so only the dust limit counts.
    expect(isHtlcTrimmed('anchors_zero_fee_htlc_tx', 'received', at(546n), feerate, dust)).toBe(false);
    expect(isHtlcTrimmed('anchors_zero_fee_htlc_tx', 'received', at(545n), feerate, dust)).toBe(true);
  });

  it('never creates zero-value outputs, even with a dust limit of 0', () => {
    const c = buildCommitmentTx(spec({ dust_limit_satoshis: sat(0), feerate_per_kw: 0, htlcs: [htlc(1, 'offered', 999)] }, 0));
    expect(c.outputs.map((o) => o.kind)).toEqual(['to_local']);
    expect(c.trimmed_htlcs).toHaveLength(1);
  });

  it('adds 172 weight per untrimmed HTLC only', () => {
    const htlcs = [htlc(1, 'offered', 5_000_000), htlc(2, 'offered', 1_000_000), htlc(3, 'received', 7_000_000), htlc(4, 'received', 800_000)];
    const c = buildCommitmentTx(spec({ htlcs, feerate_per_kw: 5000 }));
    // The spec's fee example: two of the four HTLCs survive, weight 724 + 2*172 = 1068.
    expect(c.htlc_outputs.map((r) => r.htlc.id)).toEqual(expect.arrayContaining([1n, 3n]));
    expect(c.trimmed_htlcs.map((h) => h.id).sort()).toEqual([2n, 4n]);
    expect(c.base_fee_sat).toBe(5340n);
  });
});

describe('anchor outputs', () => {
  it('gives each side an anchor only with an output of its own or untrimmed HTLCs', () => {
    const kinds = (s: CommitmentSpec) => buildCommitmentTx(s).outputs.map((o) => o.kind).sort();
    const anchors = 'anchors_zero_fee_htlc_tx' as const;
    expect(kinds(spec({ channel_type: anchors }, 0))).toEqual(['to_local', 'to_local_anchor']);
    expect(kinds(spec({ channel_type: anchors }, 100_000))).toEqual(['to_local', 'to_local_anchor']); // 100 sat is dust
    expect(kinds(spec({ channel_type: anchors, htlcs: [htlc(1, 'offered', 10_000_000)] }, 0))).toEqual([
      'offered_htlc',
      'to_local',
      'to_local_anchor',
      'to_remote_anchor',
    ]);
    // A trimmed HTLC does not earn the remote an anchor.
    expect(kinds(spec({ channel_type: anchors, htlcs: [htlc(1, 'offered', 500_000)] }, 0))).toEqual(['to_local', 'to_local_anchor']);
    expect(kinds(spec({ channel_type: 'static_remotekey' }))).toEqual(['to_local', 'to_remote']);
  });

  it('uses P2WSH with a 1-block CSV for to_remote on anchor channels', () => {
    const c = buildCommitmentTx(spec({ channel_type: 'anchors_zero_fee_htlc_tx' }));
    const toRemote = c.outputs.find((o) => o.kind === 'to_remote')!;
    expect(toHex(toRemote.witness_script!)).toBe(`21${toHex(setup.keys.remote_payment_pubkey)}ad51b2`);
    expect(toRemote.script_pubkey.length).toBe(34);
    const staticRemote = buildCommitmentTx(spec({})).outputs.find((o) => o.kind === 'to_remote')!;
    expect(staticRemote.witness_script).toBeUndefined();
    expect(staticRemote.script_pubkey.length).toBe(22);
  });
});

describe('output order and the HTLC → output mapping', () => {
  it('orders identical HTLC outputs by cltv_expiry, then by id', () => {
    const same = hash(9);
    const htlcs = [htlc(7, 'offered', 5_000_000, 510, same), htlc(3, 'offered', 5_000_000, 505, same), htlc(5, 'offered', 5_000_000, 505, same)];
    for (const order of [htlcs, [...htlcs].reverse()]) {
      const c = buildCommitmentTx(spec({ htlcs: order }));
      expect(c.htlc_outputs.map((r) => r.htlc.id)).toEqual([3n, 5n, 7n]);
      const txs = buildHtlcTxs(c);
      expect(txs.map((t) => t.tx.locktime)).toEqual([505, 505, 510]);
      expect(txs.map((t) => t.commitment_output_index)).toEqual(c.htlc_outputs.map((r) => r.output_index));
    }
  });

  it('maps every untrimmed HTLC to the output holding it', () => {
    const htlcs = [htlc(0, 'received', 9_000_000), htlc(1, 'offered', 2_000_000), htlc(2, 'received', 2_000_000), htlc(0, 'offered', 4_000_000)];
    const c = buildCommitmentTx(spec({ htlcs }));
    expect(c.htlc_outputs).toHaveLength(4);
    for (const ref of c.htlc_outputs) {
      expect(c.outputs[ref.output_index]!.htlc).toBe(ref.htlc);
      expect(c.tx.outputs[ref.output_index]!.value).toBe(ref.htlc.amount_msat / 1000n);
    }
    // Offered and received HTLCs may share an id: they are distinct entries.
    expect(c.htlc_outputs.filter((r) => r.htlc.id === 0n).map((r) => r.htlc.direction).sort()).toEqual(['offered', 'received']);
  });
});

describe('obscured commitment number', () => {
  it('round-trips through locktime and sequence for any 48-bit number', () => {
    const factor = setup.obscuring;
    for (const n of [0n, 1n, 42n, 0xffffffn, 0x1000000n, MAX_COMMITMENT_NUMBER]) {
      const { locktime, sequence } = commitmentLocktimeSequence(n, factor);
      expect(locktime >>> 24).toBe(0x20);
      expect(sequence >>> 24).toBe(0x80);
      const c = buildCommitmentTx(spec({ commitment_number: n }));
      expect(c.tx.locktime).toBe(locktime);
      expect(commitmentNumberFromTx(c.tx, factor)).toBe(n);
    }
    expect(commitmentNumberFromTx({ ...buildCommitmentTx(spec({})).tx, locktime: 0 }, factor)).toBeUndefined();
  });
});

describe('spec validation', () => {
  const bad: [string, Partial<CommitmentSpec>][] = [
    ['balances that do not add up', { to_local_msat: msat(1) }],
    ['a commitment number beyond 48 bits', { commitment_number: MAX_COMMITMENT_NUMBER + 1n }],
    ['an obscuring factor beyond 48 bits', { obscuring_factor: 1n << 48n }],
    ['a feerate beyond u32', { feerate_per_kw: 2 ** 32 }],
    ['a fractional feerate', { feerate_per_kw: 1.5 }],
    ['an unknown channel type', { channel_type: 'legacy' as CommitmentSpec['channel_type'] }],
    ['a to_self_delay beyond u16', { to_self_delay: 70_000 }],
    ['a bad funding output index', { funding: { ...setup.funding, output_index: 70_000 } }],
    ['a short funding txid', { funding: { ...setup.funding, txid: new Uint8Array(31) } }],
    ['a short key', { keys: { ...setup.keys, local_delayed_pubkey: new Uint8Array(32) } }],
  ];
  for (const [name, over] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => buildCommitmentTx(spec(over))).toThrow(ChannelError);
    });
  }

  it('rejects HTLCs with a bad hash, amount or expiry', () => {
    const withHtlc = (h: CommitmentHtlc) => () => buildCommitmentTx(spec({ htlcs: [h] }));
    expect(withHtlc({ ...htlc(1, 'offered', 5_000_000), payment_hash: new Uint8Array(31) })).toThrow(ChannelError);
    expect(withHtlc({ ...htlc(1, 'offered', 5_000_000), amount_msat: msat(0) })).toThrow(ChannelError);
    expect(withHtlc({ ...htlc(1, 'received', 5_000_000), cltv_expiry: -1 })).toThrow(ChannelError);
  });
});

describe('signing helpers', () => {
  const c = buildCommitmentTx(spec({ htlcs: [htlc(1, 'offered', 5_000_000), htlc(2, 'received', 6_000_000)] }));
  const htlcTxs = buildHtlcTxs(c);

  it('puts each funding signature in its key-order slot, empty when missing', () => {
    const localSig = signCommitmentTx(c, setup.localFundingPrivkey);
    const onlyLocal = signedCommitmentTx(c, { local: localSig }).inputs[0]!.witness;
    // 023da0… (local) sorts before 030e9f… (remote).
    expect(onlyLocal[0]!.length).toBe(0);
    expect(onlyLocal[1]!.length).toBeGreaterThan(70);
    expect(onlyLocal[2]!.length).toBe(0);
    const swapped = fundingSpendWitness(c.funding_witness_script, setup.funding.remote_funding_pubkey, setup.funding.local_funding_pubkey, { remote: localSig });
    expect(toHex(swapped[1]!)).toBe(toHex(onlyLocal[1]!));
  });

  it('reports signatures of the wrong length as invalid rather than throwing', () => {
    expect(verifyCommitmentSig(c, new Uint8Array(63), setup.funding.remote_funding_pubkey)).toBe(false);
    expect(verifyHtlcSig(htlcTxs[0]!, new Uint8Array(65), setup.keys.remote_htlc_pubkey, 'remote')).toBe(false);
  });

  it('requires the preimage for HTLC-success and refuses one for HTLC-timeout', () => {
    const success = htlcTxs.find((h) => h.kind === 'htlc-success')!;
    const timeout = htlcTxs.find((h) => h.kind === 'htlc-timeout')!;
    const sigs = (h: typeof success) => ({ local: signHtlcTx(h, setup.localHtlcPrivkey, 'local'), remote: signHtlcTx(h, setup.remoteHtlcPrivkey, 'remote') });
    expect(() => signedHtlcTx(success, sigs(success))).toThrow(ChannelError);
    expect(() => signedHtlcTx(timeout, sigs(timeout), hash(1))).toThrow(ChannelError);
    expect(signedHtlcTx(timeout, sigs(timeout)).inputs[0]!.witness[3]!.length).toBe(0);
    expect(timeout.tx.locktime).toBe(500);
    expect(success.tx.locktime).toBe(0);
  });

  it('rejects commitment_signed with a wrong signature count, a bad signature, or foreign HTLC txs', () => {
    const sigs = signCounterpartyCommitment(c, htlcTxs, setup.remoteFundingPrivkey, setup.remoteHtlcPrivkey);
    expect(() => verifyHolderCommitmentSignatures(c, htlcTxs, { ...sigs, htlc_signatures: sigs.htlc_signatures.slice(1) })).toThrow(ChannelError);
    const wrongKey = signCounterpartyCommitment(c, htlcTxs, setup.localFundingPrivkey, setup.remoteHtlcPrivkey);
    expect(() => verifyHolderCommitmentSignatures(c, htlcTxs, wrongKey)).toThrow(ChannelError);
    const other = buildCommitmentTx(spec({ htlcs: [htlc(1, 'offered', 5_000_000), htlc(2, 'received', 6_000_000)], commitment_number: 43n }));
    expect(() => verifyHolderCommitmentSignatures(other, htlcTxs, sigs)).toThrow(ChannelError);
  });
});
