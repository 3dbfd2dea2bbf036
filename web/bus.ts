// A small typed event fan-out: node events from the Worker and the page's own "something
// changed" signals reach every panel that cares, without panels knowing about each other.
import type { NodeEvent } from '../src/worker/types.js';

export type AppEvent =
  | { type: 'node'; event: NodeEvent }
  /** Our node is running (the client is available from the app). */
  | { type: 'started' }
  /** A payment was sent or resolved: tables and balances are stale. */
  | { type: 'payments-changed' }
  /** The shop (or anyone) produced an invoice to pay. */
  | { type: 'invoice'; bolt11: string };

export type AppListener = (e: AppEvent) => void;

export class Bus {
  private readonly listeners = new Set<AppListener>();

  on(listener: AppListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: AppEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        // One broken panel must not stop the others from hearing the event.
        console.error('listener failed for', e.type, err);
      }
    }
  }
}
