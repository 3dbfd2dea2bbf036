// Test page for the payment specs (pay*.spec.ts): `window.pay` runs one Lightning node in a module
// Worker of this page — the real `startLightningWorker`, or, for crash tests, the same host with a
// crash point (attachLightningWorker over workers/pay-crash-host.ts, which reports the point it
// stopped at) — and reports every call's outcome as plain data. Playwright carries bigints across
// page.evaluate, so results keep their u64 values as bigint; RpcErrors become { code, message, data }.
import { startLightningWorker, RpcError, WorkerStartError } from '../../../src/worker/client.js';
import { attachLightningWorker } from '../../../src/worker/attach.js';
import type { LightningClient, NodeEvent, RpcObject, RpcParams, StartOptions } from '../../../src/worker/types.js';
import type { CrashPointMessage } from '../workers/pay-crash-host.js';

export type PayOutcome =
  | { ok: true; value: RpcObject }
  | { ok: false; rpcError: boolean; name: string; code?: number | string; message: string; data?: RpcObject };

export type PayStarted = { ok: true; id: string; readOnly: boolean } | { ok: false; name: string; code?: string; message: string };

/** What a payment that was meant to crash the Worker saw, and where the Worker stopped. */
export interface CrashRun {
  sendpay: PayOutcome;
  /** Only when sendpay answered before the crash. */
  waitsendpay?: PayOutcome;
  /** The client's `stopped` reason; absent if the Worker did not stop within the time given. */
  stopped?: string;
  /** Crash points the Worker reported (exactly one expected). */
  crashPoints: string[];
}

function failure(e: unknown): PayOutcome & { ok: false } {
  const err = e as { name?: string; code?: number | string; message?: string; data?: unknown };
  return {
    ok: false,
    rpcError: e instanceof RpcError,
    name: String(err.name),
    ...(err.code !== undefined ? { code: err.code } : {}),
    message: String(err.message ?? e),
    ...(err.data !== undefined && err.data !== null ? { data: err.data as RpcObject } : {}),
  };
}

async function settle(p: Promise<unknown>): Promise<PayOutcome> {
  try {
    return { ok: true, value: (await p) as RpcObject };
  } catch (e) {
    return failure(e);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let client: LightningClient | undefined;
const events: NodeEvent[] = [];
const crashPoints: string[] = [];

function ln(): LightningClient {
  if (client === undefined) throw new Error('no client: call pay.start first');
  return client;
}

async function startOnce(opts: StartOptions, crashAt?: string): Promise<LightningClient> {
  if (crashAt === undefined) return startLightningWorker(opts);
  const worker = new Worker(new URL('../workers/pay-crash-host.ts', import.meta.url), { type: 'module', name: 'lightning-worker-crash-test' });
  worker.addEventListener('message', (ev: MessageEvent<unknown>) => {
    const m = ev.data as Partial<CrashPointMessage> | null;
    if (m && m.type === 'lw-test-crash-point' && typeof m.name === 'string') crashPoints.push(m.name);
  });
  // A spinning Worker is noticed after a few seconds instead of the default 15.
  return attachLightningWorker(worker, { ...opts, crashAt }, { watchdog: { intervalMs: 250, timeoutMs: 6000 } });
}

const pay = {
  /**
   * Starts the node. `lockedRetryMs`: after a crash or a reload the previous Worker may hold the
   * database's Web Lock a moment longer; retry LOCKED for that long.
   */
  async start(opts: StartOptions, extra: { crashAt?: string; lockedRetryMs?: number } = {}): Promise<PayStarted> {
    const end = performance.now() + (extra.lockedRetryMs ?? 0);
    for (;;) {
      try {
        client = await startOnce(opts, extra.crashAt);
        await client.subscribe((e) => events.push(e));
        return { ok: true, id: client.id, readOnly: client.readOnly };
      } catch (e) {
        const locked = e instanceof WorkerStartError && e.code === 'LOCKED';
        if (locked && performance.now() < end) {
          await sleep(200);
          continue;
        }
        const f = failure(e);
        return { ok: false, name: f.name, ...(typeof f.code === 'string' ? { code: f.code } : {}), message: f.message };
      }
    }
  },
  call: (method: string, params?: RpcParams) => settle(ln().call(method, params)),
  connect: (id: string, url: string) => settle(ln().connect({ id, url })),
  sendpay: (params: RpcParams) => settle(ln().sendpay(params)),
  waitsendpay: (params: RpcParams) => settle(ln().waitsendpay(params)),
  listsendpays: (params?: RpcParams) => settle(ln().listsendpays(params)),
  listpeerchannels: (params?: { id?: string }) => settle(ln().listpeerchannels(params)),

  /**
   * sendpay (and waitsendpay once it answered) on a node started with `crashAt`; resolves when the
   * client has ended (the watchdog gave up on the spinning Worker), or after `timeoutMs`.
   */
  async crashRun(params: RpcParams & { payment_hash: string }, timeoutMs: number): Promise<CrashRun> {
    const c = ln();
    const sent = settle(c.sendpay(params));
    const waited = sent.then((s) => (s.ok ? settle(c.waitsendpay({ payment_hash: params.payment_hash, timeout: 300, ...partOf(params) })) : undefined));
    const stopped = await Promise.race([c.stopped, sleep(timeoutMs).then(() => undefined)]);
    const run: CrashRun = { sendpay: await sent, crashPoints: [...crashPoints] };
    if (stopped !== undefined) run.stopped = stopped;
    const w = await waited;
    if (w !== undefined) run.waitsendpay = w;
    return run;
  },
  events: () => [...events],
  stopped: () => ln().stopped,
  close: () => settle(ln().close()),
};

function partOf(p: RpcParams): Record<string, unknown> {
  const o = p as Record<string, unknown>;
  return { ...(o.partid !== undefined ? { partid: o.partid } : {}), ...(o.groupid !== undefined ? { groupid: o.groupid } : {}) };
}

declare global {
  interface Window {
    pay: typeof pay;
    payReady: boolean;
  }
}
window.pay = pay;
window.payReady = true;
