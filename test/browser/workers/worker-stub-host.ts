// A module Worker hosting the real WorkerHost (real Comlink, real transfer handlers) over the
// unit tests' stub node: for what the page client does in a real browser independently of the
// runtime (errors and aborts crossing a real Worker boundary, beforeunload, a Worker that dies).
// `stub_self_close` ends the Worker the way a crash-stop does: without a word to the page.
import * as Comlink from 'comlink';
import type { RpcParams, RpcValue } from '../../../src/runtime/types.js';
import { installErrorTransfer } from '../../../src/worker/error-transfer.js';
import { WorkerHost } from '../../../src/worker/host.js';
import { StubNode } from '../../unit/worker/stub-node.js';

class WorkerStubNode extends StubNode {
  override rpc(method: string, params?: RpcParams, opts?: { signal?: AbortSignal }): Promise<RpcValue> {
    if (method === 'stub_self_close') {
      setTimeout(() => self.close(), 0);
      return Promise.resolve({});
    }
    return super.rpc(method, params, opts);
  }
}

installErrorTransfer();
const host: WorkerHost = new WorkerHost(async (opts) => new WorkerStubNode({ readOnly: opts.readOnlyIfLocked === true, onStop: (r) => host.stopped(r) }));
Comlink.expose(host.api());
