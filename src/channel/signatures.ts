// Signing and verifying commitment and HTLC transactions, and assembling their witnesses.
// Lightning messages carry 64-byte compact low-S signatures; witnesses carry DER plus the sighash
// byte. "local"/"remote" are relative to the commitment holder, as everywhere in BOLT 3: when we
// sign the peer's commitment in commitment_signed, we are its "remote".
import type { Bytes } from '../util/bytes.js';
import { compareBytes, concatBytes, equalBytes } from '../util/bytes.js';
import { compactToDer, derToCompact, signCompact, verifyCompact } from '../crypto/secp256k1.js';
import type { Tx } from './bitcoin/tx.js';
import { withWitness } from './bitcoin/tx.js';
import { SIGHASH_ALL, segwitV0Sighash } from './bitcoin/sighash.js';
import type { ChannelType } from './channel-type.js';
import { channelTypeRules } from './channel-type.js';
import type { CommitmentTx } from './commitment.js';
import type { HtlcTx } from './htlc-tx.js';
import { ChannelError } from './errors.js';

export type Signer = 'local' | 'remote';

const EMPTY = new Uint8Array(0);

function sig64(name: string, s: Bytes): void {
  if (!(s instanceof Uint8Array) || s.length !== 64) throw new ChannelError('BAD_KEY', `${name} must be a 64-byte compact signature`);
}

/** DER signature followed by the sighash byte, as it appears on a witness stack. */
export function witnessSignature(signature: Bytes, sighashType: number): Bytes {
  sig64('signature', signature);
  return concatBytes(compactToDer(signature), Uint8Array.of(sighashType));
}

/** Splits a witness signature into its compact form and sighash byte. */
export function parseWitnessSignature(item: Bytes): { signature: Bytes; sighashType: number } {
  if (item.length < 9) throw new ChannelError('BAD_SIGNATURE', 'witness signature too short');
  return { signature: derToCompact(item.subarray(0, item.length - 1)), sighashType: item[item.length - 1]! };
}

/**
 * Witness spending the 2-of-2 funding output: `0 <sig for pubkey1> <sig for pubkey2> <script>`,
 * signatures in the funding script's key order, SIGHASH_ALL. A missing signature becomes an empty
 * item, which is how Electrum (and PSBT-style tools) show a not-yet-signed funding spend.
 */
export function fundingSpendWitness(
  witnessScript: Bytes,
  localPubkey: Bytes,
  remotePubkey: Bytes,
  sigs: { readonly local?: Bytes | undefined; readonly remote?: Bytes | undefined },
): Bytes[] {
  const local = sigs.local ? witnessSignature(sigs.local, SIGHASH_ALL) : EMPTY;
  const remote = sigs.remote ? witnessSignature(sigs.remote, SIGHASH_ALL) : EMPTY;
  const localFirst = compareBytes(localPubkey, remotePubkey) <= 0;
  return [EMPTY, localFirst ? local : remote, localFirst ? remote : local, witnessScript];
}

// ---- commitment transactions ----

export function commitmentSighash(c: CommitmentTx): Bytes {
  return segwitV0Sighash(c.tx, 0, c.funding_witness_script, c.spec.funding.amount_sat, SIGHASH_ALL);
}

/** Signature with a funding key over a commitment tx (ours, or the peer's for commitment_signed). */
export function signCommitmentTx(c: CommitmentTx, fundingPrivkey: Bytes): Bytes {
  return signCompact(commitmentSighash(c), fundingPrivkey);
}

/** False for a signature that is not 64 bytes or does not verify. */
export function verifyCommitmentSig(c: CommitmentTx, signature: Bytes, fundingPubkey: Bytes): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  return verifyCompact(signature, commitmentSighash(c), fundingPubkey);
}

/** The commitment tx with its funding witness; leave a signature out for Electrum's unsigned form. */
export function signedCommitmentTx(c: CommitmentTx, sigs: { readonly local?: Bytes; readonly remote?: Bytes }): Tx {
  const f = c.spec.funding;
  return withWitness(c.tx, 0, fundingSpendWitness(c.funding_witness_script, f.local_funding_pubkey, f.remote_funding_pubkey, sigs));
}

// ---- HTLC transactions ----

/** The holder signs its HTLC txs with SIGHASH_ALL; the counterparty uses its channel type's mode. */
export function htlcSighashType(type: ChannelType, signer: Signer): number {
  return signer === 'local' ? SIGHASH_ALL : channelTypeRules(type).counterpartyHtlcSighash;
}

export function htlcTxSighash(h: HtlcTx, signer: Signer): Bytes {
  return segwitV0Sighash(h.tx, 0, h.input_witness_script, h.input_amount_sat, htlcSighashType(h.channel_type, signer));
}

export function signHtlcTx(h: HtlcTx, htlcPrivkey: Bytes, signer: Signer): Bytes {
  return signCompact(htlcTxSighash(h, signer), htlcPrivkey);
}

/** False for a signature that is not 64 bytes or does not verify. */
export function verifyHtlcSig(h: HtlcTx, signature: Bytes, htlcPubkey: Bytes, signer: Signer): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  return verifyCompact(signature, htlcTxSighash(h, signer), htlcPubkey);
}

/**
 * The HTLC tx ready to broadcast: `0 <remotehtlcsig> <localhtlcsig> <preimage or empty> <script>`.
 * HTLC-success needs the 32-byte preimage of the HTLC's payment_hash.
 */
export function signedHtlcTx(h: HtlcTx, sigs: { readonly local: Bytes; readonly remote: Bytes }, preimage?: Bytes): Tx {
  let last: Bytes = EMPTY;
  if (h.kind === 'htlc-success') {
    if (!preimage || preimage.length !== 32) throw new ChannelError('BAD_KEY', 'HTLC-success needs the 32-byte payment preimage');
    last = preimage;
  } else if (preimage) {
    throw new ChannelError('BAD_SPEC', 'HTLC-timeout takes no preimage');
  }
  const remote = witnessSignature(sigs.remote, htlcSighashType(h.channel_type, 'remote'));
  const local = witnessSignature(sigs.local, htlcSighashType(h.channel_type, 'local'));
  return withWitness(h.tx, 0, [EMPTY, remote, local, last, h.input_witness_script]);
}

// ---- commitment_signed ----

export interface CommitmentSignatures {
  readonly signature: Bytes;
  /** One per untrimmed HTLC, in commitment output order. */
  readonly htlc_signatures: readonly Bytes[];
}

/**
 * What commitment_signed carries for the peer's commitment `c`: our funding signature and our
 * HTLC signatures (we are the "remote" of that commitment). `htlcPrivkey` is our htlc_basepoint
 * secret tweaked with the peer's per_commitment_point (derivePrivkey).
 */
export function signCounterpartyCommitment(c: CommitmentTx, htlcTxs: readonly HtlcTx[], fundingPrivkey: Bytes, htlcPrivkey: Bytes): CommitmentSignatures {
  checkHtlcTxsMatch(c, htlcTxs);
  return {
    signature: signCommitmentTx(c, fundingPrivkey),
    htlc_signatures: htlcTxs.map((h) => signHtlcTx(h, htlcPrivkey, 'remote')),
  };
}

/**
 * Checks a received commitment_signed against our own commitment `c` (and its HTLC txs): the
 * peer's funding signature and each HTLC signature, with the peer's keys taken from `c`'s spec.
 * Throws ChannelError BAD_SIGNATURE naming the first signature that fails.
 */
export function verifyHolderCommitmentSignatures(c: CommitmentTx, htlcTxs: readonly HtlcTx[], sigs: CommitmentSignatures): void {
  checkHtlcTxsMatch(c, htlcTxs);
  if (!verifyCommitmentSig(c, sigs.signature, c.spec.funding.remote_funding_pubkey)) {
    throw new ChannelError('BAD_SIGNATURE', 'invalid commitment signature');
  }
  if (sigs.htlc_signatures.length !== htlcTxs.length) {
    throw new ChannelError('BAD_SIGNATURE', `expected ${htlcTxs.length} HTLC signatures, got ${sigs.htlc_signatures.length}`);
  }
  htlcTxs.forEach((h, i) => {
    if (!verifyHtlcSig(h, sigs.htlc_signatures[i]!, c.spec.keys.remote_htlc_pubkey, 'remote')) {
      throw new ChannelError('BAD_SIGNATURE', `invalid HTLC signature ${i} (HTLC ${h.htlc.direction} #${h.htlc.id})`);
    }
  });
}

function checkHtlcTxsMatch(c: CommitmentTx, htlcTxs: readonly HtlcTx[]): void {
  const ok =
    htlcTxs.length === c.htlc_outputs.length &&
    htlcTxs.every((h, i) => h.commitment_output_index === c.htlc_outputs[i]!.output_index && equalBytes(h.tx.inputs[0]!.prevout.txid, c.txid));
  if (!ok) throw new ChannelError('BAD_SPEC', 'HTLC transactions do not belong to this commitment');
}
