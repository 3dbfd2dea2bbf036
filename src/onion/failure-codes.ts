// The BOLT 4 failure codes as ONE declarative table on the wire codec engine: code, BOLT name,
// whether Core Lightning knows it (its `failcodename`), and the struct of fields that follows
// the 2-byte code. failure-message.ts encodes/decodes through these structs; nothing else lists
// fields per code.
import { fields, struct, type Codec, type StructCodec } from '../wire/index.js';

export const BADONION = 0x8000;
export const PERM = 0x4000;
export const NODE = 0x2000;
export const UPDATE = 0x1000;

/** Field list of a failure code, in the wire engine's declarative form. */
export type FailureFieldDefs = readonly (readonly [name: string, codec: Codec<unknown>])[];

export interface FailureSpec {
  code: number;
  name: string;
  /** False for codes Core Lightning no longer lists (they get no failcodename). */
  cln: boolean;
  /** The data after the 2-byte code, as a wire-engine struct (encodes and decodes). */
  codec: StructCodec<FailureFieldDefs>;
}

const sha = ['sha256_of_onion', fields.sha256] as const;
// channel_update is carried with a u16 length and includes its 0x0102 message type.
const upd = ['channel_update', fields.u16Bytes] as const;
const htlcMsat = ['htlc_msat', fields.u64] as const;

function spec(code: number, name: string, defs: FailureFieldDefs, cln = true): FailureSpec {
  return { code, name, cln, codec: struct(name, defs) };
}

export const FAILURE_TABLE: readonly FailureSpec[] = [
  spec(PERM | 1, 'invalid_realm', [], false),
  spec(NODE | 2, 'temporary_node_failure', []),
  spec(PERM | NODE | 2, 'permanent_node_failure', []),
  spec(PERM | NODE | 3, 'required_node_feature_missing', []),
  spec(BADONION | PERM | 4, 'invalid_onion_version', [sha]),
  spec(BADONION | PERM | 5, 'invalid_onion_hmac', [sha]),
  spec(BADONION | PERM | 6, 'invalid_onion_key', [sha]),
  spec(UPDATE | 7, 'temporary_channel_failure', [upd]),
  spec(PERM | 8, 'permanent_channel_failure', []),
  spec(PERM | 9, 'required_channel_feature_missing', []),
  spec(PERM | 10, 'unknown_next_peer', []),
  spec(UPDATE | 11, 'amount_below_minimum', [htlcMsat, upd]),
  spec(UPDATE | 12, 'fee_insufficient', [htlcMsat, upd]),
  spec(UPDATE | 13, 'incorrect_cltv_expiry', [['cltv_expiry', fields.u32], upd]),
  spec(UPDATE | 14, 'expiry_too_soon', [upd]),
  spec(PERM | 15, 'incorrect_or_unknown_payment_details', [htlcMsat, ['height', fields.u32]]),
  spec(18, 'final_incorrect_cltv_expiry', [['cltv_expiry', fields.u32]]),
  spec(19, 'final_incorrect_htlc_amount', [['incoming_htlc_amt', fields.u64]]),
  spec(UPDATE | 20, 'channel_disabled', [['disabled_flags', fields.u16], upd]),
  spec(21, 'expiry_too_far', []),
  spec(PERM | 22, 'invalid_onion_payload', [['type', fields.bigsize], ['offset', fields.u16]]),
  spec(23, 'mpp_timeout', []),
  spec(BADONION | PERM | 24, 'invalid_onion_blinding', [sha]),
];

export type FailureName =
  | 'invalid_realm'
  | 'temporary_node_failure'
  | 'permanent_node_failure'
  | 'required_node_feature_missing'
  | 'invalid_onion_version'
  | 'invalid_onion_hmac'
  | 'invalid_onion_key'
  | 'temporary_channel_failure'
  | 'permanent_channel_failure'
  | 'required_channel_feature_missing'
  | 'unknown_next_peer'
  | 'amount_below_minimum'
  | 'fee_insufficient'
  | 'incorrect_cltv_expiry'
  | 'expiry_too_soon'
  | 'incorrect_or_unknown_payment_details'
  | 'final_incorrect_cltv_expiry'
  | 'final_incorrect_htlc_amount'
  | 'channel_disabled'
  | 'expiry_too_far'
  | 'invalid_onion_payload'
  | 'mpp_timeout'
  | 'invalid_onion_blinding';

const BY_CODE = new Map<number, FailureSpec>(FAILURE_TABLE.map((s) => [s.code, s]));
const BY_NAME = new Map<string, FailureSpec>(FAILURE_TABLE.map((s) => [s.name, s]));

/** Numeric code by BOLT name, e.g. FAILCODE.temporary_node_failure === 0x2002. */
export const FAILCODE = Object.fromEntries(FAILURE_TABLE.map((s) => [s.name, s.code])) as Record<FailureName, number>;

export function failureSpecByCode(code: number): FailureSpec | undefined {
  return BY_CODE.get(code);
}

export function failureSpecByName(name: string): FailureSpec | undefined {
  return BY_NAME.get(name);
}

/** Core Lightning's `failcodename` (WIRE_ + upper-cased BOLT name); undefined for codes CLN does not know. */
export function clnFailcodeName(code: number): string | undefined {
  const s = BY_CODE.get(code);
  return s !== undefined && s.cln ? `WIRE_${s.name.toUpperCase()}` : undefined;
}

export function isBadOnion(code: number): boolean {
  return (code & BADONION) !== 0;
}
