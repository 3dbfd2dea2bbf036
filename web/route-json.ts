// The "JSON route" pay mode: a person pastes Core Lightning's sendpay route (or a whole getroute
// result) and the payment fields. The page checks only what it must to read the text (JSON
// syntax, an array of objects) and hands the rest to sendpay unchanged, so Core Lightning's own
// parameter errors (-32602 "route: bad node_id: …") reach the screen verbatim.
import { parseJson, JsonParseError } from '../src/rpc/json-parse.js';
import { tokenToValue, type PlainJson } from '../src/rpc/json-write.js';
import type { SendpayHop } from './route.js';
import { isObject, str } from './rpc-views.js';

export type ParsedRoute = { ok: true; route: PlainJson[]; hops: { id?: string; channel?: string }[] } | { ok: false; reason: string };

/** Parses route JSON; integers beyond 2^53 stay exact (bigint), as sendpay's u64 amounts need. */
export function parseRouteJson(text: string): ParsedRoute {
  if (text.trim() === '') return { ok: false, reason: 'Paste a route: a JSON array of hops like [{"id": "02…", "channel": "1x2x3", "amount_msat": 1000, "delay": 18}].' };
  let value: PlainJson;
  try {
    value = tokenToValue(parseJson(text));
  } catch (e) {
    if (e instanceof JsonParseError) return { ok: false, reason: `The route is not valid JSON: ${e.message}` };
    throw e;
  }
  // getroute answers { "route": [...] }; accept it as pasted.
  if (isObject(value) && Array.isArray(value.route)) value = value.route;
  if (!Array.isArray(value)) return { ok: false, reason: 'The route must be a JSON array of hops (or a getroute result with a "route" array).' };
  const hops = value.map((h) => {
    if (!isObject(h)) return {};
    const hop: { id?: string; channel?: string } = {};
    const id = str(h.node_id_out) ?? str(h.id);
    const channel = str(h.short_channel_id_dir) ?? str(h.channel);
    if (id !== undefined) hop.id = id.toLowerCase();
    if (channel !== undefined) hop.channel = channel.replace(/\/[01]$/, '');
    return hop;
  });
  return { ok: true, route: value, hops };
}

/** A built route as the text a person can read and edit (amounts as JSON integers). */
export function routeToJson(route: readonly SendpayHop[]): string {
  const hop = (h: SendpayHop): string =>
    `  { "id": ${JSON.stringify(h.id)}, "channel": ${JSON.stringify(h.channel)}, "amount_msat": ${h.amount_msat}, "delay": ${h.delay} }`;
  return `[\n${route.map(hop).join(',\n')}\n]`;
}

export interface ManualPayment {
  routeText: string;
  payment_hash: string;
  payment_secret: string;
  amount_msat: string;
  bolt11?: string;
  label?: string;
}

export type SendpayRequest = { ok: true; params: Record<string, unknown>; hops: { id?: string; channel?: string }[] } | { ok: false; reason: string };

/** sendpay's named params from the JSON-route form; empty optional fields are left out. */
export function manualSendpayParams(m: ManualPayment): SendpayRequest {
  const parsed = parseRouteJson(m.routeText);
  if (!parsed.ok) return parsed;
  const params: Record<string, unknown> = { route: parsed.route, payment_hash: m.payment_hash.trim() };
  const optional: [string, string | undefined][] = [
    ['payment_secret', m.payment_secret],
    ['amount_msat', m.amount_msat],
    ['bolt11', m.bolt11],
    ['label', m.label],
  ];
  for (const [k, v] of optional) if (v !== undefined && v.trim() !== '') params[k] = v.trim();
  return { ok: true, params, hops: parsed.hops };
}
