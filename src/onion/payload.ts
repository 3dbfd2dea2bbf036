// Hop payloads (BOLT 4 `payload` TLV stream): what the origin tells each hop. Writers emit the
// minimal tu64/tu32 encodings; readers enforce them and the per-hop-kind required fields, and
// report failures as invalid_onion_payload (type + byte offset), as BOLT 4 asks.
import { ByteWriter, u64be } from '../util/bytes.js';
import type { Scid } from '../types.js';
import { OnionError } from './errors.js';
import { decodeTu, encodeBigSize, encodeTu, parseTlvStream, TlvParseError, writeTlvRecord } from './codec.js';

export const TLV_AMT_TO_FORWARD = 2n;
export const TLV_OUTGOING_CLTV_VALUE = 4n;
export const TLV_SHORT_CHANNEL_ID = 6n;
export const TLV_PAYMENT_DATA = 8n;
export const TLV_PAYMENT_METADATA = 16n;

export interface PaymentData {
  payment_secret: Uint8Array; // 32 bytes
  total_msat: bigint;
}

export interface UnknownTlv {
  type: bigint;
  value: Uint8Array;
}

/** One hop's instructions, with BOLT field names. */
export interface HopPayload {
  amt_to_forward: bigint;
  outgoing_cltv_value: number;
  /** Present for forwarding hops, absent for the final hop. */
  short_channel_id?: Scid;
  payment_data?: PaymentData;
  payment_metadata?: Uint8Array;
  /** Records we do not interpret (odd types only when writing; readers fail on unknown even). */
  unknown?: UnknownTlv[];
}

/** The TLV stream of a hop payload (without its BigSize length prefix). */
export function encodeHopPayload(p: HopPayload): Uint8Array {
  const records: UnknownTlv[] = [
    { type: TLV_AMT_TO_FORWARD, value: encodeTu(p.amt_to_forward, 8) },
    { type: TLV_OUTGOING_CLTV_VALUE, value: encodeTu(BigInt(p.outgoing_cltv_value), 4) },
  ];
  if (p.short_channel_id !== undefined) records.push({ type: TLV_SHORT_CHANNEL_ID, value: u64be(p.short_channel_id) });
  if (p.payment_data !== undefined) {
    if (p.payment_data.payment_secret.length !== 32) throw new OnionError('BAD_ARGUMENT', 'payment_secret must be 32 bytes');
    const v = new ByteWriter().bytes(p.payment_data.payment_secret).bytes(encodeTu(p.payment_data.total_msat, 8)).finish();
    records.push({ type: TLV_PAYMENT_DATA, value: v });
  }
  if (p.payment_metadata !== undefined) records.push({ type: TLV_PAYMENT_METADATA, value: p.payment_metadata });
  for (const u of p.unknown ?? []) {
    if (KNOWN_TYPES.has(u.type)) throw new OnionError('BAD_ARGUMENT', `TLV type ${u.type} is not an unknown record`);
    records.push(u);
  }
  records.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const w = new ByteWriter();
  for (let i = 0; i < records.length; i++) {
    if (i > 0 && records[i]!.type === records[i - 1]!.type) throw new OnionError('BAD_ARGUMENT', `duplicate TLV type ${records[i]!.type}`);
    writeTlvRecord(w, records[i]!.type, records[i]!.value);
  }
  return w.finish();
}

/** Payload as it sits in the onion: BigSize length prefix + TLV stream. */
export function frameHopPayload(tlv: Uint8Array): Uint8Array {
  const prefix = encodeBigSize(BigInt(tlv.length));
  const out = new Uint8Array(prefix.length + tlv.length);
  out.set(prefix, 0);
  out.set(tlv, prefix.length);
  return out;
}

const KNOWN_TYPES = new Set([TLV_AMT_TO_FORWARD, TLV_OUTGOING_CLTV_VALUE, TLV_SHORT_CHANNEL_ID, TLV_PAYMENT_DATA, TLV_PAYMENT_METADATA]);

/** invalid_onion_payload details: the offending TLV type and its byte offset. */
export class PayloadError extends OnionError {
  constructor(
    message: string,
    readonly tlvType: bigint,
    readonly offset: number,
  ) {
    super('BAD_PAYLOAD', message);
  }
}

export type HopKind = 'forward' | 'final';

/**
 * Decodes a hop payload TLV stream. `baseOffset` is added to record offsets so that they are
 * offsets in the decrypted hop_payloads byte stream (i.e. after the BigSize length prefix).
 */
export function decodeHopPayload(tlv: Uint8Array, kind: HopKind, baseOffset = 0): HopPayload {
  let records;
  try {
    records = parseTlvStream(tlv, baseOffset);
  } catch (e) {
    if (e instanceof TlvParseError) throw new PayloadError(e.message, e.tlvType, e.offset);
    throw e;
  }
  let amt: bigint | undefined;
  let cltv: number | undefined;
  const out: Partial<HopPayload> & { unknown: UnknownTlv[] } = { unknown: [] };
  for (const r of records) {
    const bad = (why: string): never => {
      throw new PayloadError(`TLV ${r.type}: ${why}`, r.type, r.offset);
    };
    switch (r.type) {
      case TLV_AMT_TO_FORWARD:
        amt = decodeTu(r.value, 8) ?? bad('amt_to_forward is not a minimal tu64');
        break;
      case TLV_OUTGOING_CLTV_VALUE: {
        const v = decodeTu(r.value, 4) ?? bad('outgoing_cltv_value is not a minimal tu32');
        cltv = Number(v);
        break;
      }
      case TLV_SHORT_CHANNEL_ID:
        if (r.value.length !== 8) bad('short_channel_id must be 8 bytes');
        out.short_channel_id = new DataView(r.value.buffer, r.value.byteOffset, 8).getBigUint64(0) as Scid;
        break;
      case TLV_PAYMENT_DATA: {
        if (r.value.length < 32) bad('payment_data is shorter than 32 bytes');
        const total = decodeTu(r.value.subarray(32), 8) ?? bad('total_msat is not a minimal tu64');
        out.payment_data = { payment_secret: r.value.slice(0, 32), total_msat: total };
        break;
      }
      case TLV_PAYMENT_METADATA:
        out.payment_metadata = r.value.slice();
        break;
      default:
        // "It's OK to be odd": unknown odd records are kept, unknown even ones are fatal.
        if ((r.type & 1n) === 0n) bad('unknown even type');
        out.unknown.push({ type: r.type, value: r.value.slice() });
    }
  }
  if (amt === undefined) throw new PayloadError('missing amt_to_forward', TLV_AMT_TO_FORWARD, 0);
  if (cltv === undefined) throw new PayloadError('missing outgoing_cltv_value', TLV_OUTGOING_CLTV_VALUE, 0);
  if (kind === 'forward' && out.short_channel_id === undefined) throw new PayloadError('forwarding hop without short_channel_id', TLV_SHORT_CHANNEL_ID, 0);
  const result: HopPayload = { amt_to_forward: amt, outgoing_cltv_value: cltv };
  if (out.short_channel_id !== undefined) result.short_channel_id = out.short_channel_id;
  if (out.payment_data !== undefined) result.payment_data = out.payment_data;
  if (out.payment_metadata !== undefined) result.payment_metadata = out.payment_metadata;
  if (out.unknown.length > 0) result.unknown = out.unknown;
  return result;
}
