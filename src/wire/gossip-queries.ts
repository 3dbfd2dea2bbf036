// Payload encodings inside BOLT 7 query messages: encoded_short_ids, encoded_timestamps and
// encoded_query_flags all start with an encoding byte. 0 means uncompressed; 1 (zlib) is
// obsolete and "MUST NOT be used", so it is rejected rather than inflated (which would also be
// a decompression-bomb risk for a browser node).
import { ByteReader, ByteWriter } from '../util/bytes.js';
import type { Scid } from '../types.js';
import { readBigSize } from './bigsize.js';
import { WireError } from './errors.js';
import { restArray, short_channel_id, u32 } from './fields.js';
import { struct } from './codec.js';

export const ENCODING_UNCOMPRESSED = 0;
export const ENCODING_ZLIB = 1;

/** query_channel_range `query_option` bits. */
export const QUERY_OPTION_WANT_TIMESTAMPS = 1n;
export const QUERY_OPTION_WANT_CHECKSUMS = 2n;

function checkEncoding(encoding: number, what: string): void {
  if (encoding === ENCODING_ZLIB) throw new WireError('UNSUPPORTED', `${what}: zlib encoding is obsolete and not supported`);
  if (encoding !== ENCODING_UNCOMPRESSED) throw new WireError('BAD_VALUE', `${what}: unknown encoding type ${encoding}`);
}

const scidList = restArray(short_channel_id);

/** Decodes `encoded_short_ids` (encoding byte + u64s). */
export function decodeShortChannelIds(encoded: Uint8Array): Scid[] {
  if (encoded.length === 0) throw new WireError('TRUNCATED', 'encoded_short_ids: missing encoding type');
  checkEncoding(encoded[0]!, 'encoded_short_ids');
  return scidList.read(new ByteReader(encoded.subarray(1)));
}

/** Encodes `encoded_short_ids`, uncompressed. */
export function encodeShortChannelIds(scids: readonly Scid[]): Uint8Array {
  const w = new ByteWriter().u8(ENCODING_UNCOMPRESSED);
  scidList.write(w, [...scids]);
  return w.finish();
}

const timestampList = restArray(
  struct('channel_update_timestamps', [
    ['timestamp_node_id_1', u32],
    ['timestamp_node_id_2', u32],
  ]),
);

/** Decodes reply_channel_range's `timestamps_tlv`. */
export function decodeTimestamps(tlv: {
  encoding_type: number;
  encoded_timestamps: Uint8Array;
}): { timestamp_node_id_1: number; timestamp_node_id_2: number }[] {
  checkEncoding(tlv.encoding_type, 'encoded_timestamps');
  return timestampList.read(new ByteReader(tlv.encoded_timestamps));
}

/** Decodes query_short_channel_ids' `query_flags` (one BigSize per queried scid). */
export function decodeQueryFlags(tlv: { encoding_type: number; encoded_query_flags: Uint8Array }): bigint[] {
  checkEncoding(tlv.encoding_type, 'encoded_query_flags');
  const r = new ByteReader(tlv.encoded_query_flags);
  const out: bigint[] = [];
  while (r.remaining > 0) out.push(readBigSize(r));
  return out;
}
