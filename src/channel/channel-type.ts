// The two commitment formats this node speaks, and every BOLT 3 constant that differs between them,
// in one table so builders never branch on the type name directly.
import { SIGHASH_ALL, SIGHASH_SINGLE_ANYONECANPAY } from './bitcoin/sighash.js';
import { ChannelError } from './errors.js';

/**
 * `static_remotekey`: option_static_remotekey (to_remote is P2WPKH of the peer's payment_basepoint).
 * `anchors_zero_fee_htlc_tx`: option_anchors (two 330-sat anchors, CSV-1 on to_remote and HTLC
 * outputs, zero-fee HTLC transactions signed SINGLE|ANYONECANPAY by the counterparty).
 */
export type ChannelType = 'static_remotekey' | 'anchors_zero_fee_htlc_tx';

export const CHANNEL_TYPES: readonly ChannelType[] = ['static_remotekey', 'anchors_zero_fee_htlc_tx'];

export interface ChannelTypeRules {
  readonly anchors: boolean;
  /** Expected weight of a commitment tx without HTLC outputs (BOLT 3 Appendix A). */
  readonly commitmentBaseWeight: number;
  readonly weightPerHtlc: number;
  readonly htlcTimeoutWeight: number;
  readonly htlcSuccessWeight: number;
  /** Whether second-stage HTLC txs pay fees out of the HTLC amount (and so count for trimming). */
  readonly htlcTxPaysFee: boolean;
  /** nSequence of the HTLC-timeout/success input (1 = the CSV the anchor HTLC scripts require). */
  readonly htlcTxSequence: number;
  /** Sighash the commitment's counterparty uses for its HTLC-tx signatures. */
  readonly counterpartyHtlcSighash: number;
}

export const ANCHOR_OUTPUT_SAT = 330n;
export const WEIGHT_PER_HTLC_OUTPUT = 172;

const RULES: Record<ChannelType, ChannelTypeRules> = {
  static_remotekey: {
    anchors: false,
    commitmentBaseWeight: 724,
    weightPerHtlc: WEIGHT_PER_HTLC_OUTPUT,
    htlcTimeoutWeight: 663,
    htlcSuccessWeight: 703,
    htlcTxPaysFee: true,
    htlcTxSequence: 0,
    counterpartyHtlcSighash: SIGHASH_ALL,
  },
  anchors_zero_fee_htlc_tx: {
    anchors: true,
    commitmentBaseWeight: 1124,
    weightPerHtlc: WEIGHT_PER_HTLC_OUTPUT,
    htlcTimeoutWeight: 666,
    htlcSuccessWeight: 706,
    htlcTxPaysFee: false,
    htlcTxSequence: 1,
    counterpartyHtlcSighash: SIGHASH_SINGLE_ANYONECANPAY,
  },
};

export function channelTypeRules(type: ChannelType): ChannelTypeRules {
  const r = RULES[type];
  if (!r) throw new ChannelError('BAD_SPEC', `unknown channel type ${String(type)}`);
  return r;
}

export function isChannelType(v: unknown): v is ChannelType {
  return typeof v === 'string' && (CHANNEL_TYPES as readonly string[]).includes(v);
}
