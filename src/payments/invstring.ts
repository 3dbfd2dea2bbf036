// listsendpays/listpays `bolt11`: the invoice string's payment hash, as CLN finds it — a BOLT 11
// invoice for THIS node's chain, else a BOLT 12 invoice. We have no BOLT 12 decoder, so BOLT 12
// strings get a reason that says so instead of the bech32 checksum complaint the BOLT 11 reader
// would give (BOLT 12 strings carry no checksum).
import { LightningError } from '../errors.js';
import { decodeInvoice } from '../invoice/decode.js';
import { bolt11PrefixForChain } from '../invoice/networks.js';
import { toHex } from '../util/bytes.js';
import type { Network } from '../wire/chains.js';
import type { InvstringDecoder } from './listsendpays.js';

/** BOLT 12 human-readable parts, and what each kind of string is. */
const BOLT12_KINDS: readonly (readonly [prefix: string, what: string])[] = [
  ['lni1', 'a BOLT 12 invoice'],
  ['lno1', 'a BOLT 12 offer, not an invoice'],
  ['lnr1', 'a BOLT 12 invoice_request, not an invoice'],
];

function bolt12Reason(s: string): string | undefined {
  const kind = BOLT12_KINDS.find(([prefix]) => s.startsWith(prefix));
  return kind === undefined ? undefined : `${kind[1]}: this node cannot decode BOLT 12`;
}

/** The decoder for a node on `network`; input is canonical (no `lightning:`, lowercase). */
export function invstringDecoderFor(network: Network): InvstringDecoder {
  const currency = bolt11PrefixForChain(network);
  return (s) => {
    try {
      const inv = decodeInvoice(s);
      if (inv.currency !== currency) {
        return { ok: false, reason: `invoice is for ${inv.network} (ln${inv.currency}), this node runs on ${network} (ln${currency})` };
      }
      return { ok: true, payment_hash: toHex(inv.payment_hash) };
    } catch (e) {
      // Only the decoder's typed refusals describe the input; anything else is a bug to surface.
      if (!(e instanceof LightningError)) throw e;
      return { ok: false, reason: bolt12Reason(s) ?? e.message };
    }
  };
}
