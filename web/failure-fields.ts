// The fields inside a failure message (`raw_message`: 2-byte code + the code's data), written as
// sentences: "the recipient saw 1 sat at block 108" says more than `400f…03e80000006c`.
// Decoding reuses the onion layer's table-driven codec so the page never re-describes layouts.
import { decodeFailureMessage, type DecodedFailureMessage, type FailureFieldValue } from '../src/onion/failure-message.js';
import { fromHex, isHex, toHex } from '../src/util/bytes.js';
import { formatMsat } from './format.js';

function big(v: FailureFieldValue | undefined): bigint | undefined {
  return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(v) : undefined;
}

function num(v: FailureFieldValue | undefined): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/** Human lines for the data of a failure message; an explanation line when it cannot be read. */
export function describeRawMessage(rawHex: string): string[] {
  if (!isHex(rawHex) || rawHex.length < 4) return [`raw_message is not a failure message (${rawHex.length / 2} bytes).`];
  let decoded: DecodedFailureMessage;
  try {
    decoded = decodeFailureMessage(fromHex(rawHex));
  } catch (e) {
    return [`raw_message could not be decoded: ${e instanceof Error ? e.message : String(e)}`];
  }
  const f = decoded.fields;
  const lines: string[] = [];
  const htlc = big(f.htlc_msat);
  if (htlc !== undefined) lines.push(`Amount that node received: ${formatMsat(htlc)} (${htlc} msat).`);
  const incoming = big(f.incoming_htlc_amt);
  if (incoming !== undefined) lines.push(`Amount the recipient received: ${formatMsat(incoming)} (${incoming} msat).`);
  const height = num(f.height);
  if (height !== undefined) lines.push(`Block height the recipient was at: ${height}.`);
  const cltv = num(f.cltv_expiry);
  if (cltv !== undefined) lines.push(`CLTV expiry it received: block ${cltv}.`);
  const disabled = num(f.disabled_flags);
  if (disabled !== undefined) lines.push(`Disabled flags: 0x${disabled.toString(16).padStart(4, '0')}.`);
  const type = big(f.type);
  const offset = num(f.offset);
  if (type !== undefined && offset !== undefined) lines.push(`The problem is onion field type ${type}, at byte offset ${offset} of its payload.`);
  if (f.sha256_of_onion instanceof Uint8Array) lines.push(`SHA-256 of the onion it received: ${toHex(f.sha256_of_onion)}.`);
  if (f.channel_update instanceof Uint8Array && f.channel_update.length > 0) {
    lines.push(`It attached its current channel_update (${f.channel_update.length} bytes), with the fees and limits it wants.`);
  }
  if (decoded.tlv !== undefined) lines.push(`Extra TLV data: ${decoded.tlv.length} bytes.`);
  return lines;
}
