// Starts ../shared/interop/bolt8_peer.py (Electrum's BOLT 8 responder) as a child process, with
// websockify in front when asked, and collects its JSON event lines. Used by the Node interop
// test and by the Playwright spec (which runs this in its Node test process).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { INTEROP_DIR, PYTHON } from '../support/shared.js';

export type PeerEvent = Record<string, unknown> & { event: string };

export interface Bolt8PeerProcess {
  port: number;
  nodeId: string;
  /** ws://127.0.0.1:<port> when started with websockify. */
  wsUrl?: string;
  events: PeerEvent[];
  /** Resolves with the first event matching `pred` (already seen or future). */
  waitFor(pred: (e: PeerEvent) => boolean, timeoutMs?: number): Promise<PeerEvent>;
  /** Asks the peer to exit (stdin `shutdown`), then SIGTERM to our own child if needed. */
  stop(): Promise<void>;
  stderr(): string;
}

/** A port that was free a moment ago (websockify needs one up front). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startBolt8Peer(opts: { seconds?: number; websockify?: boolean; network?: string; extraArgs?: string[] } = {}): Promise<Bolt8PeerProcess> {
  const args = [resolve(INTEROP_DIR, 'bolt8_peer.py'), '--port', '0', '--seconds', String(opts.seconds ?? 120), '--network', opts.network ?? 'regtest', ...(opts.extraArgs ?? [])];
  if (opts.websockify) args.push('--websockify', String(await freePort()));
  const child: ChildProcess = spawn(PYTHON, args, { cwd: INTEROP_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  const events: PeerEvent[] = [];
  const waiters: { pred: (e: PeerEvent) => boolean; resolve: (e: PeerEvent) => void }[] = [];
  let err = '';
  let buf = '';
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
    if (err.length > 100_000) err = err.slice(-50_000);
  });
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (!line.startsWith('{')) continue;
      const ev = JSON.parse(line) as PeerEvent;
      events.push(ev);
      for (const w of waiters.filter((x) => x.pred(ev))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(ev);
      }
    }
  });
  const waitFor = (pred: (e: PeerEvent) => boolean, timeoutMs = 20_000) =>
    new Promise<PeerEvent>((res, rej) => {
      const seen = events.find(pred);
      if (seen) return res(seen);
      const t = setTimeout(() => rej(new Error(`bolt8_peer: timed out waiting for an event; stderr:\n${err.slice(-2000)}`)), timeoutMs);
      waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(t);
          res(e);
        },
      });
    });
  const stop = async () => {
    if (exited) return;
    child.stdin!.end('shutdown\n');
    const t = setTimeout(() => {
      if (!exited) child.kill('SIGTERM'); // our own child, by its handle
    }, 5000);
    await exit;
    clearTimeout(t);
  };
  try {
    const listening = await waitFor((e) => e.event === 'listening');
    const ws = opts.websockify ? await waitFor((e) => e.event === 'websockify') : undefined;
    const out: Bolt8PeerProcess = {
      port: listening['port'] as number,
      nodeId: listening['node_id'] as string,
      events,
      waitFor,
      stop,
      stderr: () => err,
    };
    if (ws) out.wsUrl = ws['ws_url'] as string;
    return out;
  } catch (e) {
    await stop();
    throw e;
  }
}
