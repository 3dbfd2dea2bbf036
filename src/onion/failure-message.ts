// Codec for failure messages (`failuremsg`: 2-byte code, the code's fields, optional TLV stream),
// driven entirely by FAILURE_TABLE (wire-engine structs).
import { ByteReader, ByteWriter, ByteError } from '../util/bytes.js';
import { WireError } from '../wire/index.js';
import { parseTlvStream, TlvParseError } from './codec.js';
import { OnionError } from './errors.js';
import { clnFailcodeName, failureSpecByCode, failureSpecByName, type FailureName } from './failure-codes.js';

export type FailureFieldValue = number | bigint | Uint8Array;
export type FailureFields = Record<string, FailureFieldValue>;

export interface FailureMessageInput {
  /** BOLT name or numeric code (unknown numeric codes are allowed with raw `data`). */
  code: FailureName | number;
  /** Field values by BOLT name; channel_update is the full message bytes (starting 0x0102). */
  fields?: FailureFields;
  /** For codes outside the table: the bytes after the code. */
  data?: Uint8Array;
  /** Optional trailing TLV stream (already encoded). */
  tlv?: Uint8Array;
}

export interface DecodedFailureMessage {
  failcode: number;
  /** BOLT name when the code is in the table. */
  name?: string;
  /** Core Lightning's WIRE_… name; absent for codes CLN does not know. */
  failcodename?: string;
  fields: FailureFields;
  /** Trailing TLV stream after the fields, if any. */
  tlv?: Uint8Array;
}

export function encodeFailureMessage(m: FailureMessageInput): Uint8Array {
  const spec = typeof m.code === 'number' ? failureSpecByCode(m.code) : failureSpecByName(m.code);
  const code = typeof m.code === 'number' ? m.code : spec?.code;
  if (code === undefined || !Number.isInteger(code) || code < 0 || code > 0xffff) throw new OnionError('BAD_ARGUMENT', `unknown failure code ${String(m.code)}`);
  const w = new ByteWriter().u16(code);
  if (spec !== undefined) {
    try {
      spec.codec.write(w, m.fields ?? {});
    } catch (e) {
      if (e instanceof WireError) throw new OnionError('BAD_ARGUMENT', `${spec.name}: ${e.message}`);
      throw e;
    }
  } else if (m.data !== undefined) {
    w.bytes(m.data);
  }
  if (m.tlv !== undefined) w.bytes(m.tlv);
  return w.finish();
}

/** Strict decode of a failure message; throws OnionError 'BAD_FAILURE' when fields are truncated. */
export function decodeFailureMessage(msg: Uint8Array): DecodedFailureMessage {
  if (msg.length < 2) throw new OnionError('BAD_FAILURE', 'failure message shorter than its 2-byte code');
  const r = new ByteReader(msg);
  const failcode = r.u16();
  const out: DecodedFailureMessage = { failcode, fields: {} };
  const spec = failureSpecByCode(failcode);
  const clnName = clnFailcodeName(failcode);
  if (clnName !== undefined) out.failcodename = clnName;
  if (spec === undefined) {
    if (r.remaining > 0) out.fields.data = r.rest().slice();
    return out;
  }
  out.name = spec.name;
  try {
    out.fields = spec.codec.read(r) as FailureFields;
  } catch (e) {
    if (e instanceof WireError || e instanceof ByteError) throw new OnionError('BAD_FAILURE', `${spec.name}: truncated fields (${e.message})`);
    throw e;
  }
  if (r.remaining > 0) {
    const tlv = r.rest();
    try {
      parseTlvStream(tlv);
    } catch (e) {
      if (e instanceof TlvParseError) throw new OnionError('BAD_FAILURE', `${spec.name}: trailing bytes are not a TLV stream`);
      throw e;
    }
    out.tlv = tlv.slice();
  }
  return out;
}
