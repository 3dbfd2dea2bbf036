// Lightning helpers over daemons: peers, zero-conf channels, routes in Core Lightning's sendpay
// shape, invoices, waiting for outcomes, and an independent reading of BOLT 4 failure messages
// (raw_message) and the channel_update they carry.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { RpcError } from '../../../src/rpc/errors.js';
import type { Daemon } from './daemon.js';
import type { Json, JsonObject } from './rpc-client.js';

/** Polls `f` until it returns something other than undefined. */
export async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const msat = (v: Json | undefined): bigint => {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' || typeof v === 'string') return BigInt(v);
  throw new Error(`not an amount: ${String(v)}`);
};

/** BOLT 7 direction bit of a channel as seen from `from` towards `to`. */
export const direction = (from: string, to: string): number => (from < to ? 0 : 1);

export async function connect(from: Daemon, to: Daemon): Promise<void> {
  const r = await from.call<{ id: string }>('connect', { id: to.address });
  if (r.id !== to.id) throw new Error(`connected to ${r.id}, expected ${to.id}`);
}

export async function channels(n: Daemon, peer?: Daemon): Promise<JsonObject[]> {
  const { channels } = await n.call<{ channels: JsonObject[] }>('listpeerchannels', peer ? { id: peer.id } : {});
  return channels;
}

export async function channelById(n: Daemon, channelId: string): Promise<JsonObject | undefined> {
  return (await channels(n)).find((c) => c.channel_id === channelId);
}

export interface ChannelPair {
  channel_id: string;
  funder: Daemon;
  fundee: Daemon;
  /** Each side's alias.local: the name a route uses for the channel when that side sends on it. */
  aliasAt(n: Daemon): string;
  capacityMsat: bigint;
}

/**
 * A private zero-conf channel, funder → fundee, ready on both sides (the fundee must have been
 * started with --zeroconf-from funder). `pushMsat` gives the fundee a starting balance.
 */
export async function openChannel(funder: Daemon, fundee: Daemon, sat: number, pushMsat?: bigint): Promise<ChannelPair> {
  const f = await funder.call<{ channel_id: string }>('fundchannel', {
    id: fundee.id,
    amount: sat,
    announce: false,
    mindepth: 0,
    ...(pushMsat !== undefined ? { push_msat: pushMsat } : {}),
  });
  const aliases = new Map<string, string>();
  for (const n of [funder, fundee]) {
    const ch = await until(`${n.name}: channel ${f.channel_id} normal`, async () => {
      const c = await channelById(n, f.channel_id);
      return c && c.state === 'CHANNELD_NORMAL' && c.peer_connected === true ? c : undefined;
    });
    aliases.set(n.id, (ch.alias as JsonObject).local as string);
  }
  return {
    channel_id: f.channel_id,
    funder,
    fundee,
    capacityMsat: BigInt(sat) * 1000n,
    aliasAt: (n) => {
      const a = aliases.get(n.id);
      if (a === undefined) throw new Error(`${n.name} is not on channel ${f.channel_id}`);
      return a;
    },
  };
}

export interface Hop {
  id: string;
  channel: string;
  amount_msat: bigint;
  delay: number;
}

export interface Invoice {
  bolt11: string;
  payment_hash: string;
  payment_secret: string;
}

export async function invoice(n: Daemon, amountMsat: bigint, label: string, extra: Record<string, unknown> = {}): Promise<Invoice> {
  return n.call<Invoice & JsonObject>('invoice', { amount_msat: amountMsat, label, description: label, ...extra });
}

export async function invoiceRow(n: Daemon, label: string): Promise<JsonObject> {
  const { invoices } = await n.call<{ invoices: JsonObject[] }>('listinvoices', { label });
  if (invoices.length !== 1) throw new Error(`${n.name}: ${invoices.length} invoices labelled ${label}`);
  return invoices[0]!;
}

export async function sendpays(n: Daemon, paymentHash: string): Promise<JsonObject[]> {
  return (await n.call<{ payments: JsonObject[] }>('listsendpays', { payment_hash: paymentHash })).payments;
}

export async function forwards(n: Daemon): Promise<JsonObject[]> {
  return (await n.call<{ forwards: JsonObject[] }>('listforwards', {})).forwards;
}

/** waitsendpay that must fail: the RpcError as the daemon sent it. */
export async function failureOf(payer: Daemon, paymentHash: string, timeout = 60): Promise<RpcError> {
  try {
    const r = await payer.call('waitsendpay', { payment_hash: paymentHash, timeout });
    throw new Error(`payment ${paymentHash} did not fail: ${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
}

/** Waits until none of the nodes' channels holds an HTLC (the last revoke_and_ack may trail waitsendpay). */
export async function noHtlcsLeft(nodes: Daemon[], timeoutMs = 30_000): Promise<void> {
  await until(
    'no HTLCs left',
    async () => {
      for (const n of nodes) for (const c of await channels(n)) if ((c.htlcs as Json[]).length > 0) return undefined;
      return true;
    },
    timeoutMs,
  );
}

// ---------------------------------------------------------------- BOLT 4 failure messages

export interface ChannelUpdateView {
  signatureValid: boolean;
  short_channel_id: string;
  message_flags: number;
  channel_flags: number;
  cltv_expiry_delta: number;
  htlc_minimum_msat: bigint;
  fee_base_msat: number;
  fee_proportional_millionths: number;
  htlc_maximum_msat: bigint;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

const be = (b: Uint8Array, at: number, len: number): bigint => {
  let v = 0n;
  for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(b[at + i]!);
  return v;
};

function scidText(v: bigint): string {
  return `${v >> 40n}x${(v >> 16n) & 0xffffffn}x${v & 0xffffn}`;
}

/** Reads a channel_update message (type 258 included) and checks its signature against `signer`. */
export function readChannelUpdate(bytes: Uint8Array, signer: string): ChannelUpdateView {
  if (be(bytes, 0, 2) !== 258n) throw new Error('not a channel_update');
  const sig = bytes.slice(2, 66);
  const signed = bytes.slice(66);
  const digest = sha256(sha256(signed));
  const o = 66 + 32; // after the chain hash
  return {
    signatureValid: secp256k1.verify(sig, digest, hexBytes(signer), { prehash: false, format: 'compact' }),
    short_channel_id: scidText(be(bytes, o, 8)),
    message_flags: Number(be(bytes, o + 12, 1)),
    channel_flags: Number(be(bytes, o + 13, 1)),
    cltv_expiry_delta: Number(be(bytes, o + 14, 2)),
    htlc_minimum_msat: be(bytes, o + 16, 8),
    fee_base_msat: Number(be(bytes, o + 24, 4)),
    fee_proportional_millionths: Number(be(bytes, o + 28, 4)),
    htlc_maximum_msat: be(bytes, o + 32, 8),
  };
}

export interface FailureMessageView {
  failcode: number;
  htlc_msat?: bigint;
  height?: number;
  cltv_expiry?: number;
  channel_update?: ChannelUpdateView;
  /** Bytes after the fields this reader knows (must be none). */
  trailing: number;
}

/** Reads the failure messages these tests expect (BOLT 4 layouts), checking any channel_update's signature. */
export function readFailureMessage(rawHex: string, updateSigner: string): FailureMessageView {
  const b = hexBytes(rawHex);
  const failcode = Number(be(b, 0, 2));
  let at = 2;
  const out: FailureMessageView = { failcode, trailing: 0 };
  const update = () => {
    const len = Number(be(b, at, 2));
    out.channel_update = readChannelUpdate(b.slice(at + 2, at + 2 + len), updateSigner);
    at += 2 + len;
  };
  switch (failcode) {
    case 0x100c: // fee_insufficient: htlc_msat, channel_update
    case 0x100b: // amount_below_minimum
      out.htlc_msat = be(b, at, 8);
      at += 8;
      update();
      break;
    case 0x100d: // incorrect_cltv_expiry: cltv_expiry, channel_update
      out.cltv_expiry = Number(be(b, at, 4));
      at += 4;
      update();
      break;
    case 0x100e: // expiry_too_soon
    case 0x1007: // temporary_channel_failure
      update();
      break;
    case 0x400f: // incorrect_or_unknown_payment_details: htlc_msat, height
      out.htlc_msat = be(b, at, 8);
      out.height = Number(be(b, at + 8, 4));
      at += 12;
      break;
    case 0x0012: // final_incorrect_cltv_expiry
      out.cltv_expiry = Number(be(b, at, 4));
      at += 4;
      break;
    default:
      break;
  }
  out.trailing = b.length - at;
  return out;
}

export const jsonText = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x), 1);
