// The node's event fan-out to the page / RPC notification subscribers.
import type { NodeEvent } from './types.js';

export type NodeEventListener = (event: NodeEvent) => void;

export class EventHub {
  private readonly listeners = new Set<NodeEventListener>();

  constructor(private readonly onListenerError: (e: unknown) => void) {}

  subscribe(listener: NodeEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: NodeEvent): void {
    for (const l of [...this.listeners]) {
      // A subscriber's bug must not break the node or the other subscribers.
      try {
        l(event);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }
}
