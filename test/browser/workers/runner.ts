/// <reference lib="webworker" />
// Runs one named test module inside a module Worker (see ../pages/harness.ts).
import type { WorkerReply, WorkerRequest } from './protocol.js';

const post = (r: WorkerReply) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(r);

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const { name, args } = ev.data;
  try {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad worker module name ${name}`);
    const mod = (await import(/* @vite-ignore */ `./${name}.ts`)) as {
      default: (args: unknown, log: (m: string) => void) => Promise<unknown>;
    };
    const value = await mod.default(args, (message) => post({ kind: 'log', message }));
    post({ kind: 'ok', value });
  } catch (e) {
    post({ kind: 'error', error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) });
  }
};
