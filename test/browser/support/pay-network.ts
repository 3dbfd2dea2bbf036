// The local network of the payment specs (pay*.spec.ts), on the Node side of Playwright: our
// daemons (`node dist/node/cli/main.js node`, through test/network/support/daemon.ts) on loopback
// with temp data dirs and the static chain, and a page whose Worker is the payer.
//
//   Worker ──ws──▶ A ──tcp──▶ B          A: WebSocket + TCP; funds a zero-conf channel to each Worker
//   Worker ──ws──▶ C ──tcp──▶ B          C: the second route (MPP); B trusts A and C
//                  A ──tcp──▶ G          G: runs with LW_DEV_GARBLE_FAILURES=1 (every failure onion
//                                           it originates is unreadable: 202)
//
// Hop i of a route is the channel into node i (the sender's name for it: the Worker's alias.local
// for the first hop, the forwarder's alias.local after that), the amount node i receives and the
// CLTV delta at node i (test/network/in-process-forward.test.ts).
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { Daemon, assertBuilt, killAll, removeTempRoot } from '../../network/support/daemon.js';
import { connect, noHtlcsLeft, openChannel, until, type ChannelPair } from '../../network/support/lightning.js';
import type { JsonObject } from '../../network/support/rpc-client.js';
import type { PayOutcome, PayStarted } from '../pages/pay-client.js';
import type { RpcObject, RpcParams, StartOptions } from '../../../src/worker/types.js';

export const PAGE = '/test/browser/pages/pay-client.html';
/** The daemons' static chain height; the Worker's chain says the same. */
export const HEIGHT = 800_000;
/** Every forwarder's default relay policy (src/forwarding/policy.ts). */
export const FEE_BASE = 1000n;
export const FEE_PPM = 10n;
export const DELTA = 34;
/** CLTV delta given to the destination (B's invoices ask for 18). */
export const FINAL_DELAY = 40;

export const feeAt = (forwarded: bigint): bigint => FEE_BASE + (forwarded * FEE_PPM) / 1_000_000n;

export interface PayNetwork {
  a: Daemon;
  b: Daemon;
  c?: Daemon;
  g?: Daemon;
  ab: ChannelPair;
  cb?: ChannelPair;
  ag?: ChannelPair;
}

/**
 * Starts `LW_DEV_GARBLE_FAILURES=1` for one daemon only: Daemon.start copies process.env
 * synchronously, before its first await, so the variable is set just around that call.
 */
function startGarbling(name: string, zeroconfFrom: string[]): Promise<Daemon> {
  const before = process.env.LW_DEV_GARBLE_FAILURES;
  process.env.LW_DEV_GARBLE_FAILURES = '1';
  try {
    return Daemon.start({ name, height: HEIGHT, zeroconfFrom });
  } finally {
    if (before === undefined) delete process.env.LW_DEV_GARBLE_FAILURES;
    else process.env.LW_DEV_GARBLE_FAILURES = before;
  }
}

export async function startPayNetwork(o: { c?: boolean; g?: boolean } = {}): Promise<PayNetwork> {
  assertBuilt();
  const [a, c] = await Promise.all([
    Daemon.start({ name: 'A', height: HEIGHT, ws: true }),
    o.c ? Daemon.start({ name: 'C', height: HEIGHT, ws: true }) : Promise.resolve(undefined),
  ]);
  // B trusts A and C for zero-conf, G trusts A: their ids are known once those run.
  const [b, g] = await Promise.all([
    Daemon.start({ name: 'B', height: HEIGHT, zeroconfFrom: [a.id, ...(c ? [c.id] : [])] }),
    o.g ? startGarbling('G', [a.id]) : Promise.resolve(undefined),
  ]);
  await connect(a, b);
  const net: PayNetwork = { a, b, ab: await openChannel(a, b, 5_000_000) };
  if (c) {
    await connect(c, b);
    net.c = c;
    net.cb = await openChannel(c, b, 5_000_000);
  }
  if (g) {
    await connect(a, g);
    net.g = g;
    net.ag = await openChannel(a, g, 1_000_000);
  }
  return net;
}

export async function stopPayNetwork(): Promise<void> {
  await killAll();
  removeTempRoot();
}

export function wsUrl(d: Daemon): string {
  const b = d.ready.bindings.find((x) => x.type === 'websocket');
  if (!b) throw new Error(`${d.name} has no WebSocket binding`);
  return `ws://127.0.0.1:${b.port}`;
}

export const unique = (label: string): string => `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;

export interface Hop {
  id: string;
  channel: string;
  amount_msat: bigint;
  delay: number;
}

/** A Worker channel as both ends name it. */
export interface WorkerChannel {
  channel_id: string;
  peer: Daemon;
  /** The Worker's alias.local: hop 0's `channel`. */
  workerAlias: string;
  /** The peer's alias.local: how its listforwards names the channel. */
  peerAlias: string;
}

/** Worker → X → dest: X charges its default fee and CLTV delta unless told otherwise. */
export function route(first: WorkerChannel, next: { dest: Daemon; channel: string }, amount: bigint, o: { fee?: bigint; delay?: number } = {}): Hop[] {
  return [
    { id: first.peer.id, channel: first.workerAlias, amount_msat: amount + (o.fee ?? feeAt(amount)), delay: (o.delay ?? FINAL_DELAY) + DELTA },
    { id: next.dest.id, channel: next.channel, amount_msat: amount, delay: o.delay ?? FINAL_DELAY },
  ];
}

export interface Invoice {
  bolt11: string;
  payment_hash: string;
  payment_secret: string;
}

export async function invoice(d: Daemon, amount: bigint, label: string): Promise<Invoice> {
  return d.call<Invoice & JsonObject>('invoice', { amount_msat: amount, label, description: label });
}

export async function invoiceRow(d: Daemon, label: string): Promise<JsonObject> {
  const { invoices } = await d.call<{ invoices: JsonObject[] }>('listinvoices', { label });
  expect(invoices).toHaveLength(1);
  return invoices[0]!;
}

/** The HTLCs on `d`'s channels, for "nothing stuck" checks. */
export async function htlcsOf(d: Daemon): Promise<JsonObject[]> {
  const { channels } = await d.call<{ channels: JsonObject[] }>('listpeerchannels', {});
  return channels.flatMap((c) => c.htlcs as JsonObject[]);
}

/** The forwards of the Worker channel `ch` at its peer (CLN's listforwards names no payment_hash). */
export async function forwardsFrom(ch: WorkerChannel): Promise<JsonObject[]> {
  const { forwards } = await ch.peer.call<{ forwards: JsonObject[] }>('listforwards', { in_channel: ch.peerAlias });
  return forwards;
}

export { noHtlcsLeft, until };

/**
 * Runs `f` with `d` frozen (SIGSTOP): HTLCs forwarded to it wait in its socket, so the payer's
 * attempts stay pending for as long as `f` runs (keep it to seconds: peers ping after 30 s).
 * Never call `d` inside `f`.
 */
export async function whileFrozen<T>(d: Daemon, f: () => Promise<T>): Promise<T> {
  const pid = d.child.pid;
  if (pid === undefined || !d.alive) throw new Error(`${d.name} is not running`);
  process.kill(pid, 'SIGSTOP');
  try {
    return await f();
  } finally {
    if (d.alive) process.kill(pid, 'SIGCONT');
  }
}

/** The page and its Worker node, driven from the test. */
export class WorkerPage {
  private constructor(
    readonly page: Page,
    readonly dbName: string,
    public id: string,
  ) {}

  static startOptions(dbName: string, trust: Daemon[]): StartOptions {
    return { network: 'regtest', dbName, chain: { static: HEIGHT }, zeroconfFrom: trust.map((d) => d.id) };
  }

  /** A new tab with the page loaded (no node yet). */
  static async load(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(PAGE);
    await page.waitForFunction(() => window.payReady === true);
    return page;
  }

  /** Opens a tab and starts the node on `dbName` (a crash point for crash tests). */
  static async open(context: BrowserContext, dbName: string, trust: Daemon[], extra: { crashAt?: string } = {}): Promise<WorkerPage> {
    const page = await WorkerPage.load(context);
    const w = new WorkerPage(page, dbName, '');
    await w.start(trust, extra);
    return w;
  }

  async start(trust: Daemon[], extra: { crashAt?: string; readOnlyIfLocked?: boolean } = {}): Promise<PayStarted> {
    const opts = { ...WorkerPage.startOptions(this.dbName, trust), ...(extra.readOnlyIfLocked ? { readOnlyIfLocked: true } : {}) };
    const started = await this.page.evaluate(([o, x]) => window.pay.start(o, x), [opts, { ...(extra.crashAt ? { crashAt: extra.crashAt } : {}), lockedRetryMs: 20_000 }] as const);
    if (!started.ok) throw new Error(`node did not start: ${JSON.stringify(started)}`);
    this.id = started.id;
    return started;
  }

  /**
   * Starts the node again on the same database after its Worker ended: by reloading the tab, or
   * with a new Worker in the same tab.
   */
  async restart(trust: Daemon[], how: 'reload' | 'new-worker'): Promise<void> {
    if (how === 'reload') {
      await this.page.reload();
      await this.page.waitForFunction(() => window.payReady === true);
    }
    const before = this.id;
    await this.start(trust);
    expect(this.id).toBe(before);
  }

  call(method: string, params: RpcParams = {}): Promise<PayOutcome> {
    return this.page.evaluate(([m, p]) => window.pay.call(m, p), [method, params] as const);
  }

  /** A call that must succeed: its result. */
  async ok(method: string, params: RpcParams = {}): Promise<RpcObject> {
    const r = await this.call(method, params);
    if (!r.ok) throw new Error(`${method} failed: ${r.code} ${r.message}`);
    return r.value;
  }

  /** A call that must fail: its error. */
  async err(method: string, params: RpcParams = {}): Promise<PayOutcome & { ok: false }> {
    const r = await this.call(method, params);
    if (r.ok) throw new Error(`${method} unexpectedly succeeded: ${JSON.stringify(r.value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`);
    return r;
  }

  async connect(d: Daemon): Promise<void> {
    const r = await this.page.evaluate(([id, url]) => window.pay.connect(id, url), [d.id, wsUrl(d)] as const);
    if (!r.ok) throw new Error(`connect to ${d.name} failed: ${r.message}`);
  }

  async payments(params: RpcParams = {}): Promise<RpcObject[]> {
    return (await this.ok('listsendpays', params)).payments as RpcObject[];
  }

  async channels(peer?: Daemon): Promise<RpcObject[]> {
    return (await this.ok('listpeerchannels', peer ? { id: peer.id } : {})).channels as RpcObject[];
  }

  /** The Worker's channel `channelId`, once it is normal and its peer connected. */
  async normalChannel(channelId: string): Promise<RpcObject> {
    return until(`Worker channel ${channelId} normal`, async () => {
      const ch = (await this.channels()).find((c) => c.channel_id === channelId);
      return ch && ch.state === 'CHANNELD_NORMAL' && ch.peer_connected === true ? ch : undefined;
    });
  }

  /** Waits until the Worker's channels hold no HTLC. */
  async noHtlcs(): Promise<void> {
    await until('no HTLCs on the Worker', async () => ((await this.channels()).every((c) => (c.htlcs as unknown[]).length === 0) ? true : undefined));
  }

  events(): Promise<unknown[]> {
    return this.page.evaluate(() => window.pay.events());
  }
}

/**
 * `funder` opens a private zero-conf channel to the Worker (which must be connected to it and
 * trust it), pushing `pushMsat` so the Worker can pay; resolves once both ends are normal.
 */
export async function fundWorker(funder: Daemon, w: WorkerPage, sat: number, pushMsat: bigint): Promise<WorkerChannel> {
  const f = await funder.call<{ channel_id: string }>('fundchannel', { id: w.id, amount: sat, announce: false, mindepth: 0, push_msat: pushMsat });
  const theirs = await until(`${funder.name}: channel to the Worker normal`, async () => {
    const { channels } = await funder.call<{ channels: JsonObject[] }>('listpeerchannels', { id: w.id });
    const ch = channels.find((c) => c.channel_id === f.channel_id);
    return ch && ch.state === 'CHANNELD_NORMAL' && ch.peer_connected === true ? ch : undefined;
  });
  const ch = await w.normalChannel(f.channel_id);
  return { channel_id: f.channel_id, peer: funder, workerAlias: (ch.alias as RpcObject).local as string, peerAlias: (theirs.alias as JsonObject).local as string };
}

/** A node in a fresh tab and database, connected to `peers[0]` (and the rest), with a channel from `peers[0]`. */
export async function fundedWorker(
  context: BrowserContext,
  label: string,
  peers: Daemon[],
  o: { sat?: number; pushMsat?: bigint; crashAt?: string } = {},
): Promise<{ w: WorkerPage; ch: WorkerChannel }> {
  const w = await WorkerPage.open(context, unique(label), peers, o.crashAt ? { crashAt: o.crashAt } : {});
  for (const p of peers) await w.connect(p);
  const ch = await fundWorker(peers[0]!, w, o.sat ?? 2_000_000, o.pushMsat ?? 1_000_000_000n);
  return { w, ch };
}

/** BOLT 7 direction bit of a channel as seen from `from` towards `to`. */
export const direction = (from: string, to: string): number => (from < to ? 0 : 1);

export const bi = (v: unknown): bigint => {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' || typeof v === 'string') return BigInt(v);
  throw new Error(`not an integer: ${String(v)}`);
};
