// LightningClient over a WorkerSession: Core Lightning's methods come from the runtime's
// bindCoreMethods (the in-process Node API has the very same shape), each one a `call` through
// the Worker; the rest is what only a page client has.
import { bindCoreMethods } from '../runtime/client.js';
import type { PersistenceOutcome } from '../store/persistence.js';
import type { WorkerSession } from './session.js';
import type { LightningClient } from './types.js';

export function clientOf(s: WorkerSession, persistence: Promise<PersistenceOutcome>): LightningClient {
  return {
    ...bindCoreMethods((method, params, opts) => s.call(method, params ?? {}, opts?.signal)),
    id: s.id,
    readOnly: s.readOnly,
    persistence,
    stopped: s.stopped,
    subscribe: async (listener) => s.subscribe(listener),
    inFlight: () => s.inFlight(),
    reconnectAll: () => s.reconnectAll(),
    close: () => s.close(),
  };
}
