// A WorkerHost and a page client in one process, joined by a MessageChannel instead of a Worker:
// the real Comlink path and transfer handlers, with the stub node behind the host.
import * as Comlink from 'comlink';
import type { StartOptions } from '../../../src/runtime/types.js';
import { installErrorTransfer } from '../../../src/worker/error-transfer.js';
import { WorkerHost, type CreateNode } from '../../../src/worker/host.js';
import { StubNode, type StubOptions } from './stub-node.js';

export interface FakeWorker {
  /** What the session sees as its Worker: the page's end of the channel, plus terminate(). */
  worker: Worker;
  terminated: () => boolean;
  /** Fires an `error` event as a Worker does for an uncaught exception or a load failure. */
  fireError(message: string): void;
}

/** `api` undefined: a Worker whose script never gets to expose anything. */
export function fakeWorker(api: object | undefined): FakeWorker {
  installErrorTransfer();
  const { port1, port2 } = new MessageChannel();
  if (api !== undefined) Comlink.expose(api, port1);
  let terminated = false;
  const worker = Object.assign(port2, {
    terminate: () => {
      terminated = true;
      port1.close();
      port2.close();
    },
  }) as unknown as Worker;
  return {
    worker,
    terminated: () => terminated,
    fireError: (message) => port2.dispatchEvent(Object.assign(new Event('error'), { message })),
  };
}

export interface Pair extends FakeWorker {
  host: WorkerHost;
  /** From now on the "Worker" answers nothing (as after self.close() or a hard crash). */
  silence(): void;
  /** The stub node, once started. */
  stub: () => StubNode;
}

export const START: StartOptions = { network: 'regtest', dbName: 'wallet', pageLifecycle: false, warnOnUnload: false };

/** A host with the stub node behind a fake Worker; attach a client with attachLightningWorker. */
export function pair(opts: StubOptions & { createNode?: CreateNode; pollMs?: number } = {}): Pair {
  let stub: StubNode | undefined;
  const host: WorkerHost = new WorkerHost(
    opts.createNode ??
      (async () => {
        stub = new StubNode({ ...opts, onStop: (reason) => host.stopped(reason) });
        return stub;
      }),
    opts.pollMs,
  );
  let alive = true;
  const real = host.api();
  const api = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [name, (...args: unknown[]) => (alive ? (fn as (...a: unknown[]) => unknown)(...args) : new Promise(() => undefined))]),
  );
  return {
    ...fakeWorker(api),
    host,
    silence: () => {
      alive = false;
    },
    stub: () => {
      if (stub === undefined) throw new Error('the stub node was not created');
      return stub;
    },
  };
}

/** Resolves on the next macrotask turn (messages in flight are delivered by then, mostly). */
export const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until it holds (or fails the test after `timeoutMs`): no fixed sleeps in assertions. */
export async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms: ${cond.toString()}`);
    await tick(5);
  }
}
