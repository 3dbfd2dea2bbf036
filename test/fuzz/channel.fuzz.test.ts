// Fuzzing the node's channel message handling: two ChannelManagers (the runtime's real one, with
// real memory stores and the real BOLT 2 machine) run a whole channel life — open, accept,
// funding, channel_ready, HTLCs both ways with commitment_signed / revoke_and_ack, fulfill and
// fail, update_fee, a reconnection (channel_reestablish), shutdown and closing_signed. Each case
// replays that life and replaces ONE delivered message with a mutated copy (a field set to a
// boundary value, or mutated bytes that still decode), routed as the node routes peer input
// (error → onRemoteError, warning → the node's event only, the rest → onMessage). Checked:
// - nothing throws and the node never stops (no store failure, no rejected handler);
// - the answer follows the spec: a channel we fail gets our `error`; our `warning` comes with a
//   disconnect; a message for a channel we do not know gets a warning and changes nothing;
// - state stays consistent: what the store holds rebuilds exactly the channel in memory, the
//   balances add up to the capacity, and once the two sides are quiet (after one more
//   reconnection) they either agree (the same commitment transactions, commitment numbers,
//   balances and HTLCs) or both have failed the channel.
// Cases: LW_FUZZ_CASES (default below), seed LW_FUZZ_SEED; `bash scripts/fuzz.sh N` for long runs.
import { describe, expect, it } from 'vitest';
import { ChannelManager, type ChannelFollowUps } from '../../src/runtime/channels.js';
import type { PeerManager } from '../../src/peer/index.js';
import { deriveNodeSecrets, type NodeSecrets } from '../../src/runtime/secrets.js';
import { initFeatures } from '../../src/runtime/features.js';
import { EventHub } from '../../src/runtime/events.js';
import { silentLogger } from '../../src/runtime/log.js';
import { NODE_SCHEMA } from '../../src/runtime/schema.js';
import { OUTBOX_TABLE, type OutboxRecord } from '../../src/runtime/tables.js';
import { openMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { StaticChain } from '../../src/chain/static.js';
import { chainHash } from '../../src/wire/chains.js';
import { decodeMessage, encodeMessage, isUnknownMessage, type WireMessage } from '../../src/wire/messages.js';
import { CHANNELS_TABLE, HTLCS_TABLE, restoreChannel, type Channel } from '../../src/channel/state/index.js';
import { LightningError } from '../../src/errors.js';
import { sha256 } from '../../src/crypto/secp256k1.js';
import { fromUtf8, toHex } from '../../src/util/bytes.js';
import { Rng, fuzzCases, fuzzSeed, fuzzTimeout, mutate } from '../support/fuzz.js';
import { buildCommitment } from '../../src/channel/state/commitments.js';
import { canon } from '../unit/channel-state/harness.js';

const CASES = fuzzCases(60);
const FUNDING_SAT = 1_000_000n;
const HEIGHT = 800_000;
const ONION = new Uint8Array(1366).fill(5);
const TERMINAL = new Set(['ABORTED', 'CLOSING_COMPLETE', 'FORCE_CLOSED', 'DATA_LOSS', 'ONCHAIN']);
const FAILED = new Set(['ABORTED', 'FORCE_CLOSED', 'DATA_LOSS']);

const preimage = (label: string): Uint8Array => sha256(new TextEncoder().encode(`fuzz-preimage-${label}`));

/** A decoded message has the field; typed access for the routing. */
function channelRef(m: WireMessage): Uint8Array | undefined {
  const o = m as unknown as Record<string, unknown>;
  const ref = o.temporary_channel_id ?? o.channel_id;
  return ref instanceof Uint8Array ? ref : undefined;
}

interface Sent {
  from: string;
  bytes: Uint8Array;
  seq: number;
}

class Side {
  mgr!: ChannelManager;
  store!: Store;
  readonly secrets: NodeSecrets;
  readonly sent: WireMessage[] = [];
  readonly disconnects: string[] = [];
  fatal: unknown[] = [];

  constructor(
    readonly name: string,
    seed: number,
  ) {
    this.secrets = deriveNodeSecrets(sha256(Uint8Array.of(seed, 0x5a)));
  }

  get id(): string {
    return this.secrets.nodeId;
  }

  channel(): Channel | undefined {
    return this.mgr.all()[0];
  }
}

/** The two nodes and the bytes in flight; deliveries are FIFO across both directions. */
class Net {
  readonly a = new Side('A', 1);
  readonly b = new Side('B', 2);
  private queue: Sent[] = [];
  private seq = 0;
  /** Index of the next delivery; the case mutates delivery `target`. */
  delivered = 0;
  target = -1;
  mutation: ((m: WireMessage) => WireMessage | undefined) | undefined;
  /** What happened at the mutated delivery (checked after it settles). */
  hit: { to: Side; original: WireMessage; mutated: WireMessage; before: string | undefined; sentBefore: number; disconnectsBefore: number } | undefined;
  readonly trace: string[] = [];
  readonly handlerErrors: unknown[] = [];

  other(s: Side): Side {
    return s === this.a ? this.b : this.a;
  }

  byId(id: string): Side {
    return id === this.a.id ? this.a : this.b;
  }

  async start(): Promise<void> {
    for (const s of [this.a, this.b]) {
      s.store = await openMemoryStore({ name: `fuzz-${s.name}`, schema: NODE_SCHEMA });
      const self = s;
      const peers = {
        send: async (peerId: string, m: WireMessage) => {
          // Our own messages must always encode (a bug otherwise).
          const bytes = encodeMessage(m);
          self.sent.push(m);
          this.queue.push({ from: self.id, bytes, seq: this.seq++ });
          void peerId;
        },
        disconnect: (peerId: string) => {
          self.disconnects.push(peerId);
        },
        get: () => ({ info: () => ({ connected: true, features: toHex(initFeatures()) }) }),
      } as unknown as PeerManager;
      s.mgr = new ChannelManager({
        store: s.store,
        secrets: s.secrets,
        chainHash: chainHash('regtest'),
        chain: new StaticChain({ height: HEIGHT }),
        peers,
        localFeatures: initFeatures(),
        isTrusted: () => true,
        log: silentLogger,
        events: new EventHub(() => undefined),
        fatal: (e) => self.fatal.push(e),
      });
      await s.mgr.load();
      s.mgr.setFollowUps(this.followUps(s));
    }
  }

  /** The switch's part, reduced: the payee fulfills hashes it knows, fails the others. */
  private followUps(s: Side): ChannelFollowUps {
    return {
      handle: async (rec: OutboxRecord) => {
        const done = { table: OUTBOX_TABLE.name, delete: rec.key };
        if (rec.kind !== 'incoming') {
          await s.store.commit([done]);
          return;
        }
        const ch = s.mgr.get(rec.channel_id);
        const h = ch && [...ch.htlcs.values()].find((x) => x.offerer === 'remote' && x.id === rec.htlc_id);
        if (!h) {
          await s.store.commit([done]);
          return;
        }
        const pre = s === this.b ? preimage('a-to-b') : undefined;
        if (pre && toHex(sha256(pre)) === h.payment_hash) await s.mgr.fulfill(rec.channel_id, rec.htlc_id, pre, [done]);
        else await s.mgr.fail(rec.channel_id, rec.htlc_id, new Uint8Array(292).fill(9), [done]);
      },
    };
  }

  /** Lets every queued microtask and follow-up run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Routes one message into `to` the way the node's peer dispatch does. */
  private async route(to: Side, fromId: string, m: WireMessage): Promise<void> {
    try {
      if (m.type === 'error') {
        const id = m.channel_id;
        await to.mgr.onRemoteError(fromId, { channelId: id, data: m.data, text: fromUtf8(m.data, false), allChannels: id.every((x) => x === 0) });
      } else if (m.type === 'warning') {
        // The node only reports it (an event); channels are not told.
      } else if (channelRef(m) || m.type === 'open_channel') {
        await to.mgr.onMessage(fromId, m);
      }
    } catch (e) {
      this.handlerErrors.push(e);
    }
  }

  /** Delivers queued messages until none is left (bounded), mutating delivery `target`. */
  async flush(limit = 400): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await this.settle();
      const next = this.queue.shift();
      if (!next) return;
      const to = this.other(this.byId(next.from));
      let m = decodeMessage(next.bytes);
      if (isUnknownMessage(m)) continue;
      const index = this.delivered++;
      this.trace.push(`${index}:${to.name}<-${m.type}`);
      if (index === this.target && this.mutation) {
        const mutated = this.mutation(m);
        if (mutated) {
          const ref = channelRef(mutated);
          const ch = ref ? to.mgr.get(toHex(ref)) : undefined;
          this.hit = { to, original: m, mutated, before: ch?.record.state, sentBefore: to.sent.length, disconnectsBefore: to.disconnects.length };
          m = mutated;
        }
      }
      await this.route(to, next.from, m);
      if (this.hit && index === this.target) {
        await this.settle();
        this.checkAnswer();
      }
      if (this.a.disconnects.length + this.b.disconnects.length > this.disconnectsSeen) await this.reconnect();
    }
    throw new Error('the conversation did not quiesce');
  }

  private disconnectsSeen = 0;

  /** A transport drop (asked for, or scripted): in-flight bytes are lost, both sides reconnect. */
  async reconnect(): Promise<void> {
    this.disconnectsSeen = this.a.disconnects.length + this.b.disconnects.length;
    this.queue = [];
    await this.a.mgr.onPeerDisconnected(this.b.id);
    await this.b.mgr.onPeerDisconnected(this.a.id);
    await this.settle();
    this.queue = [];
    const info = (id: string) => ({ remoteNodeId: id, direction: 'outbound', netaddr: 'fuzz', remote: {}, connectedAt: 0 }) as never;
    await this.a.mgr.onPeerConnected(this.b.id, info(this.b.id));
    await this.b.mgr.onPeerConnected(this.a.id, info(this.a.id));
  }

  /** The spec's answer to the mutated message, right after it was handled. */
  private checkAnswer(): void {
    const h = this.hit!;
    const out = h.to.sent.slice(h.sentBefore);
    const ref = channelRef(h.mutated);
    const after = ref ? h.to.mgr.get(toHex(ref)) : undefined;
    const asked = h.to.disconnects.length > h.disconnectsBefore;
    const known = ref !== undefined && after !== undefined && after.record.peer_id === this.other(h.to).id;
    if (h.mutated.type !== 'error' && h.mutated.type !== 'warning' && h.mutated.type !== 'open_channel' && !known && h.before === undefined) {
      // BOLT 1: a channel we do not know: a warning, nothing else, no state.
      expect(out.map((m) => m.type)).toEqual(['warning']);
      expect(fromUtf8((out[0] as Extract<WireMessage, { type: 'warning' }>).data, false)).toBe('unknown channel');
      return;
    }
    if (after && h.before !== undefined && !TERMINAL.has(h.before) && FAILED.has(after.record.state) && h.mutated.type !== 'error') {
      // We failed the channel: the peer is told with an error for that channel.
      const err = out.find((m) => m.type === 'error');
      expect(err, `no error sent when failing the channel (${after.record.failure})`).toBeDefined();
    }
    const warnings = out.filter((m) => m.type === 'warning' && fromUtf8(m.data, false) !== 'unknown channel');
    if (warnings.length > 0) expect(asked, 'a warning without a disconnect').toBe(true);
  }
}

/** The store rebuilds exactly the channel in memory; balances add up. */
async function checkStored(s: Side): Promise<void> {
  for (const ch of s.mgr.all()) {
    if (!ch.persisted) continue;
    const id = ch.record.channel_id;
    const rec = await s.store.get(CHANNELS_TABLE.name, id);
    const htlcs = await s.store.query(HTLCS_TABLE.name, { index: 'channel_id', range: { only: id } });
    const restored = restoreChannel(s.secrets.channelKeys, rec, htlcs);
    expect(canon(restored.record), `${s.name}: stored channel differs from memory`).toBe(canon(ch.record));
    const sorted = (c: Channel) => [...c.htlcs.values()].sort((x, y) => `${x.offerer}${x.id}`.localeCompare(`${y.offerer}${y.id}`));
    expect(canon(sorted(restored)), `${s.name}: stored HTLCs differ`).toBe(canon(sorted(ch)));
    expect(ch.record.base_local_msat + ch.record.base_remote_msat).toBe(ch.record.funding_satoshis * 1000n);
  }
}

/** Quiet sides either agree on the channel or have both failed it. */
function checkMirrored(net: Net): void {
  const x = net.a.channel();
  const y = net.b.channel();
  if (!x || !y || !x.persisted || !y.persisted || x.record.channel_id !== y.record.channel_id) return;
  const dead = (c: Channel) => FAILED.has(c.record.state);
  if (dead(x) || dead(y)) {
    // A mutated `error` fails only its receiver (it believes the peer gave up); otherwise both.
    if (net.hit?.mutated.type !== 'error') expect([x.record.state, y.record.state].every((s) => FAILED.has(s) || s === 'CLOSING_COMPLETE'), `${x.record.state} / ${y.record.state}: ${x.record.failure ?? y.record.failure}`).toBe(true);
    return;
  }
  const r = x.record;
  const q = y.record;
  expect([r.awaiting_revoke, q.awaiting_revoke], 'a revoke_and_ack still missing after reconnecting').toEqual([false, false]);
  expect([r.local_ctn, r.remote_ctn]).toEqual([q.remote_ctn, q.local_ctn]);
  expect(r.base_local_msat).toBe(q.base_remote_msat);
  // Both hold the same transactions: A's commitment as A and as B see it, and B's. (A nominal
  // feerate may differ where it rounds to the same fees: a peer's update_fee off by one from
  // what it signed is then harmless, and caught by the signatures as soon as it matters.)
  expect(toHex(buildCommitment(x, 'local', r.local_ctn).tx.txid)).toBe(toHex(buildCommitment(y, 'remote', q.remote_ctn).tx.txid));
  expect(toHex(buildCommitment(x, 'remote', r.remote_ctn).tx.txid)).toBe(toHex(buildCommitment(y, 'local', q.local_ctn).tx.txid));
  const view = (c: Channel, flip: boolean) =>
    [...c.htlcs.values()].map((h) => `${(h.offerer === 'local') !== flip ? 'A' : 'B'}:${h.id}:${h.amount_msat}:${h.payment_hash}`).sort();
  expect(view(x, false)).toEqual(view(y, true));
}

/** Tolerates our own typed refusals (a command on a channel the mutation failed). */
async function typed(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof LightningError)) throw e;
  }
}

/** One channel life. Commands that cannot run any more (failed channel) are refused with typed errors. */
async function life(net: Net): Promise<void> {
  const { a, b } = net;
  const funded = typed(a.mgr.fundChannel({ peerId: b.id, fundingSat: FUNDING_SAT, pushMsat: 300_000_000n, zeroconf: true, feeratePerKw: 2500 }));
  await net.flush();
  await Promise.race([funded, net.settle()]);
  const cid = a.channel()?.record.channel_id;
  if (!cid || !a.channel()?.persisted) return;
  const offer = (s: Side, label: string, amount: bigint) =>
    typed(
      s.mgr.offerHtlc(
        {
          channel_id: cid,
          amount_msat: amount,
          payment_hash: sha256(preimage(label)),
          cltv_expiry: HEIGHT + 100,
          onion: ONION,
          origin: { kind: 'payment', payment_hash: toHex(sha256(preimage(label))), partid: 0n, groupid: BigInt(label.length) },
        },
        [],
      ),
    );
  await offer(a, 'a-to-b', 40_000_000n);
  await offer(b, 'b-to-a', 30_000_000n);
  await net.flush();
  await typed(a.mgr.forceFeerate(cid, 3000));
  await net.flush();
  await net.reconnect();
  await net.flush();
  await offer(a, 'a-to-b-2', 5_000_000n);
  await net.flush();
  // The close resolves only with a broadcast: not awaited (a failed channel never gets one).
  void typed(a.mgr.close(cid, {}));
  await net.flush();
}

// ---------------------------------------------------------------- mutations

function interestingNumber(rng: Rng, v: number): number {
  return rng.pick([0, 1, v + 1, Math.max(0, v - 1), 0xffff, 0xffffffff, rng.u32(), v * 2]);
}

function interestingBig(rng: Rng, v: bigint): bigint {
  return rng.pick([0n, 1n, v + 1n, v > 0n ? v - 1n : 0n, (1n << 64n) - 1n, rng.bigBits(64), v * 2n]);
}

function mutateBytes(rng: Rng, v: Uint8Array): Uint8Array {
  const out = v.slice();
  switch (rng.int(4)) {
    case 0:
      if (out.length > 0) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    case 1:
      return new Uint8Array(v.length);
    case 2:
      return rng.bytes(v.length);
    default:
      return out.length > 0 ? out.slice(0, rng.int(out.length)) : rng.bytes(33);
  }
}

/** Sets one field (possibly inside the TLVs or a signature list) to a boundary or random value. */
function mutateField(rng: Rng, v: unknown, depth = 0): unknown {
  if (typeof v === 'number') return interestingNumber(rng, v);
  if (typeof v === 'bigint') return interestingBig(rng, v);
  if (v instanceof Uint8Array) return mutateBytes(rng, v);
  if (Array.isArray(v)) {
    if (v.length === 0 || rng.bool(0.3)) return [...v, v[0] ?? rng.bytes(64)];
    const i = rng.int(v.length);
    return rng.bool(0.5) ? v.filter((_, j) => j !== i) : v.map((x, j) => (j === i ? mutateField(rng, x, depth + 1) : x));
  }
  if (typeof v === 'object' && v !== null && depth < 3) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => k !== 'type');
    if (keys.length === 0) return v;
    const k = rng.pick(keys);
    if (depth > 0 && rng.bool(0.3)) {
      const { [k]: _dropped, ...rest } = o;
      return rest;
    }
    return { ...o, [k]: mutateField(rng, o[k], depth + 1) };
  }
  return v;
}

function mutation(rng: Rng): (m: WireMessage) => WireMessage | undefined {
  return (m) => {
    for (let attempt = 0; attempt < 8; attempt++) {
      let bytes: Uint8Array;
      if (rng.bool(0.6)) {
        // Keep the channel id most of the time: routing to a wrong channel is one case among many.
        const keepId = rng.bool(0.9);
        const o = m as unknown as Record<string, unknown>;
        const fields = Object.keys(o).filter((k) => k !== 'type' && (!keepId || (k !== 'channel_id' && k !== 'temporary_channel_id')));
        if (fields.length === 0) continue;
        const f = rng.pick(fields);
        const changed = { ...o, [f]: mutateField(rng, o[f], 1) } as unknown as WireMessage;
        try {
          bytes = encodeMessage(changed);
        } catch {
          continue; // out of the field's range: not a message a peer can send
        }
      } else {
        const enc = encodeMessage(m);
        // Bytes after the type and the 32-byte channel id, mostly.
        const head = rng.bool(0.85) ? Math.min(34, enc.length) : 0;
        bytes = Uint8Array.of(...enc.subarray(0, head), ...mutate(rng, enc.subarray(head)));
      }
      let d;
      try {
        d = decodeMessage(bytes);
      } catch {
        continue; // the decoder's own fuzz covers bytes that do not decode
      }
      if (!isUnknownMessage(d)) return d;
    }
    return undefined;
  };
}

// ---------------------------------------------------------------- the run

async function runCase(target: number, rng: Rng | undefined): Promise<Net> {
  const net = new Net();
  await net.start();
  net.target = target;
  net.mutation = rng ? mutation(rng) : undefined;
  await life(net);
  await net.flush();
  // A message lost to the mutation (e.g. re-addressed to an unknown channel) is what a
  // reconnection repairs: after one, live channels must have caught up with each other.
  await net.reconnect();
  await net.flush();
  await net.settle();
  expect(net.handlerErrors, 'a message handler threw').toEqual([]);
  for (const s of [net.a, net.b]) {
    expect(s.fatal, `${s.name} stopped`).toEqual([]);
    await checkStored(s);
  }
  checkMirrored(net);
  return net;
}

describe('channel message handling under mutated peer messages', () => {
  it(
    'never throws or stops, answers as BOLT 1/2 say, and keeps the channel state consistent',
    async () => {
      // The clean life: every message type the fuzz replaces, in order.
      const clean = await runCase(-1, undefined);
      const types = new Set(clean.trace.map((t) => t.split('<-')[1]));
      for (const t of [
        'open_channel',
        'accept_channel',
        'funding_created',
        'funding_signed',
        'channel_ready',
        'update_add_htlc',
        'commitment_signed',
        'revoke_and_ack',
        'update_fulfill_htlc',
        'update_fail_htlc',
        'update_fee',
        'channel_reestablish',
        'shutdown',
        'closing_signed',
      ]) {
        expect(types, `the clean life never sends ${t}`).toContain(t);
      }
      expect(clean.a.channel()?.record.state).toBe('CLOSING_COMPLETE');
      expect(clean.b.channel()?.record.state).toBe('CLOSING_COMPLETE');
      const points = clean.delivered;

      const seed = fuzzSeed();
      let hits = 0;
      const outcomes = new Map<string, number>();
      for (let i = 0; i < CASES; i++) {
        const rng = new Rng(seed, i);
        const target = rng.int(points);
        let net: Net;
        try {
          net = await runCase(target, rng);
        } catch (e) {
          const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
          throw new Error(`channel fuzz: case ${i} (LW_FUZZ_SEED=${seed}) at delivery ${target} (${clean.trace[target]}) failed: ${what}`, { cause: e });
        }
        if (!net.hit) continue;
        hits++;
        const end = `${net.a.channel()?.record.state ?? '-'}/${net.b.channel()?.record.state ?? '-'}`;
        outcomes.set(end, (outcomes.get(end) ?? 0) + 1);
      }
      // Most cases really delivered a mutated message, and they did not all end the same way.
      expect(hits).toBeGreaterThan(CASES / 2);
      if (CASES >= 30) expect(outcomes.size).toBeGreaterThan(1);
    },
    fuzzTimeout(CASES, 1500),
  );
});
