// Test page for the Worker client: `window.lw` starts one client (the real node through
// startLightningWorker, or the stub host Worker) and reports outcomes as plain data, since
// RpcError instances and bigints do not cross page.evaluate.
import { startLightningWorker, RpcError, WorkerStartError } from '../../../src/worker/client.js';
import { attachLightningWorker } from '../../../src/worker/attach.js';
import type { LightningClient, NodeEvent, RpcParams, StartOptions } from '../../../src/worker/types.js';

export type Outcome =
  | { ok: true; value: string }
  | { ok: false; rpcError: boolean; name: string; code?: number | string; message: string; data?: string; abortError: boolean };

/** JSON with bigints as "123n", so tests can compare values. */
function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

function outcome(e: unknown): Outcome {
  const err = e as { name?: string; code?: number | string; message?: string; data?: unknown };
  return {
    ok: false,
    rpcError: e instanceof RpcError,
    name: String(err.name),
    ...(err.code !== undefined ? { code: err.code } : {}),
    message: String(err.message ?? e),
    ...(err.data !== undefined ? { data: show(err.data) } : {}),
    abortError: e instanceof DOMException && e.name === 'AbortError',
  };
}

async function settle(p: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: show(await p) };
  } catch (e) {
    return outcome(e);
  }
}

let client: LightningClient | undefined;
const events: NodeEvent[] = [];

function ln(): LightningClient {
  if (client === undefined) throw new Error('no client: call lw.start first');
  return client;
}

const lw = {
  async start(opts: StartOptions, mode: 'real' | 'stub' = 'real'): Promise<Outcome & { readOnly?: boolean; id?: string; startError?: boolean }> {
    try {
      client =
        mode === 'real'
          ? await startLightningWorker(opts)
          : await attachLightningWorker(new Worker(new URL('../workers/worker-stub-host.ts', import.meta.url), { type: 'module' }), opts, {
              watchdog: { intervalMs: 200, timeoutMs: 1500 },
            });
      await client.subscribe((e) => events.push(e));
      return { ok: true, value: '', readOnly: client.readOnly, id: client.id };
    } catch (e) {
      return { ...outcome(e), startError: e instanceof WorkerStartError };
    }
  },
  call: (method: string, params?: RpcParams) => settle(ln().call(method, params)),
  getinfo: () => settle(ln().getinfo()),
  sendpay: (params: RpcParams) => settle(ln().sendpay(params)),
  listsendpays: (params?: RpcParams) => settle(ln().listsendpays(params)),
  /** waitsendpay or wait whose signal is aborted after `abortAfterMs`; also how long the rejection took. */
  async waitAborted(method: 'waitsendpay' | 'wait', params: RpcParams, abortAfterMs: number): Promise<Outcome & { afterMs: number }> {
    const ctl = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ctl.abort(), abortAfterMs);
    const r = await settle(ln()[method](params, { signal: ctl.signal }));
    return { ...r, afterMs: performance.now() - t0 };
  },
  waitsendpay: (params: RpcParams) => settle(ln().waitsendpay(params)),
  inFlight: () => ln().inFlight(),
  persistence: () => ln().persistence,
  stopped: () => ln().stopped,
  events: () => events.map((e) => show(e)),
  close: () => settle(ln().close()),
};

declare global {
  interface Window {
    lw: typeof lw;
    lwReady: boolean;
  }
}
window.lw = lw;
window.lwReady = true;
