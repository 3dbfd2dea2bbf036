// The channel state machine against Electrum 4.3.4's own Peer + Channel
// (../shared/interop/electrum_channel_peer.py) over a real socket: BOLT 8 (src/noise via
// src/peer), BOLT 1 init/ping, then BOLT 2: reestablish of a pre-agreed channel and a payment
// each way, our own open_channel to Electrum and a payment, and disconnects mid-dance.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { pubkeyCreate, randomBytes, sha256, verifyCompact } from '../../src/crypto/secp256k1.js';
import { dialTcp } from '../../src/net/node.js';
import { PeerConnection } from '../../src/peer/index.js';
import type { NodeId, Sat, Scid } from '../../src/types.js';
import { SIGHASH_ALL, segwitV0Sighash } from '../../src/channel/bitcoin/sighash.js';
import { chainHash, featureBits } from '../../src/wire/index.js';
import type { WireMessage } from '../../src/wire/index.js';
import { buildPaymentOnion, peelOnion } from '../../src/onion/index.js';
import { txid } from '../../src/channel/bitcoin/tx.js';
import {
  addHtlc,
  channelKeysFromSeed,
  commit,
  fulfillHtlc,
  fundingDepth,
  openChannel,
  peerConnected,
  peerDisconnected,
  provideFunding,
  receiveMessage,
  restoreChannel,
  shutdown,
} from '../../src/channel/state/index.js';
import type { Channel, ChannelEvent, ChannelKeySource, HtlcRecord, Step } from '../../src/channel/state/index.js';
import { fakeFundingTx } from '../unit/channel-state/harness.js';
import { fixtureKeys, importFixture, loadChannelFixture } from '../unit/channel-state/electrum-fixture.js';
import { INTEROP_DIR, PYTHON } from '../support/shared.js';

// Electrum 4.3.4 accepts a channel only with option_channel_type and channel_type = static_remotekey,
// and insists on gossip_queries from every peer.
const FEATURES = featureBits({
  option_data_loss_protect: 'required',
  gossip_queries: 'optional',
  var_onion_optin: 'required',
  option_static_remotekey: 'required',
  payment_secret: 'required',
  basic_mpp: 'optional',
  option_channel_type: 'optional',
  option_upfront_shutdown_script: 'optional',
});
const REGTEST = chainHash('regtest');
const HEIGHT = 800_000;

type PyEvent = Record<string, unknown> & { event: string };

class Electrum {
  readonly events: PyEvent[] = [];
  private readonly waiters: { pred: (e: PyEvent) => boolean; resolve: (e: PyEvent) => void }[] = [];
  private err = '';
  private readonly exit: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    let buf = '';
    child.stderr!.on('data', (d: Buffer) => {
      this.err = (this.err + d.toString('utf8')).slice(-20_000);
    });
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (!line.startsWith('{')) continue;
        const ev = JSON.parse(line) as PyEvent;
        this.events.push(ev);
        for (const w of this.waiters.filter((x) => x.pred(ev))) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(ev);
        }
      }
    });
    this.exit = new Promise((r) => child.once('exit', () => r()));
  }

  static start(args: string[]): Electrum {
    const child = spawn(PYTHON, [resolve(INTEROP_DIR, 'electrum_channel_peer.py'), 'serve', '--port', '0', '--seconds', '90', ...args], {
      cwd: INTEROP_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Electrum(child);
  }

  waitFor(pred: (e: PyEvent) => boolean, timeoutMs = 30_000, what = 'an event'): Promise<PyEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`electrum: timed out waiting for ${what}; events: ${JSON.stringify(this.events.slice(-15))}\nstderr: ${this.err.slice(-1500)}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(t);
          res(e);
        },
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exit;
  }
}

/**
 * A test-only runtime for one channel: applies every Step (keeping the store's copy of the
 * records, as the runtime would), writes `send` to the peer and hands events to the test.
 */
class Driver {
  conn: PeerConnection | undefined;
  readonly events: ChannelEvent[] = [];
  readonly received: WireMessage[] = [];
  readonly sendErrors: string[] = [];
  readonly store = { channel: null as Channel['record'] | null, htlcs: new Map<string, HtlcRecord>() };
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  constructor(
    public ch: Channel,
    readonly nodeSecret: Uint8Array,
    readonly keys: ChannelKeySource,
    /** Called for each event; may apply further steps. */
    readonly onEvent: (d: Driver, e: ChannelEvent) => void = () => undefined,
  ) {}

  apply(step: Step): void {
    const w = step.persist;
    if (w.channel) this.store.channel = w.channel;
    for (const h of w.htlcs) this.store.htlcs.set(`${h.offerer}:${h.id}`, h);
    for (const k of w.deleted_htlcs) this.store.htlcs.delete(`${k[1]}:${k[2]}`);
    this.ch = step.channel;
    for (const m of step.send) {
      const c = this.conn;
      if (!c) continue;
      c.send(m).catch((e: unknown) => {
        if (c === this.conn) this.sendErrors.push(`${m.type}: ${String(e)}`);
      });
    }
    for (const e of step.events) {
      this.events.push(e);
      this.onEvent(this, e);
    }
    this.poke();
  }

  /** Takes over a connection: its messages go to the channel, its close to peerDisconnected. */
  attach(conn: PeerConnection): void {
    this.conn = conn;
    conn.on('message', (m) => {
      if (conn !== this.conn) return;
      this.received.push(m);
      this.apply(receiveMessage(this.ch, m));
    });
    conn.on('closed', () => {
      if (conn === this.conn) this.disconnected();
    });
  }

  async connect(port: number, remote: string): Promise<void> {
    const conn = await dial(port, remote, this.nodeSecret);
    // Subscribe before `ready`: Electrum's channel_reestablish follows its init in the same read.
    this.attach(conn);
    await conn.ready;
    this.apply(peerConnected(this.ch));
  }

  disconnected(): void {
    this.conn = undefined;
    this.apply(peerDisconnected(this.ch));
  }

  /** Closes the socket as a crash would: what was not written is lost. */
  drop(): void {
    const c = this.conn;
    this.conn = undefined;
    c?.close();
    this.apply(peerDisconnected(this.ch));
  }

  /** Restarts from the stored records only. */
  restart(): void {
    this.ch = restoreChannel(this.keys, this.store.channel, [...this.store.htlcs.values()]);
  }

  private poke(): void {
    for (const w of this.waiters.filter((x) => x.pred())) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  until(pred: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`timed out waiting for ${what}; state ${this.ch.record.state}, failure ${this.ch.record.failure}, received ${this.received.map((m) => m.type).join(',')}, send errors ${this.sendErrors.join('; ')}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: () => {
          clearTimeout(t);
          res();
        },
      });
    });
  }

  has(type: ChannelEvent['type'], pred: (e: ChannelEvent) => boolean = () => true): boolean {
    return this.events.some((e) => e.type === type && pred(e));
  }
}

async function dial(port: number, remote: string, nodeSecret: Uint8Array): Promise<PeerConnection> {
  const stream = await dialTcp('127.0.0.1', port);
  return PeerConnection.outbound(stream, remote as NodeId, { localSecret: nodeSecret, features: FEATURES, chains: [REGTEST] });
}

/** Offers the payment of an invoice to the direct peer (a one-hop onion) and signs it. */
function payDirect(d: Driver, peerId: string, inv: { payment_hash: string; payment_secret: string; amount_msat: number }): number {
  const hash = fromHex(inv.payment_hash);
  const amount = BigInt(inv.amount_msat);
  const delay = 150;
  const onion = buildPaymentOnion({
    route: [{ pubkey: fromHex(peerId), short_channel_id: 0n as Scid, amount_msat: amount, delay }],
    payment_hash: hash,
    base_height: HEIGHT,
    payment_secret: fromHex(inv.payment_secret),
  });
  const r = addHtlc(d.ch, { amount_msat: amount, payment_hash: hash, cltv_expiry: HEIGHT + delay, onion_routing_packet: onion.packet });
  if (!r.ok) throw new Error(`addHtlc refused: ${r.reason}`);
  d.apply(r.step);
  d.apply(commit(d.ch));
  return r.id;
}

let electrum: Electrum | undefined;
const drivers: Driver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) d.conn?.close();
  await electrum?.stop();
  electrum = undefined;
});

function fixtureFile(args: string[]) {
  const { fixture, json } = loadChannelFixture(args);
  const dir = mkdtempSync(join(tmpdir(), 'lw-electrum-'));
  const path = join(dir, 'chan.json');
  writeFileSync(path, json);
  return { fixture, path };
}

async function listening(e: Electrum): Promise<{ port: number; node_id: string }> {
  const l = await e.waitFor((x) => x.event === 'listening', 30_000, 'listening');
  return { port: l['port'] as number, node_id: l['node_id'] as string };
}

function fulfilled(d: Driver, offerer: 'local' | 'remote', id: number): boolean {
  return d.has('htlc_resolved', (e) => e.type === 'htlc_resolved' && e.offerer === offerer && e.id === id && e.result.kind === 'fulfill');
}

describe('BOLT 2 with Electrum 4.3.4', () => {
  it('(a) reestablishes the fixture channel and pays Electrum’s invoice', async () => {
    const { fixture: f, path } = fixtureFile(['--seed', '11']);
    electrum = Electrum.start(['--fixture', path, '--exit-after-payment']);
    const { port, node_id } = await listening(electrum);
    expect(node_id).toBe(f.sides.electrum.node_id);
    const d = new Driver(importFixture(f).channel, fromHex(f.sides.client.node_privkey), fixtureKeys(f.sides.client));
    drivers.push(d);
    await d.connect(port, node_id);
    await d.until(() => d.ch.record.state === 'NORMAL', 'NORMAL after reestablish');
    expect(d.received.slice(0, 2).map((m) => m.type)).toEqual(['channel_reestablish', 'channel_ready']);
    const id = payDirect(d, node_id, f.invoice);
    await d.until(() => fulfilled(d, 'local', id), 'the HTLC fulfilled and irrevocably removed');
    const pre = d.events.find((e) => e.type === 'htlc_preimage');
    expect(pre && pre.type === 'htlc_preimage' && toHex(pre.preimage)).toBe(f.invoice.preimage);
    await electrum.waitFor((e) => e.event === 'payment_received_and_settled', 30_000, 'Electrum settled');
    expect(d.ch.record.base_local_msat).toBe(BigInt(f.sides.client.initial_msat) - BigInt(f.invoice.amount_msat));
    expect(d.ch.htlcs.size).toBe(0);
    expect(electrum.events.some((e) => e.event === 'force_close_requested')).toBe(false);
  }, 90_000);

  it('(b) receives a payment from Electrum on a --push-msat fixture: peels, checks and fulfills', async () => {
    const { fixture: f, path } = fixtureFile(['--seed', '12', '--push-msat', '300000000']);
    const preimage = randomBytes(32);
    const hash = sha256(preimage);
    const secret = randomBytes(32);
    const amount = 25_000_000n;
    electrum = Electrum.start(['--fixture', path, '--send-payment', `${toHex(hash)}:${toHex(secret)}:${amount}`]);
    const { port, node_id } = await listening(electrum);
    const nodeSecret = fromHex(f.sides.client.node_privkey);
    const checks: string[] = [];
    const d = new Driver(importFixture(f).channel, nodeSecret, fixtureKeys(f.sides.client), (drv, e) => {
      if (e.type !== 'htlc_incoming') return;
      const peeled = peelOnion(e.htlc.onion_routing_packet, nodeSecret, e.htlc.payment_hash);
      if (peeled.kind !== 'final') throw new Error(`unexpected onion: ${peeled.kind}`);
      checks.push(`${peeled.payload.amt_to_forward}/${peeled.payload.outgoing_cltv_value}/${toHex(peeled.payload.payment_data!.payment_secret)}`);
      drv.apply(fulfillHtlc(drv.ch, e.htlc.id, preimage));
      drv.apply(commit(drv.ch));
    });
    drivers.push(d);
    await d.connect(port, node_id);
    const result = await electrum.waitFor((e) => e.event === 'payment_result', 40_000, 'payment_result');
    expect(result['success']).toBe(true);
    expect(result['preimage']).toBe(toHex(preimage));
    await d.until(() => fulfilled(d, 'remote', 0), 'the incoming HTLC irrevocably removed');
    const offered = electrum.events.find((e) => e.event === 'htlc_offered')!;
    expect(checks).toEqual([`${amount}/${offered['cltv_expiry'] as number}/${toHex(secret)}`]);
    expect(d.ch.record.base_local_msat).toBe(BigInt(f.sides.client.initial_msat) + amount);
  }, 90_000);

  it('(c) opens a channel to Electrum (open_channel → funding_locked) and pays the printed invoice', async () => {
    electrum = Electrum.start(['--seed', '21', '--exit-after-payment']);
    const { port, node_id } = await listening(electrum);
    const invoice = await electrum.waitFor((e) => e.event === 'invoice', 30_000, 'invoice');
    const nodeSecret = sha256(new TextEncoder().encode('lw-interop-open'));
    const keys = channelKeysFromSeed(sha256(nodeSecret));
    // A channel is created on a live connection: connect, then open with the peer's init features.
    const conn = await dial(port, node_id, nodeSecret);
    const early: WireMessage[] = [];
    const off = conn.on('message', (m) => early.push(m));
    const info = await conn.ready;
    const open = openChannel({
      keys,
      key_index: 7,
      peer: { node_id, local_features: FEATURES, remote_features: info.remote.features },
      chain_hash: REGTEST,
      funding_satoshis: 1_000_000n,
      feerate_per_kw: 2500,
    });
    const d = new Driver(open.channel, nodeSecret, keys, (drv, e) => {
      if (e.type === 'funding_needed') {
        const tx = fakeFundingTx(e.script_pubkey, e.funding_satoshis, 21);
        drv.apply(provideFunding(drv.ch, { txid: txid(tx), output_index: 0 }));
      }
      // Our (simulated) chain sees the funding tx confirmed as soon as it is "broadcast".
      if (e.type === 'funding_signed') drv.apply(fundingDepth(drv.ch, 3, BigInt(HEIGHT - 2) << 40n));
    });
    drivers.push(d);
    off();
    expect(early).toEqual([]);
    d.attach(conn);
    d.apply(open);
    await d.until(() => d.ch.record.state === 'NORMAL', 'NORMAL after funding_locked both ways');
    expect(d.received.map((m) => m.type).slice(0, 3)).toEqual(['accept_channel', 'funding_signed', 'channel_ready']);
    expect(toHex(pubkeyCreate(nodeSecret))).not.toBe(node_id);
    const id = payDirect(d, node_id, { payment_hash: invoice['payment_hash'] as string, payment_secret: invoice['payment_secret'] as string, amount_msat: invoice['amount_msat'] as number });
    await d.until(() => fulfilled(d, 'local', id), 'invoice paid');
    await electrum.waitFor((e) => e.event === 'payment_received_and_settled', 30_000, 'Electrum settled');
  }, 90_000);

  it('(e) closes cooperatively: shutdown, closing_signed with fee_range, the same closing tx on both sides', async () => {
    const { fixture: f, path } = fixtureFile(['--seed', '41', '--push-msat', '100000000']);
    electrum = Electrum.start(['--fixture', path]);
    const { port, node_id } = await listening(electrum);
    const d = new Driver(importFixture(f).channel, fromHex(f.sides.client.node_privkey), fixtureKeys(f.sides.client));
    drivers.push(d);
    await d.connect(port, node_id);
    await d.until(() => d.ch.record.state === 'NORMAL', 'NORMAL');
    d.apply(shutdown(d.ch));
    await d.until(() => d.ch.record.state === 'CLOSING_COMPLETE', 'CLOSING_COMPLETE');
    const b = d.events.find((e) => e.type === 'broadcast');
    if (!b || b.type !== 'broadcast') throw new Error('no closing tx');
    expect(b.kind).toBe('closing');
    // Electrum, the non-funder, answers our offer with a fee inside both ranges; we accept it and
    // Electrum confirms with a last closing_signed. (The harness's mock wallet has no `adb`, so
    // Electrum cannot "broadcast" its copy: we check its signatures against our transaction.)
    await d.until(() => d.received.filter((m) => m.type === 'closing_signed').length >= 2, 'Electrum’s final closing_signed');
    const signed = d.received.filter((m): m is Extract<WireMessage, { type: 'closing_signed' }> => m.type === 'closing_signed');
    const script = b.tx.inputs[0]!.witness[3]!;
    const sighash = segwitV0Sighash(b.tx, 0, script, BigInt(f.funding.capacity_sat) as Sat, SIGHASH_ALL);
    const electrumKey = fromHex(f.sides.electrum.basepoints.funding);
    for (const m of signed) expect(verifyCompact(m.signature, sighash, electrumKey)).toBe(true);
    const fee = BigInt(f.funding.capacity_sat) - b.tx.outputs.reduce((x, o) => x + o.value, 0n);
    expect(signed.every((m) => m.fee_satoshis === fee)).toBe(true);
    // Two outputs: ours (the funder pays the fee) and Electrum's 100 000 sat.
    expect(b.tx.outputs.map((o) => o.value)).toContain(100_000n);
    expect(b.tx.outputs.map((o) => o.value)).toContain(900_000n - fee);
  }, 90_000);

  for (const cut of ['after update_add_htlc', 'after commitment_signed'] as const) {
    it(`(d) disconnects ${cut}, restarts from the records, reestablishes and completes the payment`, async () => {
      const { fixture: f, path } = fixtureFile(['--seed', cut === 'after update_add_htlc' ? '31' : '32']);
      electrum = Electrum.start(['--fixture', path, '--exit-after-payment']);
      const { port, node_id } = await listening(electrum);
      const d = new Driver(importFixture(f).channel, fromHex(f.sides.client.node_privkey), fixtureKeys(f.sides.client));
      drivers.push(d);
      d.apply({ channel: d.ch, persist: { channel: d.ch.record, htlcs: [], deleted_htlcs: [] }, send: [], events: [] });
      await d.connect(port, node_id);
      await d.until(() => d.ch.record.state === 'NORMAL', 'NORMAL');
      const hash = fromHex(f.invoice.payment_hash);
      const onion = buildPaymentOnion({
        route: [{ pubkey: fromHex(node_id), short_channel_id: 0n as Scid, amount_msat: BigInt(f.invoice.amount_msat), delay: 150 }],
        payment_hash: hash,
        base_height: HEIGHT,
        payment_secret: fromHex(f.invoice.payment_secret),
      });
      const r = addHtlc(d.ch, { amount_msat: BigInt(f.invoice.amount_msat), payment_hash: hash, cltv_expiry: HEIGHT + 150, onion_routing_packet: onion.packet });
      if (!r.ok) throw new Error(r.reason);
      d.apply(r.step);
      if (cut === 'after commitment_signed') {
        d.apply(commit(d.ch));
        expect(d.ch.record.awaiting_revoke).toBe(true);
      }
      // Drop the connection at once (what is written still leaves; Electrum's answers are lost),
      // then restart from the stored records only.
      d.drop();
      const last = cut === 'after update_add_htlc' ? 'update_add_htlc' : 'commitment_signed';
      await electrum.waitFor((e) => e.event === 'recv' && e['type'] === last, 20_000, `Electrum got our ${last}`);
      d.restart();
      await new Promise((res) => setTimeout(res, 1000));
      const secondSession = d.received.length;
      await d.connect(port, node_id);
      await d.until(() => d.ch.record.state === 'NORMAL' && d.ch.connection === 'active', 'reestablished again');
      if (cut === 'after update_add_htlc') {
        // Electrum forgot the uncommitted add; we proposed it again with the same id and onion.
        await electrum.waitFor((e) => e.event === 'recv' && e['type'] === 'update_add_htlc' && electrum!.events.filter((x) => x.event === 'recv' && x['type'] === 'update_add_htlc').length === 2, 20_000, 'the add replayed');
      } else {
        // Electrum got our commitment_signed and revoked, but its revoke_and_ack was lost: it resends it.
        await d.until(() => d.received.slice(secondSession).some((m) => m.type === 'revoke_and_ack'), 'the revoke_and_ack retransmitted');
        expect(d.received[secondSession]?.type).toBe('channel_reestablish');
      }
      d.apply(commit(d.ch));
      await d.until(() => fulfilled(d, 'local', r.id), 'payment completed after the reconnection');
      await electrum.waitFor((e) => e.event === 'payment_received_and_settled', 30_000, 'Electrum settled');
      expect(electrum.events.some((e) => e.event === 'force_close_requested')).toBe(false);
      expect(electrum.events.filter((e) => e.event === 'reestablished')).toHaveLength(2);
    }, 90_000);
  }
});
