// Test support for the runtime-against-Electrum tests (Node and Playwright): starts
// ../shared/interop/electrum_channel_peer.py `serve` (Electrum 4.3.4's Peer + Channel, the open
// channel flow, mocked height 800 000), collects its JSON event lines, and stops it together with
// the websockify it may have started. Also a loopback TCP relay that can hold back what Electrum
// sends and cut the connection, to disconnect at a chosen point of a payment.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { INTEROP_DIR, PYTHON } from '../support/shared.js';

export type ElectrumEvent = Record<string, unknown> & { event: string };

export interface ElectrumInvoice {
  preimage: string;
  payment_hash: string;
  payment_secret: string;
  amount_msat: number;
  min_final_cltv_expiry: number;
  bolt11: string;
}

/** The mocked chain height of `serve` (its --block-height default). */
export const ELECTRUM_HEIGHT = 800_000;

export class ElectrumServe {
  readonly events: ElectrumEvent[] = [];
  private readonly waiters: { pred: (e: ElectrumEvent) => boolean; resolve: (e: ElectrumEvent) => void }[] = [];
  private err = '';
  private websockifyPid: number | undefined;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    let buf = '';
    child.stderr!.on('data', (d: Buffer) => {
      this.err = (this.err + d.toString('utf8')).slice(-20_000);
    });
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line.startsWith('{')) this.push(JSON.parse(line) as ElectrumEvent);
      }
    });
    this.exited = new Promise((r) => child.once('exit', () => r()));
  }

  /**
   * `serve --seed SEED --port 0` plus `args` (e.g. --send-payment, --websockify PORT,
   * --exit-after-payment). Resolves once it listens, with its invoice.
   */
  static async start(seed: string, args: string[] = [], seconds = 100): Promise<ElectrumServe> {
    const child = spawn(PYTHON, [resolve(INTEROP_DIR, 'electrum_channel_peer.py'), 'serve', '--seed', seed, '--port', '0', '--seconds', String(seconds), ...args], {
      cwd: INTEROP_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const e = new ElectrumServe(child);
    await e.waitFor((x) => x.event === 'listening', 30_000, 'listening');
    await e.waitFor((x) => x.event === 'invoice', 10_000, 'invoice');
    if (args.includes('--websockify')) await e.waitFor((x) => x.event === 'websockify', 10_000, 'websockify');
    return e;
  }

  private push(ev: ElectrumEvent): void {
    this.events.push(ev);
    if (ev.event === 'websockify') this.websockifyPid = ev['pid'] as number;
    for (const w of this.waiters.filter((x) => x.pred(ev))) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(ev);
    }
  }

  private first(name: string): ElectrumEvent {
    const e = this.events.find((x) => x.event === name);
    if (!e) throw new Error(`electrum: no ${name} event`);
    return e;
  }

  get port(): number {
    return this.first('listening')['port'] as number;
  }

  get nodeId(): string {
    return this.first('listening')['node_id'] as string;
  }

  get wsUrl(): string {
    return this.first('websockify')['ws_url'] as string;
  }

  get invoice(): ElectrumInvoice {
    return this.first('invoice') as unknown as ElectrumInvoice;
  }

  /** Events of one kind (and wire type, for sent/recv). */
  count(event: string, type?: string): number {
    return this.events.filter((e) => e.event === event && (type === undefined || e['type'] === type)).length;
  }

  /** The first event matching `pred` among those after index `from` (already seen or future). */
  waitFor(pred: (e: ElectrumEvent) => boolean, timeoutMs = 30_000, what = 'an event', from = 0): Promise<ElectrumEvent> {
    const seen = this.events.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((res, rej) => {
      const t = setTimeout(
        () => rej(new Error(`electrum: timed out waiting for ${what}; last events: ${JSON.stringify(this.events.slice(-12))}\nstderr: ${this.err.slice(-1500)}`)),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(t);
          res(e);
        },
      });
    });
  }

  /** SIGTERM (serve stops its websockify itself), SIGKILL after 5 s; then any websockify left. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(t);
    }
    const ws = this.websockifyPid;
    if (ws !== undefined && alive(ws)) process.kill(ws, 'SIGTERM');
  }
}

/** A loopback port that was free a moment ago (websockify needs one up front). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const CUT_GRACE_MS = 1000;

/**
 * Loopback relay to Electrum's port. While `hold()` is on, bytes from Electrum are kept instead of
 * delivered; `cut()` closes both sides and drops them, as if the link died with Electrum's
 * messages still on the way. Closing either side closes the other. Connections accepted within
 * a second of a cut reach Electrum only when that second is over.
 */
export class HoldingRelay {
  private server: Server | undefined;
  private readonly pairs = new Set<{ node: Socket; peer: Socket }>();
  private holding = false;
  private held: Buffer[] = [];
  private lastCut = 0;
  connections = 0;

  constructor(private readonly targetPort: number) {}

  async listen(): Promise<number> {
    const server = createServer((node) => this.onConnection(node));
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  private onConnection(node: Socket): void {
    this.connections++;
    // serve's mock lnworker marks the channel disconnected when an old session's loop ends, even
    // if a new session started meanwhile: give it a moment after a cut before dialling Electrum.
    node.pause();
    const wait = Math.max(0, this.lastCut + CUT_GRACE_MS - Date.now());
    setTimeout(() => this.pipe(node), wait);
  }

  private pipe(node: Socket): void {
    if (node.destroyed) return;
    const peer = connect(this.targetPort, '127.0.0.1');
    const pair = { node, peer };
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      node.destroy();
      peer.destroy();
    };
    node.on('data', (d: Buffer) => peer.write(d));
    peer.on('data', (d: Buffer) => {
      if (this.holding) this.held.push(d);
      else node.write(d);
    });
    node.on('close', end);
    peer.on('close', end);
    node.on('error', end);
    peer.on('error', end);
    node.resume();
  }

  /** From now on, what Electrum sends stays here. */
  hold(): void {
    this.holding = true;
  }

  /** Bytes held so far. */
  get heldBytes(): number {
    return this.held.reduce((n, b) => n + b.length, 0);
  }

  /** Closes every connection, dropping what was held; later connections relay normally. */
  cut(): void {
    this.lastCut = Date.now();
    this.holding = false;
    this.held = [];
    for (const p of [...this.pairs]) {
      p.node.destroy();
      p.peer.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cut();
    const s = this.server;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
