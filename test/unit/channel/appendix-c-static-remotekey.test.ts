// BOLT 3 Appendix C: the 16 option_static_remotekey commitment transactions and their 33 HTLC
// transactions, rebuilt and re-signed from the channel's keys and compared byte for byte.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { compactToDer, derToCompact, pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import {
  buildCommitmentTx,
  buildHtlcTxs,
  commitmentNumberFromTx,
  parseTxHex,
  serializeTx,
  signCommitmentTx,
  signCounterpartyCommitment,
  signHtlcTx,
  signedCommitmentTx,
  signedHtlcTx,
  txid,
  txidToHex,
  verifyCommitmentSig,
  verifyHolderCommitmentSignatures,
  verifyHtlcSig,
  ChannelError,
} from '../../../src/channel/index.js';
import { C, channelSetup, htlcSetFor, preimageOf, specFor } from './bolt3-fixture.js';
import type { CTest } from './bolt3-fixture.js';

const setup = channelSetup();

function build(t: CTest) {
  const spec = specFor('static_remotekey', {
    toLocalMsat: t.to_local_msat,
    toRemoteMsat: t.to_remote_msat,
    feerate: t.local_feerate_per_kw,
    dustLimit: C.params.local_dust_limit_satoshi,
    htlcs: htlcSetFor(t.to_local_msat, t.to_remote_msat, t.name !== 'simple commitment tx with no HTLCs'),
  });
  return buildCommitmentTx(spec);
}

describe('BOLT 3 Appendix C: channel keys', () => {
  it('derives the per-commitment keys and obscuring factor the vectors list', () => {
    const k = C.keys;
    const iv = C.derivation_internal_values;
    expect(toHex(pubkeyCreate(fromHex(iv.x_local_per_commitment_secret)))).toBe(iv.local_per_commitment_point);
    expect(toHex(setup.keys.revocation_pubkey)).toBe(k.local_revocation_pubkey);
    expect(toHex(setup.keys.local_delayed_pubkey)).toBe(k.local_delayedpubkey);
    expect(toHex(setup.keys.local_htlc_pubkey)).toBe(k.local_htlcpubkey);
    expect(toHex(setup.keys.remote_htlc_pubkey)).toBe(k.remote_htlcpubkey);
    expect(toHex(setup.localHtlcPrivkey)).toBe(k.local_privkey);
    expect(toHex(setup.remoteHtlcPrivkey)).toBe(iv.remote_privkey);
    expect(setup.obscuring).toBe(BigInt('0x' + k.obscuring_factor));
    expect(toHex(pubkeyCreate(setup.localFundingPrivkey))).toBe(k.local_funding_pubkey);
  });
});

describe('BOLT 3 Appendix C: commitment transactions (static_remotekey)', () => {
  it('has the 16 tests and 33 HTLC transactions the spec lists', () => {
    expect(C.tests).toHaveLength(16);
    expect(C.tests.reduce((n, t) => n + (t.htlc_txs?.length ?? 0), 0)).toBe(33);
  });

  for (const t of C.tests) {
    describe(t.name, () => {
      const c = build(t);

      it('builds the commitment tx, signs it like both sides, and matches commit_tx byte for byte', () => {
        expect(toHex(c.funding_witness_script)).toBe(C.keys.funding_wscript);
        const localSig = signCommitmentTx(c, setup.localFundingPrivkey);
        const remoteSig = signCommitmentTx(c, setup.remoteFundingPrivkey);
        expect(toHex(compactToDer(localSig))).toBe(t.local_signature);
        expect(toHex(compactToDer(remoteSig))).toBe(t.remote_signature);
        const signed = signedCommitmentTx(c, { local: localSig, remote: remoteSig });
        expect(toHex(serializeTx(signed))).toBe(t.commit_tx);
        // The vector's own signatures verify against our sighash, with the right keys only.
        expect(verifyCommitmentSig(c, derToCompact(fromHex(t.remote_signature)), setup.funding.remote_funding_pubkey)).toBe(true);
        expect(verifyCommitmentSig(c, derToCompact(fromHex(t.remote_signature)), setup.funding.local_funding_pubkey)).toBe(false);
        expect(txidToHex(c.txid)).toBe(txidToHex(txid(parseTxHex(t.commit_tx))));
        expect(commitmentNumberFromTx(c.tx, setup.obscuring)).toBe(42n);
      });

      it('computes the fees, outputs and HTLC count of the trace', () => {
        expect(c.htlc_outputs).toHaveLength(t.num_htlcs);
        if (t.base_commitment_fee_sat !== undefined) expect(c.base_fee_sat).toBe(BigInt(t.base_commitment_fee_sat));
        if (t.actual_commitment_fee_sat !== undefined) expect(c.fee_sat).toBe(BigInt(t.actual_commitment_fee_sat));
        const htlcTrace = (t.htlc_outputs_trace ?? []).map((h) => ({ id: BigInt(h.htlc_id), direction: h.direction, amount: BigInt(h.amount_sat), wscript: h.wscript }));
        const ours = c.outputs
          .filter((o) => o.htlc)
          .map((o) => ({ id: o.htlc!.id, direction: o.htlc!.direction, amount: o.amount_sat, wscript: toHex(o.witness_script!) }));
        const byId = (a: { id: bigint }, b: { id: bigint }) => (a.id < b.id ? -1 : 1);
        expect(ours.sort(byId)).toEqual(htlcTrace.sort(byId));
        const toLocal = c.outputs.find((o) => o.kind === 'to_local');
        if (t.to_local_output) {
          expect(toLocal?.amount_sat).toBe(BigInt(t.to_local_output.amount_sat));
          expect(toHex(toLocal!.witness_script!)).toBe(t.to_local_output.wscript);
        }
        const toRemote = c.outputs.find((o) => o.kind === 'to_remote');
        if (t.to_remote_output) expect(toRemote?.amount_sat).toBe(BigInt(t.to_remote_output.amount_sat));
        // Trimmed HTLCs and fees account for everything not in an output.
        expect(c.trimmed_htlcs.length + c.htlc_outputs.length).toBe(c.spec.htlcs.length);
      });

      it('builds and signs every HTLC tx byte for byte', () => {
        const htlcTxs = buildHtlcTxs(c);
        const expected = t.htlc_txs ?? [];
        expect(htlcTxs).toHaveLength(expected.length);
        htlcTxs.forEach((h, i) => {
          const e = expected[i]!;
          expect(h.commitment_output_index).toBe(e.commit_output_index);
          expect(h.kind).toBe(e.type);
          expect(h.htlc.id).toBe(BigInt(e.htlc_id));
          const remoteSig = signHtlcTx(h, setup.remoteHtlcPrivkey, 'remote');
          const localSig = signHtlcTx(h, setup.localHtlcPrivkey, 'local');
          expect(toHex(compactToDer(remoteSig))).toBe(e.remote_htlc_signature);
          expect(toHex(compactToDer(localSig))).toBe(e.local_htlc_signature);
          expect(verifyHtlcSig(h, derToCompact(fromHex(e.remote_htlc_signature)), setup.keys.remote_htlc_pubkey, 'remote')).toBe(true);
          const preimage = h.kind === 'htlc-success' ? preimageOf(h.htlc.id) : undefined;
          expect(toHex(serializeTx(signedHtlcTx(h, { local: localSig, remote: remoteSig }, preimage)))).toBe(e.tx);
        });
      });

      it('round-trips commitment_signed: the remote side signs, the holder verifies', () => {
        const htlcTxs = buildHtlcTxs(c);
        const sigs = signCounterpartyCommitment(c, htlcTxs, setup.remoteFundingPrivkey, setup.remoteHtlcPrivkey);
        expect(toHex(compactToDer(sigs.signature))).toBe(t.remote_signature);
        expect(sigs.htlc_signatures.map((s) => toHex(compactToDer(s)))).toEqual((t.htlc_txs ?? []).map((h) => h.remote_htlc_signature));
        expect(() => verifyHolderCommitmentSignatures(c, htlcTxs, sigs)).not.toThrow();
        if (sigs.htlc_signatures.length > 1) {
          // Swapped HTLC signatures must be caught: this is why their order matters.
          const swapped = { ...sigs, htlc_signatures: [sigs.htlc_signatures[1]!, sigs.htlc_signatures[0]!, ...sigs.htlc_signatures.slice(2)] };
          expect(() => verifyHolderCommitmentSignatures(c, htlcTxs, swapped)).toThrow(ChannelError);
        }
      });
    });
  }
});
