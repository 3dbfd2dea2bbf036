// Plain-language sentences for Core Lightning's failure vocabulary: the BOLT 4 `failcodename`s
// (spec/cln-payments.md §6) and the RPC error codes (§3). The names and numbers stay on screen
// verbatim next to these; the sentences only say what they mean for the person paying.
import { BADONION, NODE, PERM, UPDATE } from '../src/payments/failcodes.js';

const FAILCODE_SENTENCES: Readonly<Record<string, string>> = {
  WIRE_TEMPORARY_NODE_FAILURE: 'A node on the route had a temporary problem and could not forward the payment.',
  WIRE_PERMANENT_NODE_FAILURE: 'A node on the route cannot forward payments at all any more.',
  WIRE_REQUIRED_NODE_FEATURE_MISSING: 'A node on the route requires a feature this payment did not use.',
  WIRE_INVALID_ONION_VERSION: 'A node could not read the payment onion: it does not know its version.',
  WIRE_INVALID_ONION_HMAC: "A node could not read the payment onion: its integrity check failed (corrupted, or built for another node's key).",
  WIRE_INVALID_ONION_KEY: 'A node could not read the payment onion: the key in it is not valid.',
  WIRE_TEMPORARY_CHANNEL_FAILURE: 'A channel on the route could not carry the payment right now (usually not enough balance on the sending side).',
  WIRE_PERMANENT_CHANNEL_FAILURE: 'A channel on the route is closed or can no longer be used.',
  WIRE_REQUIRED_CHANNEL_FEATURE_MISSING: 'A channel on the route requires a feature this payment did not use.',
  WIRE_UNKNOWN_NEXT_PEER: 'A node did not know where to send the payment next (unknown channel, or the next peer is offline).',
  WIRE_AMOUNT_BELOW_MINIMUM: 'The amount is below the smallest payment a channel on the route accepts.',
  WIRE_FEE_INSUFFICIENT: 'A node on the route asked for a higher fee than the route paid it.',
  WIRE_INCORRECT_CLTV_EXPIRY: 'A node on the route asked for more time (a larger CLTV delta) than the route gave it.',
  WIRE_EXPIRY_TOO_SOON: "The payment's time lock runs out too soon for a node on the route.",
  WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS: 'The recipient does not recognise this payment (wrong hash, secret or amount).',
  WIRE_FINAL_INCORRECT_CLTV_EXPIRY: "The recipient received a time lock that does not match the payment's instructions.",
  WIRE_FINAL_INCORRECT_HTLC_AMOUNT: "The recipient received a different amount than the payment's instructions say (a node on the way changed it).",
  WIRE_CHANNEL_DISABLED: 'A channel on the route is disabled (its other end is probably offline).',
  WIRE_EXPIRY_TOO_FAR: "The payment's time lock is too far in the future for a node on the route.",
  WIRE_INVALID_ONION_PAYLOAD: 'A node could not understand its part of the payment instructions (a field is missing or invalid).',
  WIRE_MPP_TIMEOUT: 'The recipient did not receive every part of this multi-part payment in time.',
  WIRE_INVALID_ONION_BLINDING: 'A node on a blinded route could not process the payment onion.',
};

/** What the failure flags of a code say, for codes without a known name. */
export function failcodeFlags(code: number): string[] {
  const flags: string[] = [];
  if (code & BADONION) flags.push('the onion was unreadable');
  if (code & PERM) flags.push('permanent');
  if (code & NODE) flags.push('about a whole node');
  if (code & UPDATE) flags.push('carries a channel update');
  return flags;
}

/** One sentence for a failure code: the named sentence, else what the flags tell. */
export function failcodeSentence(failcode: number, failcodename?: string): string {
  const named = failcodename === undefined ? undefined : FAILCODE_SENTENCES[failcodename];
  if (named !== undefined) return named;
  const hex = `0x${failcode.toString(16).padStart(4, '0')}`;
  const flags = failcodeFlags(failcode);
  return `A node reported failure code ${failcode} (${hex}), which Core Lightning does not name${flags.length > 0 ? `: ${flags.join(', ')}` : ''}.`;
}

const CODE_MEANINGS: Readonly<Record<number, string>> = {
  [-32600]: 'Invalid request: the call itself was malformed.',
  [-32601]: 'Unknown method: the node does not offer this command.',
  [-32602]: 'Invalid parameters: the node rejected the request before doing anything. Nothing was sent.',
  [-1]: 'Internal error in the node: nothing was sent.',
  200: 'In progress: the payment has not finished yet (or the wait timed out). It may still complete; do not pay again.',
  201: 'This payment hash was already used for a payment that conflicts with this one (already paid, or a failed attempt with the same part and group).',
  202: 'Unreadable reply: the error that came back (or the onion a node received) could not be parsed.',
  203: 'The destination refused the payment for good: retrying the same payment will not help.',
  204: 'A node or channel on the route failed: another route, or a later retry, may work.',
  205: 'No route to the destination was found.',
  206: 'The only routes found cost more than the allowed fee.',
  207: 'The invoice has expired.',
  208: 'No such payment: nothing was attempted for this hash, part and group.',
  209: 'The payment failed for a reason the node did not record.',
  210: 'The payer stopped retrying.',
  211: 'The payment is not in the status the command expected.',
  212: 'The invoice request (BOLT 12) is unknown, inactive or already used.',
  215: 'Not enough funds in the channels to pay this.',
  216: 'The destination is unreachable.',
  2000: 'Timed out while waiting.',
};

export function codeMeaning(code: number): string {
  return CODE_MEANINGS[code] ?? `Core Lightning error code ${code}.`;
}
