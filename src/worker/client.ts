// The package's page entry: `startLightningWorker` runs a Lightning node in a module Worker and
// returns Core Lightning's payment API for it. Errors of calls are RpcError { code, message, data }.
import type { StartOptions } from '../runtime/types.js';
import { attachLightningWorker } from './attach.js';
import { WorkerStartError } from './start-error.js';
import type { LightningClient } from './types.js';

export { RpcError } from '../rpc/errors.js';
export { WorkerStartError };
export type * from './types.js';

/**
 * The WASM crypto module's URL, resolved here on the page: written this way, bundlers (Vite) ship
 * the file next to this module and rewrite the URL, whatever form the Worker chunk takes.
 * `?no-inline`: Vite's library mode otherwise inlines every asset as a base64 data: URL (a third
 * bigger, uncacheable, and blocked by a CSP without `connect-src data:`); the dev server ignores it.
 */
function bundledWasmUrl(): string {
  return new URL('../../wasm/lightning.wasm?no-inline', import.meta.url).href;
}

/**
 * Starts the node. Rejects with WorkerStartError: code 'LOCKED' when another tab runs a node on
 * the same database (unless `readOnlyIfLocked`, which gives a read-only client instead).
 */
export async function startLightningWorker(opts: StartOptions): Promise<LightningClient> {
  if (typeof Worker === 'undefined') {
    throw new WorkerStartError('WORKER', 'Web Workers are not available here; on Node, Deno or Cloudflare use createLightningNode from lightning-worker/node');
  }
  // `new Worker(new URL(…, import.meta.url))` in one expression: the form Vite bundles as a Worker.
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'lightning-worker' });
  return attachLightningWorker(worker, { ...opts, wasmUrl: opts.wasmUrl ?? bundledWasmUrl() });
}
