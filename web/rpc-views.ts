// Adapters from Core Lightning's result objects (as the Worker client returns them: plain data,
// u64 values as bigint) to the small typed views the page renders and the route builder uses.
// The page may talk to any peer and any future runtime, so every field is checked rather than
// cast: a missing or odd field drops that field (or the item), never crashes the page.
import type { RpcObject, RpcValue } from '../src/worker/types.js';

export interface ChannelView {
  peer_id: string;
  peer_connected: boolean;
  /** CLN's state name, e.g. CHANNELD_NORMAL. */
  state: string;
  channel_id?: string;
  short_channel_id?: string;
  /** Our local alias for the channel (what sendpay accepts when there is no real scid yet). */
  alias_local?: string;
  alias_remote?: string;
  to_us_msat?: bigint;
  total_msat?: bigint;
  spendable_msat?: bigint;
  receivable_msat?: bigint;
}

export interface RouteHintHopView {
  pubkey: string;
  short_channel_id: string;
  fee_base_msat: bigint;
  fee_proportional_millionths: number;
  cltv_expiry_delta: number;
}

export interface InvoiceView {
  currency: string;
  payee: string;
  payment_hash: string;
  payment_secret?: string;
  amount_msat?: bigint;
  description?: string;
  description_hash?: string;
  created_at: number;
  expiry: number;
  min_final_cltv_expiry: number;
  payment_metadata?: string;
  routes: RouteHintHopView[][];
}

export type PaymentStatus = 'pending' | 'complete' | 'failed';

export interface PaymentView {
  created_index: bigint;
  payment_hash: string;
  groupid: bigint;
  partid?: bigint;
  status: PaymentStatus;
  destination?: string;
  amount_msat?: bigint;
  amount_sent_msat: bigint;
  created_at: number;
  completed_at?: number;
  payment_preimage?: string;
  label?: string;
  bolt11?: string;
  description?: string;
}

/** The shape of an RpcError (code, message, data) whatever class carried it across Comlink. */
export interface RpcErrorView {
  code: number;
  message: string;
  data?: unknown;
}

export class ViewError extends Error {}

/** Copies only the defined members: results omit absent keys, and so do the views. */
function assignDefined<T extends object>(target: T, extra: Partial<T>): T {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** u64 as bigint from bigint, a safe integer, or digits (older CLN wrote "123msat"). */
export function u64(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v >= 0n ? v : undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  if (typeof v === 'string') {
    const m = /^([0-9]{1,20})(msat)?$/.exec(v);
    return m ? BigInt(m[1]!) : undefined;
  }
  return undefined;
}

/** u32-ish numbers (times, CLTV deltas, indexes) as number. */
export function u32(v: unknown): number | undefined {
  const b = u64(v);
  return b !== undefined && b <= 0xffffffffn ? Number(b) : undefined;
}

function arrayField(result: RpcObject, key: string): RpcValue[] {
  const v = result[key];
  if (!Array.isArray(v)) throw new ViewError(`the result has no "${key}" array`);
  return v;
}

export function channelView(c: unknown): ChannelView | undefined {
  if (!isObject(c)) return undefined;
  const peer_id = str(c.peer_id);
  const state = str(c.state);
  if (peer_id === undefined || state === undefined) return undefined;
  const view: ChannelView = { peer_id, state, peer_connected: c.peer_connected === true };
  const alias = isObject(c.alias) ? c.alias : {};
  return assignDefined(view, {
    channel_id: str(c.channel_id),
    short_channel_id: str(c.short_channel_id),
    alias_local: str(alias.local),
    alias_remote: str(alias.remote),
    to_us_msat: u64(c.to_us_msat),
    total_msat: u64(c.total_msat),
    spendable_msat: u64(c.spendable_msat),
    receivable_msat: u64(c.receivable_msat),
  });
}

/** `listpeerchannels` → channels the page can show (malformed entries are skipped). */
export function channelViews(result: RpcObject): ChannelView[] {
  return arrayField(result, 'channels').flatMap((c) => channelView(c) ?? []);
}

export interface PeerView {
  id: string;
  connected: boolean;
  /** CLN's `netaddr`: where the connection goes (or came from). */
  netaddr?: string;
}

/** `listpeers` → peers and whether they are connected (for the connection state after a reload). */
export function peerViews(result: RpcObject): PeerView[] {
  return arrayField(result, 'peers').flatMap((p): PeerView[] => {
    if (!isObject(p)) return [];
    const id = str(p.id);
    if (id === undefined) return [];
    const view: PeerView = { id: id.toLowerCase(), connected: p.connected === true };
    const addr = Array.isArray(p.netaddr) ? str(p.netaddr[0]) : undefined;
    return [assignDefined(view, { netaddr: addr })];
  });
}

/** The id sendpay accepts for the first hop: the real scid, else our local alias (CLN's T-1). */
export function channelScid(c: ChannelView): string | undefined {
  return c.short_channel_id ?? c.alias_local;
}

function hintHop(h: unknown): RouteHintHopView | undefined {
  if (!isObject(h)) return undefined;
  const pubkey = str(h.pubkey);
  const scid = str(h.short_channel_id);
  const base = u64(h.fee_base_msat);
  const prop = u32(h.fee_proportional_millionths);
  const delta = u32(h.cltv_expiry_delta);
  if (pubkey === undefined || scid === undefined || base === undefined || prop === undefined || delta === undefined) return undefined;
  return { pubkey: pubkey.toLowerCase(), short_channel_id: scid, fee_base_msat: base, fee_proportional_millionths: prop, cltv_expiry_delta: delta };
}

/** `decode` of a bolt11 string → the fields the page shows and routes with. */
export function invoiceView(result: RpcObject): InvoiceView {
  if (result.type !== 'bolt11 invoice') throw new ViewError(`not a BOLT 11 invoice (decode says type "${String(result.type)}")`);
  const payee = str(result.payee);
  const payment_hash = str(result.payment_hash);
  const created_at = u32(result.created_at);
  const expiry = u32(result.expiry);
  const min_final = u32(result.min_final_cltv_expiry);
  if (payee === undefined || payment_hash === undefined || created_at === undefined || expiry === undefined || min_final === undefined) {
    throw new ViewError('the decoded invoice lacks payee, payment_hash, created_at, expiry or min_final_cltv_expiry');
  }
  const routes: RouteHintHopView[][] = [];
  if (Array.isArray(result.routes)) {
    for (const r of result.routes) {
      if (!Array.isArray(r)) continue;
      const hops = r.map(hintHop);
      // A hint with one unreadable hop cannot be followed at all; drop the whole hint.
      if (hops.length > 0 && hops.every((h) => h !== undefined)) routes.push(hops as RouteHintHopView[]);
    }
  }
  const view: InvoiceView = {
    currency: str(result.currency) ?? '',
    payee: payee.toLowerCase(),
    payment_hash: payment_hash.toLowerCase(),
    created_at,
    expiry,
    min_final_cltv_expiry: min_final,
    routes,
  };
  return assignDefined(view, {
    payment_secret: str(result.payment_secret),
    amount_msat: u64(result.amount_msat),
    description: str(result.description),
    description_hash: str(result.description_hash),
    payment_metadata: str(result.payment_metadata),
  });
}

function isStatus(v: unknown): v is PaymentStatus {
  return v === 'pending' || v === 'complete' || v === 'failed';
}

/** One payment object (sendpay, waitsendpay, listsendpays, notifications) → view, or undefined. */
export function paymentView(p: unknown): PaymentView | undefined {
  if (!isObject(p)) return undefined;
  const created_index = u64(p.created_index ?? p.id);
  const payment_hash = str(p.payment_hash);
  const amount_sent_msat = u64(p.amount_sent_msat);
  const created_at = u32(p.created_at);
  if (created_index === undefined || payment_hash === undefined || !isStatus(p.status) || amount_sent_msat === undefined || created_at === undefined) {
    return undefined;
  }
  const view: PaymentView = { created_index, payment_hash, groupid: u64(p.groupid) ?? 0n, status: p.status, amount_sent_msat, created_at };
  return assignDefined(view, {
    partid: u64(p.partid),
    destination: str(p.destination),
    amount_msat: u64(p.amount_msat),
    completed_at: u32(p.completed_at),
    payment_preimage: str(p.payment_preimage),
    label: str(p.label),
    bolt11: str(p.bolt11) ?? str(p.bolt12),
    description: str(p.description),
  });
}

export function paymentViews(result: RpcObject): PaymentView[] {
  return arrayField(result, 'payments').flatMap((p) => paymentView(p) ?? []);
}

/** An RpcError (or anything shaped like one: Comlink may hand over a plain object). */
export function rpcErrorOf(e: unknown): RpcErrorView | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const r = e as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof r.code !== 'number' || typeof r.message !== 'string') return undefined;
  return r.data === undefined ? { code: r.code, message: r.message } : { code: r.code, message: r.message, data: r.data };
}

/** A message for errors that are not RpcErrors (worker crashed, network, bugs). */
export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** One line for any error: Core Lightning's code and message verbatim when it is an RpcError. */
export function errorLine(e: unknown): string {
  const r = rpcErrorOf(e);
  return r === undefined ? errorText(e) : `Error ${r.code}: ${r.message}`;
}
