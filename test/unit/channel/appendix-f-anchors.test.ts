// BOLT 3 Appendix F: the 9 option_anchors (zero-fee HTLC tx) commitment transactions and their 15
// HTLC transactions, with the counterparty's HTLC signatures made with SIGHASH_SINGLE|ANYONECANPAY.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { compactToDer, derToCompact } from '../../../src/crypto/secp256k1.js';
import {
  SIGHASH_ALL,
  SIGHASH_SINGLE_ANYONECANPAY,
  buildCommitmentTx,
  buildHtlcTxs,
  htlcSighashType,
  parseTxHex,
  parseWitnessSignature,
  serializeTx,
  signCommitmentTx,
  signHtlcTx,
  signedCommitmentTx,
  signedHtlcTx,
  verifyCommitmentSig,
  verifyHtlcSig,
} from '../../../src/channel/index.js';
import { V, channelSetup, htlcSetFor, preimageOf, specFor } from './bolt3-fixture.js';

const F = V.appendix_f_commitment_anchors;
const setup = channelSetup();

describe('BOLT 3 Appendix F: commitment transactions (anchors, zero-fee HTLC txs)', () => {
  it('has the 9 tests and 15 HTLC transactions the spec lists', () => {
    expect(F.tests).toHaveLength(9);
    expect(F.tests.reduce((n, t) => n + t.HtlcDescs.length, 0)).toBe(15);
  });

  it('signs HTLC txs with SIGHASH_ALL as holder and 0x83 as counterparty', () => {
    expect(htlcSighashType('anchors_zero_fee_htlc_tx', 'local')).toBe(SIGHASH_ALL);
    expect(htlcSighashType('anchors_zero_fee_htlc_tx', 'remote')).toBe(0x83);
    expect(htlcSighashType('static_remotekey', 'remote')).toBe(SIGHASH_ALL);
  });

  for (const t of F.tests) {
    describe(t.Name, () => {
      const spec = specFor('anchors_zero_fee_htlc_tx', {
        toLocalMsat: t.LocalBalance,
        toRemoteMsat: t.RemoteBalance,
        feerate: t.FeePerKw,
        dustLimit: t.DustLimitSatoshis,
        htlcs: htlcSetFor(t.LocalBalance, t.RemoteBalance, t.UseTestHtlcs),
      });
      const c = buildCommitmentTx(spec);

      it('builds and signs the commitment tx byte for byte', () => {
        const localSig = signCommitmentTx(c, setup.localFundingPrivkey);
        const remoteSig = signCommitmentTx(c, setup.remoteFundingPrivkey);
        expect(toHex(compactToDer(remoteSig))).toBe(t.RemoteSigHex);
        expect(verifyCommitmentSig(c, derToCompact(fromHex(t.RemoteSigHex)), setup.funding.remote_funding_pubkey)).toBe(true);
        expect(toHex(serializeTx(signedCommitmentTx(c, { local: localSig, remote: remoteSig })))).toBe(t.ExpectedCommitmentTxHex);
      });

      it('adds anchors only for sides with an output, or when HTLCs are untrimmed', () => {
        const kinds = c.outputs.map((o) => o.kind);
        const htlcs = c.htlc_outputs.length > 0;
        expect(kinds.includes('to_local_anchor')).toBe(kinds.includes('to_local') || htlcs);
        expect(kinds.includes('to_remote_anchor')).toBe(kinds.includes('to_remote') || htlcs);
        for (const o of c.outputs.filter((x) => x.kind.endsWith('anchor'))) expect(o.amount_sat).toBe(330n);
      });

      it('builds every zero-fee HTLC tx and both signatures byte for byte', () => {
        const htlcTxs = buildHtlcTxs(c);
        expect(htlcTxs).toHaveLength(t.HtlcDescs.length);
        htlcTxs.forEach((h, i) => {
          const e = t.HtlcDescs[i]!;
          const expectedTx = parseTxHex(e.ResolutionTxHex);
          // The vector's holder signature is inside the witness: 0 <remote> <local> <preimage|0> <script>.
          const [, remoteItem, localItem] = expectedTx.inputs[0]!.witness;
          expect(parseWitnessSignature(remoteItem!).sighashType).toBe(SIGHASH_SINGLE_ANYONECANPAY);
          expect(parseWitnessSignature(localItem!).sighashType).toBe(SIGHASH_ALL);

          expect(h.fee_sat).toBe(0n);
          expect(h.tx.inputs[0]!.sequence).toBe(1);
          const remoteSig = signHtlcTx(h, setup.remoteHtlcPrivkey, 'remote');
          const localSig = signHtlcTx(h, setup.localHtlcPrivkey, 'local');
          expect(toHex(compactToDer(remoteSig))).toBe(e.RemoteSigHex);
          expect(toHex(localSig)).toBe(toHex(parseWitnessSignature(localItem!).signature));
          expect(verifyHtlcSig(h, derToCompact(fromHex(e.RemoteSigHex)), setup.keys.remote_htlc_pubkey, 'remote')).toBe(true);
          // The same signature is not valid under SIGHASH_ALL.
          expect(verifyHtlcSig(h, derToCompact(fromHex(e.RemoteSigHex)), setup.keys.remote_htlc_pubkey, 'local')).toBe(false);
          const preimage = h.kind === 'htlc-success' ? preimageOf(h.htlc.id) : undefined;
          expect(toHex(serializeTx(signedHtlcTx(h, { local: localSig, remote: remoteSig }, preimage)))).toBe(e.ResolutionTxHex);
        });
      });
    });
  }
});
