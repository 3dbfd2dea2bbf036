// Second-stage HTLC transactions (BOLT 3): HTLC-timeout spends an offered HTLC output after its
// cltv_expiry, HTLC-success spends a received one with the preimage. Both pay into the same
// revocable, CSV-delayed script as to_local, so the holder's funds stay punishable.
import type { Bytes } from '../util/bytes.js';
import type { Sat } from '../types.js';
import { msatToSat } from '../types.js';
import type { Tx } from './bitcoin/tx.js';
import { p2wsh } from './bitcoin/script.js';
import type { ChannelType } from './channel-type.js';
import { channelTypeRules } from './channel-type.js';
import type { CommitmentHtlc, CommitmentTx, HtlcOutputRef } from './commitment.js';
import { htlcTxFee } from './fees.js';
import { toLocalWitnessScript } from './scripts.js';
import { ChannelError } from './errors.js';

export type HtlcTxKind = 'htlc-timeout' | 'htlc-success';

export interface HtlcTx {
  readonly channel_type: ChannelType;
  readonly kind: HtlcTxKind;
  readonly htlc: CommitmentHtlc;
  readonly commitment_output_index: number;
  /** Unsigned (empty witness); see signedHtlcTx. */
  readonly tx: Tx;
  /** Witness script and value of the commitment output this tx spends (what its sighash commits to). */
  readonly input_witness_script: Bytes;
  readonly input_amount_sat: Sat;
  readonly output_witness_script: Bytes;
  readonly fee_sat: Sat;
}

/** The revocable, delayed output every HTLC tx of a commitment pays to (the same for all of them). */
export interface HtlcTxOutputScript {
  readonly witness_script: Bytes;
  readonly script_pubkey: Bytes;
}

export function htlcTxOutputScript(commitment: CommitmentTx): HtlcTxOutputScript {
  const { spec } = commitment;
  const witness_script = toLocalWitnessScript(spec.keys.revocation_pubkey, spec.to_self_delay, spec.keys.local_delayed_pubkey);
  return { witness_script, script_pubkey: p2wsh(witness_script) };
}

export function buildHtlcTx(commitment: CommitmentTx, ref: HtlcOutputRef, output: HtlcTxOutputScript = htlcTxOutputScript(commitment)): HtlcTx {
  const { spec } = commitment;
  const out = commitment.outputs[ref.output_index];
  if (!out || out.htlc !== ref.htlc || !out.witness_script) {
    throw new ChannelError('BAD_SPEC', `commitment output ${ref.output_index} is not this HTLC's output`);
  }
  const h = ref.htlc;
  const rules = channelTypeRules(spec.channel_type);
  const fee = htlcTxFee(spec.channel_type, h.direction, spec.feerate_per_kw);
  const amount = msatToSat(h.amount_msat);
  // Untrimmed HTLCs always cover their fee (that is what trimming checks), so this never goes negative.
  const value = (amount - fee) as Sat;
  const offered = h.direction === 'offered';
  const tx: Tx = {
    version: 2,
    inputs: [
      {
        prevout: { txid: commitment.txid, vout: ref.output_index },
        scriptSig: new Uint8Array(0),
        sequence: rules.htlcTxSequence,
        witness: [],
      },
    ],
    outputs: [{ value, scriptPubKey: output.script_pubkey }],
    // HTLC-timeout cannot confirm before the HTLC expires; HTLC-success needs no lock.
    locktime: offered ? h.cltv_expiry : 0,
  };
  return {
    channel_type: spec.channel_type,
    kind: offered ? 'htlc-timeout' : 'htlc-success',
    htlc: h,
    commitment_output_index: ref.output_index,
    tx,
    input_witness_script: out.witness_script,
    input_amount_sat: out.amount_sat,
    output_witness_script: output.witness_script,
    fee_sat: fee,
  };
}

/** Every HTLC tx of a commitment, in commitment output order (= htlc_signatures order). */
export function buildHtlcTxs(commitment: CommitmentTx): HtlcTx[] {
  if (commitment.htlc_outputs.length === 0) return [];
  const output = htlcTxOutputScript(commitment);
  return commitment.htlc_outputs.map((ref) => buildHtlcTx(commitment, ref, output));
}
