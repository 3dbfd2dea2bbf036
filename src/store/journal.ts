// Journal framing for the file store. A journal is a magic header followed by records:
//   u32 payload length | u32 CRC-32 of the payload | u32 CRC-32 of the previous 8 bytes | payload
// The header CRC lets a scan tell a damaged length field from a short final write. On open, the
// records are read in order; at the first one that is not intact, the rest of the file is a torn
// tail (an append cut short by a crash, truncated away) only if no intact record starts anywhere
// after it. If one does, committed data would be lost by truncating, so that is corruption (IO).
import { crc32 } from './crc32.js';
import { StoreError } from './types.js';

export const JOURNAL_MAGIC = new TextEncoder().encode('lightning-worker journal v1\n');
export const RECORD_HEADER_BYTES = 12;
/** Upper bound on one record; a length above it is damage, not data. */
const MAX_RECORD_BYTES = 1 << 30;

export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length);
  view.setUint32(4, crc32(payload));
  view.setUint32(8, crc32(out, 0, 8));
  out.set(payload, RECORD_HEADER_BYTES);
  return out;
}

/** End offset of the intact record starting at `p`, or -1. */
function intactRecordAt(buf: Uint8Array, view: DataView, p: number): number {
  if (buf.length - p < RECORD_HEADER_BYTES) return -1;
  if (view.getUint32(p + 8) !== crc32(buf, p, p + 8)) return -1;
  const len = view.getUint32(p);
  const end = p + RECORD_HEADER_BYTES + len;
  if (len === 0 || len > MAX_RECORD_BYTES || end > buf.length) return -1;
  return view.getUint32(p + 4) === crc32(buf, p + RECORD_HEADER_BYTES, end) ? end : -1;
}

export interface JournalScan {
  /** Payloads of the intact records, in order (views into the buffer). */
  payloads: Uint8Array[];
  /** Bytes up to the end of the last intact record; the rest is a torn tail. */
  validLength: number;
}

export function scanJournal(buf: Uint8Array, where: string): JournalScan {
  const magic = JOURNAL_MAGIC;
  if (buf.length < magic.length || magic.some((b, i) => buf[i] !== b)) {
    throw new StoreError('IO', `${where} is not a lightning-worker journal (bad header)`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const payloads: Uint8Array[] = [];
  let p = magic.length;
  while (p < buf.length) {
    const end = intactRecordAt(buf, view, p);
    if (end < 0) break;
    payloads.push(buf.subarray(p + RECORD_HEADER_BYTES, end));
    p = end;
  }
  let from = p + 1;
  if (buf.length - p >= RECORD_HEADER_BYTES && view.getUint32(p + 8) === crc32(buf, p, p + 8)) {
    // The header is intact, so the record's extent is known: a record cut short ends past the
    // file and is the tail; a garbled one is the tail only if nothing intact comes after it (its
    // own payload is skipped: it may legitimately contain bytes that look like a record).
    from = p + RECORD_HEADER_BYTES + view.getUint32(p);
  }
  for (let q = from; q + RECORD_HEADER_BYTES <= buf.length; q++) {
    if (intactRecordAt(buf, view, q) >= 0) {
      throw new StoreError('IO', `${where} is corrupt at byte ${p}: intact records follow the damage, refusing to drop them`);
    }
  }
  return { payloads, validLength: p };
}
