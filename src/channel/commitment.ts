// BOLT 3 commitment transactions, built from a plain description of one commitment (the
// "commitment spec") so the BOLT 2 state machine can build its own and its peer's commitment from
// the same state: it only swaps which side is "local" (the holder).
import type { Bytes } from '../util/bytes.js';
import { compareBytes, concatBytes } from '../util/bytes.js';
import type { Msat, Sat } from '../types.js';
import { msatToSat } from '../types.js';
import { sha256 } from '../crypto/secp256k1.js';
import type { Tx, TxOut } from './bitcoin/tx.js';
import { txid as computeTxid } from './bitcoin/tx.js';
import { p2wsh } from './bitcoin/script.js';
import type { ChannelType } from './channel-type.js';
import { ANCHOR_OUTPUT_SAT, channelTypeRules, isChannelType } from './channel-type.js';
import type { CommitmentKeys } from './keys.js';
import type { FundingInfo } from './funding.js';
import { fundingOutput } from './funding.js';
import type { HtlcDirection } from './fees.js';
import { commitmentFee, isHtlcTrimmed } from './fees.js';
import {
  anchorWitnessScript,
  htlcScriptContext,
  offeredHtlcScript,
  receivedHtlcScript,
  toLocalWitnessScript,
  toRemoteOutput,
} from './scripts.js';
import type { HtlcScriptContext } from './scripts.js';
import { MAX_COMMITMENT_NUMBER } from './shachain.js';
import { ChannelError } from './errors.js';

/** An HTLC as it sits on one commitment; `direction` is from the holder's view. */
export interface CommitmentHtlc {
  /** htlc_id from update_add_htlc (ids of offered and received HTLCs are separate sequences). */
  readonly id: bigint;
  readonly direction: HtlcDirection;
  readonly amount_msat: Msat;
  readonly payment_hash: Bytes;
  readonly cltv_expiry: number;
}

/**
 * One commitment transaction, from the holder's ("local") point of view. For the peer's
 * commitment, "local" is the peer: its balance is to_local, its dust limit applies, and
 * to_self_delay is the one *we* announced.
 */
export interface CommitmentSpec {
  readonly channel_type: ChannelType;
  readonly commitment_number: bigint;
  /** Lower 48 bits of SHA256(opener payment_basepoint || accepter payment_basepoint); see obscuringFactor. */
  readonly obscuring_factor: bigint;
  /** Whether the holder opened (funded) the channel and so pays the fee and the anchors. */
  readonly local_is_funder: boolean;
  readonly to_local_msat: Msat;
  readonly to_remote_msat: Msat;
  readonly htlcs: readonly CommitmentHtlc[];
  readonly feerate_per_kw: number;
  /** The holder's dust_limit_satoshis. */
  readonly dust_limit_satoshis: Sat;
  /** The CSV delay on the holder's own outputs (announced by the counterparty). */
  readonly to_self_delay: number;
  readonly funding: FundingInfo;
  readonly keys: CommitmentKeys;
}

export type CommitmentOutputKind = 'to_local' | 'to_remote' | 'to_local_anchor' | 'to_remote_anchor' | 'offered_htlc' | 'received_htlc';

export interface CommitmentOutput {
  readonly kind: CommitmentOutputKind;
  readonly amount_sat: Sat;
  readonly script_pubkey: Bytes;
  /** The P2WSH witness script; absent for a P2WPKH to_remote. */
  readonly witness_script?: Bytes;
  readonly htlc?: CommitmentHtlc;
}

export interface HtlcOutputRef {
  readonly htlc: CommitmentHtlc;
  readonly output_index: number;
}

export interface CommitmentTx {
  readonly spec: CommitmentSpec;
  /** Unsigned (empty witness); see signedCommitmentTx. */
  readonly tx: Tx;
  /** Internal byte order. */
  readonly txid: Bytes;
  /** Describes tx.outputs, index for index. */
  readonly outputs: readonly CommitmentOutput[];
  /** Untrimmed HTLCs in output order: the order of htlc_signatures in commitment_signed. */
  readonly htlc_outputs: readonly HtlcOutputRef[];
  readonly trimmed_htlcs: readonly CommitmentHtlc[];
  /** The base fee the funder pays (expected weight × feerate). */
  readonly base_fee_sat: Sat;
  /** What the transaction actually leaves to miners (base fee + trimmed amounts + rounding). */
  readonly fee_sat: Sat;
  readonly funding_witness_script: Bytes;
}

/** Lower 48 bits of SHA256(opener's payment_basepoint || accepter's payment_basepoint). */
export function obscuringFactor(openerPaymentBasepoint: Bytes, accepterPaymentBasepoint: Bytes): bigint {
  const h = sha256(concatBytes(openerPaymentBasepoint, accepterPaymentBasepoint));
  let v = 0n;
  for (let i = 26; i < 32; i++) v = (v << 8n) | BigInt(h[i]!);
  return v;
}

/** nLockTime and nSequence carrying the obscured commitment number (0x20 / 0x80 in the top byte). */
export function commitmentLocktimeSequence(commitmentNumber: bigint, factor: bigint): { locktime: number; sequence: number } {
  const obscured = (commitmentNumber ^ factor) & MAX_COMMITMENT_NUMBER;
  return {
    locktime: ((0x20 << 24) | Number(obscured & 0xffffffn)) >>> 0,
    sequence: ((0x80 << 24) | Number(obscured >> 24n)) >>> 0,
  };
}

/**
 * The commitment number a commitment tx carries, or undefined if its locktime/sequence do not have
 * the commitment form (for recognising our channel's commitments, e.g. revoked ones, on chain).
 */
export function commitmentNumberFromTx(tx: Tx, factor: bigint): bigint | undefined {
  const seq = tx.inputs[0]?.sequence;
  if (tx.inputs.length !== 1 || seq === undefined || seq >>> 24 !== 0x80 || tx.locktime >>> 24 !== 0x20) return undefined;
  const obscured = (BigInt(seq & 0xffffff) << 24n) | BigInt(tx.locktime & 0xffffff);
  return (obscured ^ factor) & MAX_COMMITMENT_NUMBER;
}

export interface CommitmentAmounts {
  readonly untrimmed_htlcs: readonly CommitmentHtlc[];
  readonly trimmed_htlcs: readonly CommitmentHtlc[];
  readonly base_fee_sat: Sat;
  /** Total anchor value the funder pays (660 sat on anchor channels, else 0). */
  readonly anchors_sat: Sat;
  /** Balances after the funder paid fee and anchors (clamped at zero), before the dust check. */
  readonly to_local_sat: Sat;
  readonly to_remote_sat: Sat;
  readonly has_to_local: boolean;
  readonly has_to_remote: boolean;
}

function checkSpec(s: CommitmentSpec): void {
  const bad = (why: string): never => {
    throw new ChannelError('BAD_SPEC', why);
  };
  if (!isChannelType(s.channel_type)) bad('unknown channel_type');
  if (typeof s.commitment_number !== 'bigint' || s.commitment_number < 0n || s.commitment_number > MAX_COMMITMENT_NUMBER) {
    bad('commitment_number must be in 0..2^48-1');
  }
  if (typeof s.obscuring_factor !== 'bigint' || s.obscuring_factor < 0n || s.obscuring_factor > MAX_COMMITMENT_NUMBER) {
    bad('obscuring_factor must be 48 bits');
  }
  if (s.to_local_msat < 0n || s.to_remote_msat < 0n) bad('negative balance');
  let total = s.to_local_msat + s.to_remote_msat;
  for (const h of s.htlcs) {
    if (h.amount_msat <= 0n) bad(`HTLC ${h.id} has a non-positive amount`);
    if (!Number.isInteger(h.cltv_expiry) || h.cltv_expiry < 0 || h.cltv_expiry > 0xffffffff) bad(`HTLC ${h.id} cltv_expiry is not a u32`);
    total += h.amount_msat;
  }
  // Balances plus HTLCs always add up to the channel capacity; anything else is a state bug.
  if (total !== s.funding.amount_sat * 1000n) bad(`balances and HTLCs add up to ${total} msat, not the funding amount`);
  if (s.dust_limit_satoshis < 0n) bad('negative dust limit');
  if (!Number.isInteger(s.to_self_delay) || s.to_self_delay < 0 || s.to_self_delay > 0xffff) bad('to_self_delay must be a u16');
  if (!Number.isInteger(s.feerate_per_kw) || s.feerate_per_kw < 0 || s.feerate_per_kw > 0xffffffff) bad('feerate_per_kw must be a u32');
  if (!Number.isInteger(s.funding.output_index) || s.funding.output_index < 0 || s.funding.output_index > 0xffff) {
    bad('funding output_index must be a u16');
  }
  if (!(s.funding.txid instanceof Uint8Array) || s.funding.txid.length !== 32) bad('funding txid must be 32 bytes');
}

/** Fee, anchors and balances of a commitment, without building scripts (for affordability checks). */
export function commitmentAmounts(spec: CommitmentSpec): CommitmentAmounts {
  checkSpec(spec);
  const type = spec.channel_type;
  const untrimmed: CommitmentHtlc[] = [];
  const trimmed: CommitmentHtlc[] = [];
  for (const h of spec.htlcs) {
    (isHtlcTrimmed(type, h.direction, h.amount_msat, spec.feerate_per_kw, spec.dust_limit_satoshis) ? trimmed : untrimmed).push(h);
  }
  const baseFee = commitmentFee(type, spec.feerate_per_kw, untrimmed.length);
  const anchors = (channelTypeRules(type).anchors ? 2n * ANCHOR_OUTPUT_SAT : 0n) as Sat;
  // The funder pays fee and anchors out of its balance; what it cannot pay is simply not there.
  const funderCost = (baseFee + anchors) * 1000n;
  const pay = (m: Msat): Sat => msatToSat((m > funderCost ? m - funderCost : 0n) as Msat);
  const toLocal = spec.local_is_funder ? pay(spec.to_local_msat) : msatToSat(spec.to_local_msat);
  const toRemote = spec.local_is_funder ? msatToSat(spec.to_remote_msat) : pay(spec.to_remote_msat);
  return {
    untrimmed_htlcs: untrimmed,
    trimmed_htlcs: trimmed,
    base_fee_sat: baseFee,
    anchors_sat: anchors,
    to_local_sat: toLocal,
    to_remote_sat: toRemote,
    has_to_local: toLocal > 0n && toLocal >= spec.dust_limit_satoshis,
    has_to_remote: toRemote > 0n && toRemote >= spec.dust_limit_satoshis,
  };
}

function htlcOutput(ctx: HtlcScriptContext, h: CommitmentHtlc): CommitmentOutput {
  const witness_script = h.direction === 'offered' ? offeredHtlcScript(ctx, h.payment_hash) : receivedHtlcScript(ctx, h.payment_hash, h.cltv_expiry);
  return {
    kind: h.direction === 'offered' ? 'offered_htlc' : 'received_htlc',
    amount_sat: msatToSat(h.amount_msat),
    script_pubkey: p2wsh(witness_script),
    witness_script,
    htlc: h,
  };
}

function anchorOutput(kind: 'to_local_anchor' | 'to_remote_anchor', fundingPubkey: Bytes): CommitmentOutput {
  const witness_script = anchorWitnessScript(fundingPubkey);
  return { kind, amount_sat: ANCHOR_OUTPUT_SAT as Sat, script_pubkey: p2wsh(witness_script), witness_script };
}

/**
 * BIP 69 (amount, then scriptPubKey), then cltv_expiry for identical HTLC outputs (BOLT 3), then
 * the HTLC id so that even fully identical HTLCs have one canonical order.
 */
function compareOutputs(a: CommitmentOutput, b: CommitmentOutput): number {
  if (a.amount_sat !== b.amount_sat) return a.amount_sat < b.amount_sat ? -1 : 1;
  const byScript = compareBytes(a.script_pubkey, b.script_pubkey);
  if (byScript !== 0) return byScript;
  const ha = a.htlc;
  const hb = b.htlc;
  if (!ha || !hb) return 0;
  if (ha.cltv_expiry !== hb.cltv_expiry) return ha.cltv_expiry - hb.cltv_expiry;
  return ha.id < hb.id ? -1 : ha.id > hb.id ? 1 : 0;
}

export function buildCommitmentTx(spec: CommitmentSpec): CommitmentTx {
  const amounts = commitmentAmounts(spec);
  const { keys, funding } = spec;
  const outputs: CommitmentOutput[] = [];

  if (amounts.has_to_local) {
    const witness_script = toLocalWitnessScript(keys.revocation_pubkey, spec.to_self_delay, keys.local_delayed_pubkey);
    outputs.push({ kind: 'to_local', amount_sat: amounts.to_local_sat, script_pubkey: p2wsh(witness_script), witness_script });
  }
  if (amounts.has_to_remote) {
    const out = toRemoteOutput(spec.channel_type, keys.remote_payment_pubkey);
    outputs.push({
      kind: 'to_remote',
      amount_sat: amounts.to_remote_sat,
      script_pubkey: out.scriptPubKey,
      ...(out.witnessScript ? { witness_script: out.witnessScript } : {}),
    });
  }
  if (channelTypeRules(spec.channel_type).anchors) {
    // Each side gets an anchor only if it has something on the commitment worth bumping for.
    const htlcs = amounts.untrimmed_htlcs.length > 0;
    if (amounts.has_to_local || htlcs) outputs.push(anchorOutput('to_local_anchor', funding.local_funding_pubkey));
    if (amounts.has_to_remote || htlcs) outputs.push(anchorOutput('to_remote_anchor', funding.remote_funding_pubkey));
  }
  if (amounts.untrimmed_htlcs.length > 0) {
    const ctx = htlcScriptContext(spec.channel_type, keys);
    for (const h of amounts.untrimmed_htlcs) outputs.push(htlcOutput(ctx, h));
  }
  outputs.sort(compareOutputs);

  const fundingOut = fundingOutput(funding.local_funding_pubkey, funding.remote_funding_pubkey);
  const { locktime, sequence } = commitmentLocktimeSequence(spec.commitment_number, spec.obscuring_factor);
  const txOutputs: TxOut[] = outputs.map((o) => ({ value: o.amount_sat, scriptPubKey: o.script_pubkey }));
  const tx: Tx = {
    version: 2,
    inputs: [{ prevout: { txid: funding.txid, vout: funding.output_index }, scriptSig: new Uint8Array(0), sequence, witness: [] }],
    outputs: txOutputs,
    locktime,
  };
  const spent = outputs.reduce((s, o) => s + o.amount_sat, 0n);
  const htlc_outputs: HtlcOutputRef[] = [];
  outputs.forEach((o, output_index) => {
    if (o.htlc) htlc_outputs.push({ htlc: o.htlc, output_index });
  });
  return {
    spec,
    tx,
    txid: computeTxid(tx),
    outputs,
    htlc_outputs,
    trimmed_htlcs: amounts.trimmed_htlcs,
    base_fee_sat: amounts.base_fee_sat,
    fee_sat: (funding.amount_sat - spent) as Sat,
    funding_witness_script: fundingOut.witness_script,
  };
}
