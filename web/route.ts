// Building a sendpay route for a BOLT 11 invoice the way a person does it by hand: our channel to
// a peer, then the invoice's route hint from that peer to the payee (or straight to the payee when
// it is our peer). Pure, so the amounts and CLTVs are unit-tested against Core Lightning's rules.
//
// Core Lightning's hop semantics (spec/cln-payments.md §1.1, §4 T-3): hop i names node i and the
// channel INTO node i; `amount_msat` is what node i must receive and `delay` the CLTV delta at
// node i. So we compute backwards from the payee: it receives the invoice amount with
// min_final_cltv_expiry; each forwarding node receives what it forwards plus its fee, with its
// cltv_expiry_delta added on top. A route hint hop describes the channel FROM its pubkey towards
// the next node, with that pubkey's fee and delta for it (BOLT 11 `r` field).
import { formatMsat, shortId } from './format.js';
import { channelScid, type ChannelView, type InvoiceView, type RouteHintHopView } from './rpc-views.js';

export interface SendpayHop {
  id: string;
  channel: string;
  amount_msat: bigint;
  delay: number;
}

export interface RouteRequest {
  invoice: Pick<InvoiceView, 'payee' | 'amount_msat' | 'min_final_cltv_expiry' | 'routes'>;
  /** The amount to pay when the invoice names none (ignored otherwise: the invoice wins). */
  amount_msat?: bigint;
  channels: readonly ChannelView[];
}

export interface BuiltRoute {
  ok: true;
  route: SendpayHop[];
  /** What the payee receives. */
  amount_msat: bigint;
  /** Sum of the forwarding fees: what leaves our channel minus what the payee receives. */
  fee_msat: bigint;
  /** The channel the HTLC leaves on. */
  channel: ChannelView;
  /** The route hint followed (index into invoice.routes, from which of its hops); absent when the payee is our peer. */
  hint?: { index: number; from: number };
  /** Things that will probably make the payment fail, said before sending rather than after. */
  warnings: string[];
}

export interface NoRoute {
  ok: false;
  reason: string;
}

export const READY_STATE = 'CHANNELD_NORMAL';

/** BOLT 7: fee_base_msat + amount_to_forward × fee_proportional_millionths / 1,000,000 (rounded down). */
export function forwardingFee(hop: Pick<RouteHintHopView, 'fee_base_msat' | 'fee_proportional_millionths'>, amountToForward: bigint): bigint {
  return hop.fee_base_msat + (amountToForward * BigInt(hop.fee_proportional_millionths)) / 1_000_000n;
}

/**
 * The hops after our channel: hint hops (each forwards to the next pubkey, the last to the
 * payee), computed backwards from the payee's amount and final CLTV.
 */
export function hopsThroughHint(
  firstChannel: string,
  hint: readonly RouteHintHopView[],
  payee: string,
  amount: bigint,
  finalCltv: number,
): SendpayHop[] {
  const route: SendpayHop[] = [];
  let amt = amount;
  let delay = finalCltv;
  // The payee is reached over the last hint hop's channel.
  let intoChannel = hint.length > 0 ? hint[hint.length - 1]!.short_channel_id : firstChannel;
  route.unshift({ id: payee, channel: intoChannel, amount_msat: amt, delay });
  for (let k = hint.length - 1; k >= 0; k--) {
    const h = hint[k]!;
    amt += forwardingFee(h, amt);
    delay += h.cltv_expiry_delta;
    intoChannel = k > 0 ? hint[k - 1]!.short_channel_id : firstChannel;
    route.unshift({ id: h.pubkey, channel: intoChannel, amount_msat: amt, delay });
  }
  return route;
}

interface Candidate {
  channel: ChannelView;
  scid: string;
  hint?: { index: number; from: number };
  hops: readonly RouteHintHopView[];
}

function candidates(req: RouteRequest, usable: readonly ChannelView[]): Candidate[] {
  const payee = req.invoice.payee.toLowerCase();
  const out: Candidate[] = [];
  const withScid = (c: ChannelView): string | undefined => channelScid(c);
  for (const c of usable) {
    const scid = withScid(c);
    if (scid !== undefined && c.peer_id.toLowerCase() === payee) out.push({ channel: c, scid, hops: [] });
  }
  req.invoice.routes.forEach((hint, index) => {
    hint.forEach((hop, from) => {
      if (hop.pubkey === payee) return; // a hint hop "from the payee" leads nowhere
      for (const c of usable) {
        const scid = withScid(c);
        if (scid !== undefined && c.peer_id.toLowerCase() === hop.pubkey) out.push({ channel: c, scid, hint: { index, from }, hops: hint.slice(from) });
      }
    });
  });
  return out;
}

function shortfall(c: ChannelView, sent: bigint): bigint {
  return c.spendable_msat !== undefined && c.spendable_msat < sent ? sent - c.spendable_msat : 0n;
}

/** Best first: a connected peer, enough spendable balance, least sent, fewest hops. */
function rank(a: BuiltRoute, b: BuiltRoute): number {
  const key = (r: BuiltRoute): [number, number] => [r.channel.peer_connected ? 0 : 1, shortfall(r.channel, r.route[0]!.amount_msat) > 0n ? 1 : 0];
  const [ka, kb] = [key(a), key(b)];
  if (ka[0] !== kb[0]) return ka[0] - kb[0];
  if (ka[1] !== kb[1]) return ka[1] - kb[1];
  const sa = a.route[0]!.amount_msat;
  const sb = b.route[0]!.amount_msat;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.route.length - b.route.length;
}

function warningsFor(r: BuiltRoute): string[] {
  const w: string[] = [];
  const sent = r.route[0]!.amount_msat;
  if (!r.channel.peer_connected) w.push(`Your peer ${shortId(r.channel.peer_id)} is not connected: sendpay will fail until it reconnects.`);
  if (shortfall(r.channel, sent) > 0n) {
    w.push(`Channel ${channelScid(r.channel) ?? ''} can send ${formatMsat(r.channel.spendable_msat ?? 0n)} now but this route needs ${formatMsat(sent)}: your own node will most likely refuse it.`);
  }
  return w;
}

export function buildRoute(req: RouteRequest): BuiltRoute | NoRoute {
  const amount = req.invoice.amount_msat ?? req.amount_msat;
  if (amount === undefined) return { ok: false, reason: 'The invoice has no amount: enter the amount to pay.' };
  if (req.channels.length === 0) return { ok: false, reason: 'You have no channels yet. Connect to a peer that opens one to you (the demo hub does).' };
  const usable = req.channels.filter((c) => c.state === READY_STATE && channelScid(c) !== undefined);
  if (usable.length === 0) {
    const states = [...new Set(req.channels.map((c) => c.state))].join(', ');
    return { ok: false, reason: `No channel is ready yet (${states}). Wait until one shows ${READY_STATE}.` };
  }
  const built = candidates(req, usable).map((cand): BuiltRoute => {
    const route = hopsThroughHint(cand.scid, cand.hops, req.invoice.payee.toLowerCase(), amount, req.invoice.min_final_cltv_expiry);
    const r: BuiltRoute = { ok: true, route, amount_msat: amount, fee_msat: route[0]!.amount_msat - amount, channel: cand.channel, warnings: [] };
    if (cand.hint !== undefined) r.hint = cand.hint;
    return r;
  });
  if (built.length === 0) {
    const hints = req.invoice.routes.length;
    return {
      ok: false,
      reason:
        `None of your channels leads to the payee ${shortId(req.invoice.payee)}: it is not one of your peers, and ` +
        (hints === 0 ? 'the invoice has no route hints.' : `none of the invoice's ${hints} route hint(s) passes through one of your peers.`),
    };
  }
  built.sort(rank);
  const best = built[0]!;
  best.warnings = warningsFor(best);
  return best;
}
