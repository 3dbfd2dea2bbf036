// Turns a running module Worker (one that hosts WorkerHost, see worker.ts) into a LightningClient.
// Kept apart from client.ts so tests can attach the client to a Worker of their own making.
import { errorMessage } from '../errors.js';
import type { BrowserNodeOptions } from '../runtime/node-api.js';
import { requestPersistentStorage, type PersistenceOutcome } from '../store/persistence.js';
import { clientOf } from './client-api.js';
import { WorkerSession, type SessionEnv } from './session.js';
import type { LightningClient } from './types.js';

/** Asks once per start; a failure to ask is reported as an outcome, never thrown. */
function requestPersistence(): Promise<PersistenceOutcome> {
  return requestPersistentStorage().catch((e: unknown) => ({ status: 'unsupported' as const, reason: errorMessage(e) }));
}

/**
 * Starts the node in `worker`; on failure the Worker is terminated and WorkerStartError thrown.
 * Takes BrowserNodeOptions so crash-safety tests can pass `crashAt`; pages use StartOptions.
 */
export async function attachLightningWorker(worker: Worker, opts: BrowserNodeOptions, env?: SessionEnv): Promise<LightningClient> {
  const session = new WorkerSession(worker, env);
  await session.start(opts);
  // Only a node that runs is worth protecting from eviction; persist() is page-only (not in Workers).
  return clientOf(session, requestPersistence());
}
