// Codec for failure messages (`failuremsg`: 2-byte code, the code's fields, optional TLV stream),
// driven entirely by FAILURE_TABLE.
import { ByteReader, ByteWriter, ByteError } from '../util/bytes.js';
import { readBigSize, writeBigSize, parseTlvStream, TlvParseError } from './codec.js';
import { OnionError } from './errors.js';
import { clnFailcodeName, failureSpecByCode, failureSpecByName, type FailureFieldKind, type FailureName } from './failure-codes.js';

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

function writeField(w: ByteWriter, kind: FailureFieldKind, name: string, v: FailureFieldValue | undefined): void {
  const need = (ok: boolean): void => {
    if (!ok) throw new OnionError('BAD_ARGUMENT', `failure field ${name} is missing or has the wrong type for ${kind}`);
  };
  switch (kind) {
    case 'u16':
      need(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff);
      w.u16(v as number);
      return;
    case 'u32':
      need(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
      w.u32(v as number);
      return;
    case 'u64':
      need(typeof v === 'bigint' && v >= 0n && v <= 0xffffffffffffffffn);
      w.u64(v as bigint);
      return;
    case 'bigsize':
      need(typeof v === 'bigint');
      writeBigSize(w, v as bigint);
      return;
    case 'sha256':
      need(v instanceof Uint8Array && v.length === 32);
      w.bytes(v as Uint8Array);
      return;
    case 'channel_update':
      need(v instanceof Uint8Array && v.length <= 0xffff);
      w.u16((v as Uint8Array).length).bytes(v as Uint8Array);
      return;
  }
}

export function encodeFailureMessage(m: FailureMessageInput): Uint8Array {
  const spec = typeof m.code === 'number' ? failureSpecByCode(m.code) : failureSpecByName(m.code);
  const code = typeof m.code === 'number' ? m.code : spec?.code;
  if (code === undefined || !Number.isInteger(code) || code < 0 || code > 0xffff) throw new OnionError('BAD_ARGUMENT', `unknown failure code ${String(m.code)}`);
  const w = new ByteWriter().u16(code);
  if (spec !== undefined) {
    for (const f of spec.fields) writeField(w, f.kind, f.name, m.fields?.[f.name]);
  } else if (m.data !== undefined) {
    w.bytes(m.data);
  }
  if (m.tlv !== undefined) w.bytes(m.tlv);
  return w.finish();
}

function readField(r: ByteReader, buf: Uint8Array, kind: FailureFieldKind): FailureFieldValue {
  switch (kind) {
    case 'u16':
      return r.u16();
    case 'u32':
      return r.u32();
    case 'u64':
      return r.u64();
    case 'sha256':
      return r.bytes(32).slice();
    case 'channel_update':
      return r.bytes(r.u16()).slice();
    case 'bigsize': {
      const { value, size } = readBigSize(buf, r.offset);
      r.bytes(size);
      return value;
    }
  }
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
    for (const f of spec.fields) out.fields[f.name] = readField(r, msg, f.kind);
  } catch (e) {
    if (e instanceof ByteError || e instanceof OnionError) throw new OnionError('BAD_FAILURE', `${spec.name}: truncated fields`);
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
