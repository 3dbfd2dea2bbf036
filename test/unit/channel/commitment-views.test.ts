// Channel-level views: both ends of one channel, each building its own and its peer's commitment
// from the same state, must agree byte for byte and accept each other's commitment_signed.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/util/bytes.js';
import { msat, sat } from '../../../src/types.js';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import {
  basepointsFromSecrets,
  buildCommitmentTx,
  buildHtlcTxs,
  derivePrivkey,
  localCommitmentSpec,
  mirrorChannelConfig,
  mirrorCommitmentState,
  perCommitmentPoint,
  remoteCommitmentSpec,
  serializeTx,
  signCommitmentTx,
  signCounterpartyCommitment,
  signedCommitmentTx,
  verifyCommitmentSig,
  verifyHolderCommitmentSignatures,
  CHANNEL_TYPES,
} from '../../../src/channel/index.js';
import type { ChannelBasepointSecrets, ChannelConfig, CommitmentState } from '../../../src/channel/index.js';

const secret = (b: number) => new Uint8Array(32).fill(b);
function secrets(first: number): ChannelBasepointSecrets {
  return {
    funding_privkey: secret(first),
    revocation_basepoint_secret: secret(first + 1),
    payment_basepoint_secret: secret(first + 2),
    delayed_payment_basepoint_secret: secret(first + 3),
    htlc_basepoint_secret: secret(first + 4),
  };
}
const alice = { secrets: secrets(1), seed: secret(0xa1) };
const bob = { secrets: secrets(11), seed: secret(0xb0) };

for (const channel_type of CHANNEL_TYPES) {
  describe(`both ends of a ${channel_type} channel`, () => {
    // Alice opened; the parties announced different dust limits and delays to catch swaps.
    const aliceView: ChannelConfig = {
      channel_type,
      funding_txid: sha256(new Uint8Array([1, 2, 3])),
      funding_output_index: 1,
      funding_satoshis: sat(2_000_000),
      local_is_funder: true,
      local: { basepoints: basepointsFromSecrets(alice.secrets), dust_limit_satoshis: sat(546), to_self_delay: 144 },
      remote: { basepoints: basepointsFromSecrets(bob.secrets), dust_limit_satoshis: sat(600), to_self_delay: 720 },
    };
    const bobView = mirrorChannelConfig(aliceView);
    const state: CommitmentState = {
      commitment_number: 7n,
      feerate_per_kw: 1000,
      local_msat: msat(1_400_000_000n - 30_000_000n),
      remote_msat: msat(600_000_000n - 20_000_000n),
      htlcs: [
        { id: 0n, offerer: 'local', amount_msat: msat(30_000_000), payment_hash: sha256(secret(1)), cltv_expiry: 800_100 },
        { id: 0n, offerer: 'remote', amount_msat: msat(20_000_000), payment_hash: sha256(secret(2)), cltv_expiry: 800_200 },
      ],
    };
    const bobState = mirrorCommitmentState(state);
    const alicePcp = perCommitmentPoint(alice.seed, state.commitment_number);
    const bobPcp = perCommitmentPoint(bob.seed, state.commitment_number);

    it("builds the same bytes for each commitment from either end", () => {
      const aliceOwn = buildCommitmentTx(localCommitmentSpec(aliceView, state, alicePcp));
      const aliceOwnSeenByBob = buildCommitmentTx(remoteCommitmentSpec(bobView, bobState, alicePcp));
      expect(toHex(serializeTx(aliceOwn.tx))).toBe(toHex(serializeTx(aliceOwnSeenByBob.tx)));
      const bobOwn = buildCommitmentTx(localCommitmentSpec(bobView, bobState, bobPcp));
      const bobOwnSeenByAlice = buildCommitmentTx(remoteCommitmentSpec(aliceView, state, bobPcp));
      expect(toHex(serializeTx(bobOwn.tx))).toBe(toHex(serializeTx(bobOwnSeenByAlice.tx)));
      expect(toHex(aliceOwn.txid)).not.toBe(toHex(bobOwn.txid));
    });

    it('applies the holder dust limit, the other side\'s delay, and funder-pays-fee', () => {
      const aliceSpec = localCommitmentSpec(aliceView, state, alicePcp);
      expect(aliceSpec.dust_limit_satoshis).toBe(546n);
      expect(aliceSpec.to_self_delay).toBe(720);
      expect(aliceSpec.local_is_funder).toBe(true);
      expect(aliceSpec.htlcs.map((h) => h.direction)).toEqual(['offered', 'received']);
      const bobSpec = remoteCommitmentSpec(aliceView, state, bobPcp);
      expect(bobSpec.dust_limit_satoshis).toBe(600n);
      expect(bobSpec.to_self_delay).toBe(144);
      expect(bobSpec.local_is_funder).toBe(false);
      expect(bobSpec.htlcs.map((h) => h.direction)).toEqual(['received', 'offered']);
      expect(bobSpec.to_local_msat).toBe(state.remote_msat);
      expect(aliceSpec.obscuring_factor).toBe(bobSpec.obscuring_factor);
    });

    it('exchanges commitment_signed both ways and assembles a broadcastable commitment', () => {
      // Alice signs Bob's commitment with her funding key and her HTLC key for Bob's point.
      const bobCommitment = buildCommitmentTx(remoteCommitmentSpec(aliceView, state, bobPcp));
      const forBob = signCounterpartyCommitment(
        bobCommitment,
        buildHtlcTxs(bobCommitment),
        alice.secrets.funding_privkey,
        derivePrivkey(alice.secrets.htlc_basepoint_secret, bobPcp),
      );
      expect(forBob.htlc_signatures).toHaveLength(2);
      // Bob checks it against his own commitment, built on his side.
      const bobOwn = buildCommitmentTx(localCommitmentSpec(bobView, bobState, bobPcp));
      expect(() => verifyHolderCommitmentSignatures(bobOwn, buildHtlcTxs(bobOwn), forBob)).not.toThrow();

      const aliceOwn = buildCommitmentTx(localCommitmentSpec(aliceView, state, alicePcp));
      const forAlice = signCounterpartyCommitment(
        buildCommitmentTx(remoteCommitmentSpec(bobView, bobState, alicePcp)),
        buildHtlcTxs(buildCommitmentTx(remoteCommitmentSpec(bobView, bobState, alicePcp))),
        bob.secrets.funding_privkey,
        derivePrivkey(bob.secrets.htlc_basepoint_secret, alicePcp),
      );
      expect(() => verifyHolderCommitmentSignatures(aliceOwn, buildHtlcTxs(aliceOwn), forAlice)).not.toThrow();

      // Unilateral close: Alice adds her own signature to Bob's.
      const mine = signCommitmentTx(aliceOwn, alice.secrets.funding_privkey);
      const tx = signedCommitmentTx(aliceOwn, { local: mine, remote: forAlice.signature });
      expect(tx.inputs[0]!.witness).toHaveLength(4);
      expect(verifyCommitmentSig(aliceOwn, mine, aliceView.local.basepoints.funding_pubkey)).toBe(true);
    });
  });
}
