// The `invoice` RPC, in two pure steps around the runtime's store reads:
//   planInvoice(params, ctx)   → parameter-level checks, preimage/hash/secret (Core Lightning's
//                                json_invoice up to the listincoming call)
//   runtime reads the invoices with plan.label and plan.payment_hash
//   completeInvoice(plan, ctx) → route hints (902), encode + sign, duplicate preimage (901), then
//                                duplicate label (900): invoice_complete's order
// and then commits `record` and `counters` in one transaction before answering `result`.
import { encodeInvoice, networkInfo, NETWORKS, type Network as InvoiceNetwork, type RouteHintHop } from '../invoice/index.js';
import { fallbackFromAddress } from '../invoice/fallback.js';
import { JSONRPC2_INVALID_PARAMS, LIGHTNINGD, fail, ok, type Outcome } from '../rpc/errors.js';
import { tokenText } from '../rpc/json-parse.js';
import { sha256 } from '../crypto/secp256k1.js';
import { fromHex, toHex, utf8 } from '../util/bytes.js';
import { INVOICE_HINTS_GAVE_NO_ROUTES, INVOICE_LABEL_ALREADY_EXISTS, INVOICE_PREIMAGE_ALREADY_EXISTS } from './errors.js';
import type { ChanHints, InvoiceParams } from './params.js';
import { u64Key, type InvoiceCounters, type InvoiceIndexBump, type InvoiceRecord } from './record.js';
import { chooseRouteHints, type RouteHintCandidate } from './route-hints.js';
import { paymentHashOf, paymentSecretOf } from './secret.js';

/** Core Lightning's inv_max_label_len. */
export const MAX_LABEL_BYTES = 128;
/** BOLT11_FIELD_BYTE_LIMIT: a `d` field's 10-bit length counts 5-bit words, so < 640 bytes fit. */
export const DESCRIPTION_BYTE_LIMIT = 640;
/** BOLT 11 features of our invoices: var_onion_optin (8) and payment_secret (14) compulsory, basic_mpp (17). */
export const INVOICE_FEATURES: readonly number[] = [8, 14, 17];
/** option_payment_metadata, set when the invoice carries metadata. */
export const PAYMENT_METADATA_FEATURE = 49;

export interface PlanContext {
  readonly network: InvoiceNetwork;
  /** Unix seconds. */
  readonly now: number;
  readonly random: (n: number) => Uint8Array;
  /** Not an RPC parameter: the runtime may attach payment_metadata to an invoice it creates. */
  readonly payment_metadata?: Uint8Array;
}

export interface InvoicePlan {
  readonly label: string;
  readonly amount_msat: bigint | 'any';
  readonly description: string;
  readonly deschashonly: boolean;
  readonly expiry: bigint;
  readonly created_at: number;
  readonly expires_at: number;
  readonly fallbacks: readonly string[];
  readonly preimage: string;
  readonly payment_hash: string;
  readonly payment_secret: string;
  readonly cltv: number;
  readonly chanhints?: ChanHints;
  readonly payment_metadata?: Uint8Array;
}

function byteLength(s: string): number {
  return utf8(s).length;
}

/** json_invoice's checks and derivations, in its order. */
export function planInvoice(p: InvoiceParams, ctx: PlanContext): Outcome<InvoicePlan> {
  if (byteLength(p.label.raw) > MAX_LABEL_BYTES) {
    return fail(JSONRPC2_INVALID_PARAMS, `Label '${p.label.raw}' over ${MAX_LABEL_BYTES} bytes`);
  }
  const descBytes = byteLength(p.description);
  // At exactly 640 bytes the field length would wrap (Core Lightning's check lets it through and
  // writes a broken invoice); we refuse it with the same message.
  if (descBytes >= DESCRIPTION_BYTE_LIMIT && !p.deschashonly) {
    return fail(JSONRPC2_INVALID_PARAMS, `Descriptions greater than ${DESCRIPTION_BYTE_LIMIT} bytes not yet supported (description length ${descBytes})`);
  }
  const fallbacks: string[] = [];
  for (const t of p.fallbacks?.items ?? []) {
    const addr = tokenText(t);
    if (fallbackFromAddress(addr, networkInfo(ctx.network)) === undefined) {
      const elsewhere = NETWORKS.some((n) => n.network !== ctx.network && fallbackFromAddress(addr, n) !== undefined);
      return elsewhere
        ? fail(LIGHTNINGD, `Fallback address does not match our network ${ctx.network}`)
        : fail(LIGHTNINGD, 'Fallback address not valid');
    }
    fallbacks.push(addr);
  }
  const preimage = p.preimage !== undefined ? fromHex(p.preimage) : ctx.random(32);
  // Seconds past 2^53 cannot be a JS number: such an invoice simply never expires in practice.
  const expiresAt = BigInt(ctx.now) + p.expiry;
  return ok({
    label: p.label.value,
    amount_msat: p.amount_msat,
    description: p.description,
    deschashonly: p.deschashonly,
    expiry: p.expiry,
    created_at: ctx.now,
    expires_at: expiresAt > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(expiresAt),
    fallbacks,
    preimage: toHex(preimage),
    payment_hash: toHex(paymentHashOf(preimage)),
    payment_secret: toHex(paymentSecretOf(preimage)),
    cltv: p.cltv,
    ...(p.exposeprivatechannels === undefined ? {} : { chanhints: p.exposeprivatechannels }),
    ...(ctx.payment_metadata === undefined ? {} : { payment_metadata: ctx.payment_metadata }),
  });
}

export interface CompleteContext {
  readonly network: InvoiceNetwork;
  /** Signs the invoice (BOLT 11 signature by our node key). */
  readonly node_secret: Uint8Array;
  readonly random: (n: number) => Uint8Array;
  readonly route_hints: readonly RouteHintCandidate[];
  /** Stored invoices with the plan's payment_hash / label, as the runtime found them. */
  readonly existing_by_hash: InvoiceRecord | undefined;
  readonly existing_by_label: InvoiceRecord | undefined;
  readonly counters: InvoiceCounters;
}

/** The `invoice` result in Core Lightning's field order (warnings only when set). */
export type InvoiceResult = {
  readonly payment_hash: string;
  readonly expires_at: number;
  readonly bolt11: string;
  readonly payment_secret: string;
  readonly created_index: bigint;
  readonly warning_mpp?: string;
  readonly warning_capacity?: string;
  readonly warning_deadends?: string;
  readonly warning_offline?: string;
  readonly warning_private_unused?: string;
};

/** invoice_creation notification payload (msat only for invoices with an amount). */
export type InvoiceCreationNotification = { readonly msat?: bigint; readonly preimage: string; readonly label: string };

export interface InvoiceCreated {
  readonly record: InvoiceRecord;
  readonly counters: InvoiceCounters;
  readonly bump: InvoiceIndexBump;
  readonly result: InvoiceResult;
  readonly notification: { readonly topic: 'invoice_creation'; readonly payload: InvoiceCreationNotification };
}

export function completeInvoice(plan: InvoicePlan, ctx: CompleteContext): Outcome<InvoiceCreated> {
  const amount = plan.amount_msat === 'any' ? undefined : plan.amount_msat;
  const hints = chooseRouteHints(ctx.route_hints, amount, plan.chanhints, ctx.random);
  if (hints.hints_gave_no_routes) return fail(INVOICE_HINTS_GAVE_NO_ROUTES, 'None of those hints were suitable local channels');

  const features = plan.payment_metadata === undefined ? [...INVOICE_FEATURES] : [...INVOICE_FEATURES, PAYMENT_METADATA_FEATURE];
  const bolt11 = encodeInvoice(
    {
      network: ctx.network,
      ...(amount === undefined ? {} : { amount_msat: amount }),
      timestamp: plan.created_at,
      payment_hash: fromHex(plan.payment_hash),
      payment_secret: fromHex(plan.payment_secret),
      ...(plan.deschashonly ? { description_hash: sha256(utf8(plan.description)) } : { description: plan.description }),
      ...(plan.payment_metadata === undefined ? {} : { payment_metadata: plan.payment_metadata }),
      expiry: Number(plan.expiry),
      min_final_cltv_expiry_delta: plan.cltv,
      fallbacks: [...plan.fallbacks],
      route_hints: hints.routes satisfies RouteHintHop[][],
      feature_bits: features,
    },
    ctx.node_secret,
  );

  // invoice_complete: duplicate preimage first ("unlikely unless they specified it!"), then label.
  if (ctx.existing_by_hash !== undefined) return fail(INVOICE_PREIMAGE_ALREADY_EXISTS, 'preimage already used');
  if (ctx.existing_by_label !== undefined) return fail(INVOICE_LABEL_ALREADY_EXISTS, `Duplicate label '${plan.label}'`);

  const created = ctx.counters.created + 1n;
  const record: InvoiceRecord = {
    label: plan.label,
    bolt11,
    payment_hash: plan.payment_hash,
    payment_secret: plan.payment_secret,
    preimage: plan.preimage,
    amount_msat: plan.amount_msat,
    description: plan.description,
    expires_at: plan.expires_at,
    status: 'unpaid',
    created_index: created,
    updated_index: 0n,
    created_key: u64Key(created),
    min_final_cltv_expiry: plan.cltv,
    ...(plan.payment_metadata === undefined ? {} : { payment_metadata: plan.payment_metadata }),
    feature_bits: features,
    created_at: plan.created_at,
  };
  const result: InvoiceResult = {
    payment_hash: plan.payment_hash,
    expires_at: plan.expires_at,
    bolt11,
    payment_secret: plan.payment_secret,
    created_index: created,
    ...(hints.warning_mpp ? { warning_mpp: 'The invoice is only payable by MPP-capable payers.' } : {}),
    ...(hints.warning_capacity ? { warning_capacity: 'Insufficient incoming channel capacity to pay invoice' } : {}),
    ...(hints.warning_deadends ? { warning_deadends: 'Insufficient incoming capacity, once dead-end peers were excluded' } : {}),
    ...(hints.warning_offline ? { warning_offline: 'Insufficient incoming capacity, once offline peers were excluded' } : {}),
    ...(hints.warning_private_unused
      ? { warning_private_unused: 'Insufficient incoming capacity, once private channels were excluded (try exposeprivatechannels=true?)' }
      : {}),
  };
  return ok({
    record,
    counters: { ...ctx.counters, created },
    bump: { subsystem: 'invoices', index: 'created', value: created, details: { status: 'unpaid', label: plan.label, bolt11 } },
    result,
    notification: {
      topic: 'invoice_creation',
      payload: { ...(amount === undefined ? {} : { msat: amount }), preimage: plan.preimage, label: plan.label },
    },
  });
}
