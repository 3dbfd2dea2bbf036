// Browser test harness: `window.runInWorker(name, args)` starts a fresh module Worker that imports
// /test/browser/workers/<name>.ts and resolves with what its default export returns.
import type { WorkerRequest, WorkerReply } from '../workers/protocol.js';

declare global {
  interface Window {
    runInWorker: (name: string, args?: unknown) => Promise<unknown>;
    harnessReady: boolean;
  }
}

window.runInWorker = (name: string, args?: unknown) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../workers/runner.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<WorkerReply>) => {
      const reply = ev.data;
      if (reply.kind === 'log') {
        console.log(`[worker ${name}]`, reply.message);
        return;
      }
      worker.terminate();
      if (reply.kind === 'ok') resolve(reply.value);
      else reject(new Error(reply.error));
    };
    worker.onerror = (ev) => {
      worker.terminate();
      reject(new Error(`worker error: ${ev.message}`));
    };
    const req: WorkerRequest = { name, args };
    worker.postMessage(req);
  });
window.harnessReady = true;
