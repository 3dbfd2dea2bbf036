// Shared fixtures for the invoices tests: our node, a deterministic random source, and the
// invoice RPC run end to end (params → plan → complete) the way the runtime sequences it.
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import {
  INVOICE_PARAMS,
  ZERO_INVOICE_COUNTERS,
  completeInvoice,
  planInvoice,
  type InvoiceCounters,
  type InvoiceCreated,
  type InvoiceRecord,
  type RouteHintCandidate,
} from '../../../src/invoices/index.js';
import { parseParams, tokenFromValue, type Outcome } from '../../../src/rpc/index.js';
import { scid, type Scid } from '../../../src/types.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';

export const NODE_SECRET = fromHex('33'.repeat(32));
export const NODE_ID = toHex(pubkeyCreate(NODE_SECRET));
export const PEER_ID = toHex(pubkeyCreate(fromHex('44'.repeat(32))));
export const PEER2_ID = toHex(pubkeyCreate(fromHex('55'.repeat(32))));
export const NOW = 1_738_000_000;
export const HEIGHT = 800_000;
export const PEER_ALIAS: Scid = scid((16000000n << 40n) | (5n << 16n) | 1n);
export const REAL_SCID: Scid = scid((700000n << 40n) | (3n << 16n) | 0n);

/** Deterministic "random" bytes: a counter, so preimages differ between calls. */
export function counterRandom(seed = 1): (n: number) => Uint8Array {
  let c = seed;
  return (n) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (c * 31 + i * 7) & 0xff;
    c++;
    return b;
  };
}

export function candidate(over: Partial<RouteHintCandidate> = {}): RouteHintCandidate {
  return {
    peer_id: PEER_ID,
    short_channel_id: PEER_ALIAS,
    other_scids: [REAL_SCID],
    fee_base_msat: 1,
    fee_proportional_millionths: 10,
    cltv_expiry_delta: 6,
    receivable_msat: 500_000_000n,
    capacity_msat: 1_000_000_000n,
    public: false,
    usable: true,
    peer_connected: true,
    ...over,
  };
}

export interface World {
  invoices: InvoiceRecord[];
  counters: InvoiceCounters;
  candidates: RouteHintCandidate[];
  random: (n: number) => Uint8Array;
  now: number;
}

export function world(over: Partial<World> = {}): World {
  return { invoices: [], counters: ZERO_INVOICE_COUNTERS, candidates: [candidate()], random: counterRandom(), now: NOW, ...over };
}

/** The invoice RPC as the runtime runs it; on success the record is stored in `w`. */
export function invoice(w: World, params: unknown, metadata?: Uint8Array): Outcome<InvoiceCreated> {
  const parsed = parseParams(INVOICE_PARAMS, tokenFromValue(params));
  if (!parsed.ok) return parsed;
  const plan = planInvoice(parsed.value, { network: 'regtest', now: w.now, random: w.random, ...(metadata ? { payment_metadata: metadata } : {}) });
  if (!plan.ok) return plan;
  const done = completeInvoice(plan.value, {
    network: 'regtest',
    node_secret: NODE_SECRET,
    random: w.random,
    route_hints: w.candidates,
    existing_by_hash: w.invoices.find((r) => r.payment_hash === plan.value.payment_hash),
    existing_by_label: w.invoices.find((r) => r.label === plan.value.label),
    counters: w.counters,
  });
  if (done.ok) {
    w.invoices.push(done.value.record);
    w.counters = done.value.counters;
  }
  return done;
}

export function created(o: Outcome<InvoiceCreated>): InvoiceCreated {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.value;
}

export function errorOf<T>(o: Outcome<T>): { code: number; message: string; data?: unknown } {
  if (o.ok) throw new Error('expected an error');
  return o.error.toJSON();
}
