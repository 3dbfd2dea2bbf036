// BOLT 11 writer: our node key signs. payment_secret is always present (our invoices require it)
// and the var_onion_optin + payment_secret features are set compulsory.
import { bech32 } from '@scure/base';
import { isValidPubkey, pubkeyCreate, sha256, signRecoverable } from '../crypto/secp256k1.js';
import { concatBytes, utf8, u64be } from '../util/bytes.js';
import type { Scid } from '../types.js';
import { formatHrpAmount } from './amount.js';
import { BECH32_CHARSET, decodeInvoice } from './decode.js';
import { InvoiceError } from './errors.js';
import { fallbackFromAddress } from './fallback.js';
import { featureWordsFromBits } from './features.js';
import { networkInfo, type Network } from './networks.js';
import type { Invoice, RouteHintHop } from './types.js';
import { bytesToWords, intToWords, wordsToBytes } from './words.js';

export interface EncodeInvoiceOptions {
  network: Network;
  amount_msat?: bigint;
  /** Seconds since epoch; defaults to now. */
  timestamp?: number;
  payment_hash: Uint8Array;
  payment_secret: Uint8Array;
  description?: string;
  description_hash?: Uint8Array;
  payment_metadata?: Uint8Array;
  expiry?: number;
  min_final_cltv_expiry_delta?: number;
  /** Addresses of the invoice's network. */
  fallbacks?: string[];
  route_hints?: RouteHintHop[][];
  /** Defaults to 8 (var_onion_optin), 14 (payment_secret), 17 (basic_mpp), plus 49 with metadata. */
  feature_bits?: number[];
  /** Also write the n field (lets readers skip public-key recovery). */
  include_payee?: boolean;
}

function field(tag: string, words: number[]): number[] {
  if (words.length >= 1024) throw new InvoiceError('BAD_ARGUMENT', `field '${tag}' is too long`);
  return [BECH32_CHARSET.indexOf(tag), words.length >> 5, words.length & 31, ...words];
}

function need(ok: boolean, why: string): void {
  if (!ok) throw new InvoiceError('BAD_ARGUMENT', why);
}

/** Encodes and signs an invoice with `nodeSecret`; returns the lower-case string. */
export function encodeInvoice(o: EncodeInvoiceOptions, nodeSecret: Uint8Array): string {
  const net = networkInfo(o.network);
  need(net !== undefined, 'unknown network');
  need(o.payment_hash instanceof Uint8Array && o.payment_hash.length === 32, 'payment_hash must be 32 bytes');
  need(o.payment_secret instanceof Uint8Array && o.payment_secret.length === 32, 'payment_secret must be 32 bytes');
  need((o.description === undefined) !== (o.description_hash === undefined), 'exactly one of description and description_hash is required');
  need(o.description_hash === undefined || o.description_hash.length === 32, 'description_hash must be 32 bytes');
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  need(Number.isInteger(timestamp) && timestamp >= 0 && timestamp < 2 ** 35, 'timestamp out of range');

  const data: number[] = [...intToWords(BigInt(timestamp), 7)];
  data.push(...field('p', bytesToWords(o.payment_hash)));
  data.push(...field('s', bytesToWords(o.payment_secret)));
  if (o.description !== undefined) data.push(...field('d', bytesToWords(utf8(o.description))));
  if (o.description_hash !== undefined) data.push(...field('h', bytesToWords(o.description_hash)));
  if (o.payment_metadata !== undefined) data.push(...field('m', bytesToWords(o.payment_metadata)));
  if (o.expiry !== undefined) {
    need(Number.isInteger(o.expiry) && o.expiry >= 0, 'expiry must be a non-negative integer');
    data.push(...field('x', intToWords(BigInt(o.expiry))));
  }
  if (o.min_final_cltv_expiry_delta !== undefined) {
    need(Number.isInteger(o.min_final_cltv_expiry_delta) && o.min_final_cltv_expiry_delta >= 0, 'min_final_cltv_expiry_delta must be a non-negative integer');
    data.push(...field('c', intToWords(BigInt(o.min_final_cltv_expiry_delta))));
  }
  for (const a of o.fallbacks ?? []) {
    const f = fallbackFromAddress(a, net);
    need(f !== undefined, `fallback ${a} is not an address of ${o.network}`);
    data.push(...field('f', [f!.version, ...bytesToWords(f!.data)]));
  }
  for (const route of o.route_hints ?? []) {
    need(route.length > 0, 'empty route hint');
    const bytes = concatBytes(
      ...route.map((h) => {
        need(isValidPubkey(h.pubkey), 'route hint pubkey is invalid');
        const b = new Uint8Array(51);
        const v = new DataView(b.buffer);
        b.set(h.pubkey, 0);
        b.set(u64be(h.short_channel_id as Scid), 33);
        v.setUint32(41, h.fee_base_msat);
        v.setUint32(45, h.fee_proportional_millionths);
        v.setUint16(49, h.cltv_expiry_delta);
        return b;
      }),
    );
    data.push(...field('r', bytesToWords(bytes)));
  }
  const bits = o.feature_bits ?? [8, 14, 17, ...(o.payment_metadata !== undefined ? [49] : [])];
  need(bits.includes(14) || bits.includes(15), 'invoices we write always carry the payment_secret feature');
  data.push(...field('9', featureWordsFromBits(bits)));
  const payee = pubkeyCreate(nodeSecret);
  if (o.include_payee === true) data.push(...field('n', bytesToWords(payee)));

  const hrp = `ln${net.prefix}${o.amount_msat !== undefined ? formatHrpAmount(o.amount_msat) : ''}`;
  const msgHash = sha256(concatBytes(utf8(hrp), wordsToBytes(data, false)));
  const { signature, recoveryId } = signRecoverable(msgHash, nodeSecret);
  const sigWords = bytesToWords(concatBytes(signature, new Uint8Array([recoveryId])));
  return bech32.encode(hrp, [...data, ...sigWords], false);
}

/** Encodes, then decodes our own output as a reader would (a self-check callers may use). */
export function encodeAndDecodeInvoice(o: EncodeInvoiceOptions, nodeSecret: Uint8Array): Invoice {
  return decodeInvoice(encodeInvoice(o, nodeSecret));
}
