// Test page for electrum.spec.ts: `window.lwe` starts the real node in a module Worker
// (startLightningWorker) and calls its methods by name. Results cross page.evaluate as JSON text
// with bigints written "123n"; errors as { code, message } (RpcError instances do not cross).
import { startLightningWorker, RpcError } from '../../../src/worker/client.js';
import type { LightningClient, RpcParams, StartOptions } from '../../../src/worker/types.js';

export type Outcome = { ok: true; value: string } | { ok: false; rpcError: boolean; code?: number | string; message: string };

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

async function settle(p: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: show(await p) };
  } catch (e) {
    const err = e as { code?: number | string; message?: string };
    return { ok: false, rpcError: e instanceof RpcError, ...(err.code !== undefined ? { code: err.code } : {}), message: String(err.message ?? e) };
  }
}

let client: LightningClient | undefined;

function ln(): LightningClient {
  if (client === undefined) throw new Error('call lwe.start first');
  return client;
}

const lwe = {
  async start(opts: StartOptions): Promise<Outcome> {
    return settle(
      startLightningWorker(opts).then((c) => {
        client = c;
        return { id: c.id };
      }),
    );
  },
  call: (method: string, params?: RpcParams) => settle(ln().call(method, params)),
  /** Polls listpeerchannels until the channel with `peer` is CHANNELD_NORMAL and connected. */
  async waitNormal(peer: string, timeoutMs: number): Promise<Outcome> {
    const end = performance.now() + timeoutMs;
    for (;;) {
      const { channels } = (await ln().listpeerchannels({ id: peer })) as { channels: { state: string; peer_connected: boolean }[] };
      const c = channels.find((x) => x.state === 'CHANNELD_NORMAL' && x.peer_connected);
      if (c) return { ok: true, value: show(c) };
      if (performance.now() > end) return { ok: false, rpcError: false, message: `not CHANNELD_NORMAL after ${timeoutMs} ms: ${show(channels)}` };
      await new Promise((r) => setTimeout(r, 50));
    }
  },
  close: () => settle(ln().close()),
};

declare global {
  interface Window {
    lwe: typeof lwe;
    lweReady: boolean;
  }
}
window.lwe = lwe;
window.lweReady = true;
