// An HTLC rejection as the runtime needs it: the BOLT 4 failure message (to wrap with
// buildFailurePacket and the HTLC's shared secret), its numeric code (for forward records and
// logs) and a human reason (for logs only: it never leaves the node).
import { clnFailcodeName, encodeFailureMessage, FAILCODE, type FailureFields, type FailureName } from '../onion/index.js';

export interface HtlcFailure {
  readonly failcode: number;
  readonly name: FailureName;
  /** `failuremsg`: 2-byte code followed by the code's fields. */
  readonly message: Uint8Array;
}

export function htlcFailure(name: FailureName, fields?: FailureFields): HtlcFailure {
  const message = fields === undefined ? encodeFailureMessage({ code: name }) : encodeFailureMessage({ code: name, fields });
  return { failcode: FAILCODE[name], name, message };
}

/** Core Lightning's `failreason` text for a code (WIRE_…), as listforwards shows it. */
export function failreasonOf(failcode: number): string {
  return clnFailcodeName(failcode) ?? `UNKNOWN ${failcode}`;
}
