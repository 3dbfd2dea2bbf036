// BOLT 1: `data` of error/warning "SHOULD NOT be printed verbatim" unless it is printable ASCII.
// This renders it safely for logs and events: the text if printable, else hex.
import { toHex, type Bytes } from '../util/bytes.js';

const MAX_SHOWN = 512;

export function describeData(data: Bytes): string {
  const shown = data.subarray(0, MAX_SHOWN);
  const more = data.length > MAX_SHOWN ? `… (${data.length} bytes)` : '';
  for (const b of shown) if (b < 32 || b > 126) return `0x${toHex(shown)}${more}`;
  return String.fromCharCode(...shown) + more;
}
