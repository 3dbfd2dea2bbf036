// The module Worker entry: one Lightning node per Worker, driven by the page through Comlink
// (protocol.ts is the API, host.ts implements it, client.ts is the page side).
import * as Comlink from 'comlink';
import { createBrowserNode, type BrowserNodeHooks } from '../runtime/browser-node.js';
import { installErrorTransfer } from './error-transfer.js';
import { WorkerHost } from './host.js';

installErrorTransfer();

const host: WorkerHost = new WorkerHost((opts) => {
  // onStop: the node stopped itself (a store write failed, or the `stop` command): the host tells
  // the page and refuses later calls. It needs createBrowserNode to pass it on to the node.
  const hooks: BrowserNodeHooks & { onStop: (reason: string) => void } = { onStop: (reason) => host.stopped(reason) };
  return createBrowserNode(opts, hooks);
});
Comlink.expose(host.api());
