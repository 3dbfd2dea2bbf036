/// <reference lib="webworker" />
// The Worker entry of src/worker/worker.ts (WorkerHost over createBrowserNode, Comlink), with one
// difference for the payment crash tests: when the node reaches its `crashAt` point, the Worker
// first tells the page which point it was (a plain postMessage that Comlink ignores), then spins
// like the default crash hook does, until the page's watchdog gives up and terminates it.
import * as Comlink from 'comlink';
import { createBrowserNode } from '../../../src/runtime/browser-node.js';
import { installErrorTransfer } from '../../../src/worker/error-transfer.js';
import { WorkerHost } from '../../../src/worker/host.js';

/** What the page receives when the crash point is reached. */
export interface CrashPointMessage {
  type: 'lw-test-crash-point';
  name: string;
}

installErrorTransfer();

const scope = self as unknown as DedicatedWorkerGlobalScope;

function crash(name: string): never {
  const m: CrashPointMessage = { type: 'lw-test-crash-point', name };
  scope.postMessage(m);
  for (;;) {
    // Nothing after the crash point may run: the page terminates this Worker.
  }
}

const host: WorkerHost = new WorkerHost((opts) => createBrowserNode(opts, { onStop: (reason) => host.stopped(reason), onCrashPoint: crash }));
Comlink.expose(host.api());
