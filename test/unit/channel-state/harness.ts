// Two channel state machines wired back to back in memory. Every message goes through the wire
// codec; every persisted write goes into a per-node simulated store, and after every transition
// the node is rebuilt from that store (restoreChannel) and must equal the live machine.
import { expect } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate, sha256 } from '../../../src/crypto/secp256k1.js';
import { decodeMessage, encodeMessage, isUnknownMessage } from '../../../src/wire/messages.js';
import type { WireMessage } from '../../../src/wire/messages.js';
import { chainHash } from '../../../src/wire/chains.js';
import { featureBits } from '../../../src/wire/features.js';
import { txid } from '../../../src/channel/bitcoin/tx.js';
import type { Tx } from '../../../src/channel/bitcoin/tx.js';
import type { Sat } from '../../../src/types.js';
import {
  acceptChannel,
  channelKeysFromSeed,
  commit,
  fundingDepth,
  openChannel,
  peerConnected,
  peerDisconnected,
  provideFunding,
  receiveMessage,
  restoreChannel,
} from '../../../src/channel/state/index.js';
import type {
  Channel,
  ChannelEvent,
  ChannelKeySource,
  ChannelPolicy,
  ChannelRecord,
  HtlcRecord,
  NewChannelArgs,
  Side,
  Step,
} from '../../../src/channel/state/index.js';
import { buildCommitment, commitmentContents } from '../../../src/channel/state/commitments.js';

export const CHAIN = chainHash('regtest');
export const FEATURES = featureBits({
  option_data_loss_protect: 'required',
  option_static_remotekey: 'required',
  var_onion_optin: 'required',
  payment_secret: 'required',
  option_channel_type: 'optional',
  option_anchors: 'optional',
  option_scid_alias: 'optional',
  option_shutdown_anysegwit: 'optional',
  option_upfront_shutdown_script: 'optional',
});
export const ONION = new Uint8Array(1366).fill(7);

export interface SimStore {
  channel: ChannelRecord | null;
  htlcs: Map<string, HtlcRecord>;
}

export function roundTrip(m: WireMessage): WireMessage {
  const d = decodeMessage(encodeMessage(m));
  if (isUnknownMessage(d)) throw new Error('unknown message after round trip');
  return d;
}

/** Canonical text of plain data (bigint, bytes, null/undefined distinguished): a fast deep-equal. */
export function canon(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undef';
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `<${toHex(v)}>`;
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${k}:${canon(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function sortedHtlcs(ch: Channel): HtlcRecord[] {
  return [...ch.htlcs.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map((e) => e[1]);
}

export class Node {
  ch!: Channel;
  store: SimStore = { channel: null, htlcs: new Map() };
  readonly events: ChannelEvent[] = [];
  /** Messages this node sent, in order (after the wire round trip). */
  readonly sent: WireMessage[] = [];
  checkRestore = true;

  constructor(
    readonly name: string,
    readonly keys: ChannelKeySource,
    readonly nodeId: string,
  ) {}

  /** Applies a step: persist to the store, check restore, collect events, return what to send. */
  apply(step: Step): WireMessage[] {
    const w = step.persist;
    if (w.channel) this.store.channel = w.channel;
    for (const h of w.htlcs) this.store.htlcs.set(`${h.offerer}:${h.id}`, h);
    for (const k of w.deleted_htlcs) this.store.htlcs.delete(`${k[1]}:${k[2]}`);
    this.ch = step.channel;
    this.events.push(...step.events);
    if (this.checkRestore && this.ch.persisted) this.assertRestorable(w.htlcs);
    const out = step.send.map(roundTrip);
    this.sent.push(...out);
    return out;
  }

  restored(): Channel {
    return restoreChannel(this.keys, this.store.channel, [...this.store.htlcs.values()]);
  }

  /**
   * restore(store) must equal the live machine. The channel record is compared in full; HTLC
   * records by identity (an HTLC the machine changed without writing it would differ) plus a full
   * comparison of the ones written by the last step, which keeps 483-HTLC runs fast.
   */
  assertRestorable(written: readonly HtlcRecord[] = []): void {
    const r = this.restored();
    expect(canon(r.record)).toBe(canon(this.ch.record));
    expect(r.htlcs.size).toBe(this.ch.htlcs.size);
    for (const [k, h] of this.ch.htlcs) {
      if (this.store.htlcs.get(k) !== h) throw new Error(`HTLC ${k} changed in memory but was not persisted`);
    }
    for (const h of written) {
      const k = `${h.offerer}:${h.id}`;
      if (this.ch.htlcs.has(k)) expect(canon(r.htlcs.get(k))).toBe(canon(h));
    }
  }

  assertFullyRestorable(): void {
    const r = this.restored();
    expect(canon(r.record)).toBe(canon(this.ch.record));
    expect(canon(sortedHtlcs(r))).toBe(canon(sortedHtlcs(this.ch)));
  }

  /** Simulated crash: everything not persisted is gone. */
  crash(): void {
    this.ch = this.restored();
    // The restarted process reads its records back: from now on those are the stored objects.
    this.store.channel = this.ch.record;
    this.store.htlcs = new Map(this.ch.htlcs);
  }

  /** Replaces the whole store with an older copy (a restored backup) and restarts from it. */
  restoreBackup(backup: { channel: ChannelRecord | null; htlcs: HtlcRecord[] }): void {
    this.store.channel = backup.channel;
    this.store.htlcs = new Map(backup.htlcs.map((h) => [`${h.offerer}:${h.id}`, h]));
    this.crash();
  }

  take<T extends ChannelEvent['type']>(type: T): Extract<ChannelEvent, { type: T }>[] {
    const out: Extract<ChannelEvent, { type: T }>[] = [];
    for (let i = 0; i < this.events.length; ) {
      const e = this.events[i]!;
      if (e.type === type) {
        out.push(e as Extract<ChannelEvent, { type: T }>);
        this.events.splice(i, 1);
      } else i++;
    }
    return out;
  }
}

let seedCounter = 1;
export function newNode(name: string): Node {
  const seed = sha256(new TextEncoder().encode(`node-seed-${name}-${seedCounter++}`));
  const id = toHex(pubkeyCreate(sha256(seed)));
  return new Node(name, channelKeysFromSeed(seed), id);
}

/** Two nodes and the messages in flight between them. */
export class Link {
  readonly toB: WireMessage[] = [];
  readonly toA: WireMessage[] = [];
  constructor(
    readonly a: Node,
    readonly b: Node,
  ) {}

  peer(n: Node): Node {
    return n === this.a ? this.b : this.a;
  }

  queueTo(n: Node): WireMessage[] {
    return n === this.a ? this.toA : this.toB;
  }

  /** Applies a step on `n` and queues what it sends. */
  run(n: Node, step: Step): void {
    this.queueTo(this.peer(n)).push(...n.apply(step));
  }

  /** Delivers one queued message to `to`. Returns false if none. */
  deliverOne(to: Node): boolean {
    const m = this.queueTo(to).shift();
    if (!m) return false;
    this.run(to, receiveMessage(to.ch, m));
    return true;
  }

  /** Delivers until both queues are empty (alternating sides). */
  deliverAll(limit = 10_000): void {
    for (let i = 0; i < limit; i++) {
      const a = this.deliverOne(this.a);
      const b = this.deliverOne(this.b);
      if (!a && !b) return;
    }
    throw new Error('deliverAll did not quiesce');
  }

  commit(n: Node): void {
    this.run(n, commit(n.ch));
  }

  disconnect(): void {
    this.toA.length = 0;
    this.toB.length = 0;
    this.run(this.a, peerDisconnected(this.a.ch));
    this.run(this.b, peerDisconnected(this.b.ch));
    this.toA.length = 0;
    this.toB.length = 0;
  }

  reconnect(): void {
    this.run(this.a, peerConnected(this.a.ch));
    this.run(this.b, peerConnected(this.b.ch));
    this.deliverAll();
  }
}

export interface OpenOptions {
  readonly funding?: bigint;
  readonly push?: bigint;
  readonly feerate?: number;
  readonly anchors?: boolean;
  readonly zeroconf?: boolean;
  readonly scid_alias?: boolean;
  readonly trusted?: boolean;
  readonly policyA?: Partial<ChannelPolicy>;
  readonly policyB?: Partial<ChannelPolicy>;
  /** Confirmations reported to both sides after funding (default: enough). */
  readonly depth?: number;
}

export function args(n: Node, other: Node, opts: { policy?: Partial<ChannelPolicy>; trusted?: boolean; index?: number }): NewChannelArgs {
  return {
    keys: n.keys,
    key_index: opts.index ?? 0,
    peer: { node_id: other.nodeId, local_features: FEATURES, remote_features: FEATURES },
    chain_hash: CHAIN,
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(opts.trusted ? { trusted: true } : {}),
  };
}

/** A fake funding tx paying `amount` to `script` (nothing checks its input on this simulated chain). */
export function fakeFundingTx(script: Uint8Array, amount: bigint, salt: number): Tx {
  return {
    version: 2,
    inputs: [{ prevout: { txid: sha256(concatBytes(fromHex('00'), Uint8Array.of(salt))), vout: 0 }, scriptSig: new Uint8Array(0), sequence: 0xffffffff, witness: [] }],
    outputs: [{ value: amount as Sat, scriptPubKey: script }],
    locktime: 0,
  };
}

/** Runs the whole establishment up to NORMAL (or up to AWAITING_LOCKIN with `depth: 0` and no zero-conf). */
export function openLink(opts: OpenOptions = {}): Link {
  const a = newNode('A');
  const b = newNode('B');
  const link = new Link(a, b);
  const funding = opts.funding ?? 1_000_000n;
  link.run(
    a,
    openChannel({
      ...args(a, b, { ...(opts.policyA ? { policy: opts.policyA } : {}) }),
      funding_satoshis: funding,
      push_msat: opts.push ?? 0n,
      feerate_per_kw: opts.feerate ?? 2500,
      channel_type: { anchors: !!opts.anchors, zeroconf: !!opts.zeroconf, scid_alias: !!opts.scid_alias },
    }),
  );
  const open = link.toB.shift()!;
  if (open.type !== 'open_channel') throw new Error('expected open_channel');
  link.run(b, acceptChannel(args(b, a, { ...(opts.policyB ? { policy: opts.policyB } : {}), trusted: !!opts.trusted }), open));
  link.deliverOne(a);
  const need = a.take('funding_needed')[0];
  if (!need) throw new Error(`no funding_needed: ${a.ch.record.state} ${a.ch.record.failure}`);
  const tx = fakeFundingTx(need.script_pubkey, need.funding_satoshis, 1);
  link.run(a, provideFunding(a.ch, { txid: txid(tx), output_index: 0 }));
  link.deliverAll();
  const depth = opts.depth ?? 6;
  if (depth > 0) {
    link.run(a, fundingDepth(a.ch, depth, 700_000n << 40n));
    link.run(b, fundingDepth(b.ch, depth, 700_000n << 40n));
    link.deliverAll();
  }
  return link;
}

/** Deterministic preimage per label. */
export function preimageOf(label: string): Uint8Array {
  return sha256(new TextEncoder().encode(`preimage-${label}`));
}

/** Both sides agree on every commitment and the balances add up (call when quiescent or not). */
export function assertConsistent(link: Link): void {
  const { a, b } = link;
  const capacity = a.ch.record.funding_satoshis * 1000n;
  for (const n of [a, b]) {
    const r = n.ch.record;
    expect(r.base_local_msat + r.base_remote_msat).toBe(capacity);
    // Every commitment either side can still sign or broadcast holds exactly the capacity, with
    // no negative balance (an HTLC can spend funds another, not yet folded, HTLC brought in).
    const views: [Side, number, boolean][] = [
      ['local', r.local_ctn, false],
      ['remote', r.remote_ctn, false],
      ['local', r.local_ctn + 1, true],
      ['remote', r.remote_ctn + (r.awaiting_revoke ? 2 : 1), true],
    ];
    for (const [side, num, pending] of views) {
      const c = commitmentContents(n.ch, side, num, pending);
      expect(c.local_msat >= 0n && c.remote_msat >= 0n).toBe(true);
      expect(c.local_msat + c.remote_msat + c.htlcs.reduce((x, h) => x + h.amount_msat, 0n)).toBe(capacity);
    }
  }
  // A's latest local commitment is B's view of A's commitment with the same number (and vice versa).
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    const n = x.ch.record.local_ctn;
    const yr = y.ch.record;
    if (n === yr.remote_ctn || (yr.awaiting_revoke && n === yr.remote_ctn + 1)) {
      const mine = buildCommitment(x.ch, 'local', n).tx;
      const theirs = buildCommitment(y.ch, 'remote', n).tx;
      expect(toHex(mine.txid)).toBe(toHex(theirs.txid));
    }
  }
}

import { addHtlc, failHtlc, failMalformedHtlc, fulfillHtlc } from '../../../src/channel/state/index.js';

/** Adds an HTLC on `from` (sent at once, not signed); returns its id. */
export function add(link: Link, from: Node, amount: bigint, label: string, cltv = 800_000): number {
  const r = addHtlc(from.ch, { amount_msat: amount, payment_hash: sha256(preimageOf(label)), cltv_expiry: cltv, onion_routing_packet: ONION });
  if (!r.ok) throw new Error(`add refused: ${r.reason}`);
  link.run(from, r.step);
  return r.id;
}

/** Settles every incoming HTLC `n` was told about (htlc_incoming events), preimages by label lookup. */
export function settleAll(link: Link, n: Node, how: 'fulfill' | 'fail' | 'malformed', labels: Map<string, string>): number {
  let count = 0;
  for (const e of n.take('htlc_incoming')) {
    const id = e.htlc.id;
    if (how === 'fulfill') {
      const label = labels.get(toHex(e.htlc.payment_hash));
      if (!label) throw new Error('unknown payment hash');
      link.run(n, fulfillHtlc(n.ch, id, preimageOf(label)));
    } else if (how === 'fail') {
      link.run(n, failHtlc(n.ch, id, new Uint8Array(292).fill(0x42)));
    } else {
      link.run(n, failMalformedHtlc(n.ch, id, sha256(e.htlc.onion_routing_packet), 0xc005));
    }
    count++;
  }
  return count;
}

export function hashLabel(label: string): string {
  return toHex(sha256(preimageOf(label)));
}
