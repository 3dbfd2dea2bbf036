// The BOLT 4 failure codes as ONE declarative table: code, BOLT name, whether Core Lightning
// knows it (its `failcodename`), and the fields that follow the 2-byte code. The codec in
// failure-message.ts interprets this table both ways; nothing else lists fields per code.

export const BADONION = 0x8000;
export const PERM = 0x4000;
export const NODE = 0x2000;
export const UPDATE = 0x1000;

export type FailureFieldKind =
  | 'u16'
  | 'u32'
  | 'u64'
  | 'sha256'
  | 'bigsize'
  /** u16 length + that many bytes of channel_update (normally starting with type 0x0102). */
  | 'channel_update';

export interface FailureField {
  name: string;
  kind: FailureFieldKind;
}

export interface FailureSpec {
  code: number;
  name: string;
  /** False for codes Core Lightning no longer lists (they get no failcodename). */
  cln: boolean;
  fields: readonly FailureField[];
}

const sha: FailureField = { name: 'sha256_of_onion', kind: 'sha256' };
const upd: FailureField = { name: 'channel_update', kind: 'channel_update' };
const htlcMsat: FailureField = { name: 'htlc_msat', kind: 'u64' };

export const FAILURE_TABLE: readonly FailureSpec[] = [
  { code: PERM | 1, name: 'invalid_realm', cln: false, fields: [] },
  { code: NODE | 2, name: 'temporary_node_failure', cln: true, fields: [] },
  { code: PERM | NODE | 2, name: 'permanent_node_failure', cln: true, fields: [] },
  { code: PERM | NODE | 3, name: 'required_node_feature_missing', cln: true, fields: [] },
  { code: BADONION | PERM | 4, name: 'invalid_onion_version', cln: true, fields: [sha] },
  { code: BADONION | PERM | 5, name: 'invalid_onion_hmac', cln: true, fields: [sha] },
  { code: BADONION | PERM | 6, name: 'invalid_onion_key', cln: true, fields: [sha] },
  { code: UPDATE | 7, name: 'temporary_channel_failure', cln: true, fields: [upd] },
  { code: PERM | 8, name: 'permanent_channel_failure', cln: true, fields: [] },
  { code: PERM | 9, name: 'required_channel_feature_missing', cln: true, fields: [] },
  { code: PERM | 10, name: 'unknown_next_peer', cln: true, fields: [] },
  { code: UPDATE | 11, name: 'amount_below_minimum', cln: true, fields: [htlcMsat, upd] },
  { code: UPDATE | 12, name: 'fee_insufficient', cln: true, fields: [htlcMsat, upd] },
  { code: UPDATE | 13, name: 'incorrect_cltv_expiry', cln: true, fields: [{ name: 'cltv_expiry', kind: 'u32' }, upd] },
  { code: UPDATE | 14, name: 'expiry_too_soon', cln: true, fields: [upd] },
  { code: PERM | 15, name: 'incorrect_or_unknown_payment_details', cln: true, fields: [htlcMsat, { name: 'height', kind: 'u32' }] },
  { code: 18, name: 'final_incorrect_cltv_expiry', cln: true, fields: [{ name: 'cltv_expiry', kind: 'u32' }] },
  { code: 19, name: 'final_incorrect_htlc_amount', cln: true, fields: [{ name: 'incoming_htlc_amt', kind: 'u64' }] },
  { code: UPDATE | 20, name: 'channel_disabled', cln: true, fields: [{ name: 'disabled_flags', kind: 'u16' }, upd] },
  { code: 21, name: 'expiry_too_far', cln: true, fields: [] },
  { code: PERM | 22, name: 'invalid_onion_payload', cln: true, fields: [{ name: 'type', kind: 'bigsize' }, { name: 'offset', kind: 'u16' }] },
  { code: 23, name: 'mpp_timeout', cln: true, fields: [] },
  { code: BADONION | PERM | 24, name: 'invalid_onion_blinding', cln: true, fields: [sha] },
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
