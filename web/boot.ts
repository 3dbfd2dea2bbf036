// The one place the page starts the Worker. Kept apart so every other page module depends only
// on the LightningClient contract (src/worker/types.ts), not on how the Worker is made.
import { startLightningWorker } from '../src/worker/client.js';
import type { LightningClient, StartOptions } from '../src/worker/types.js';

export function startNode(options: StartOptions): Promise<LightningClient> {
  return startLightningWorker(options);
}
