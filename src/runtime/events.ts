// The node's event fan-out to the page / RPC notification subscribers. Events raised while nobody
// listens (typically payments settled by the start-up recovery, before the host subscribed) are
// kept, up to a bound, and handed to the first subscriber.
import type { NodeEvent } from './types.js';

export type NodeEventListener = (event: NodeEvent) => void;

const MAX_UNHEARD = 256;

export class EventHub {
  private readonly listeners = new Set<NodeEventListener>();
  private unheard: NodeEvent[] = [];

  constructor(private readonly onListenerError: (e: unknown) => void) {}

  subscribe(listener: NodeEventListener): () => void {
    this.listeners.add(listener);
    if (this.unheard.length > 0) {
      const backlog = this.unheard;
      this.unheard = [];
      // After subscribe() returns, so the caller can store its unsubscribe function first.
      queueMicrotask(() => {
        for (const e of backlog) this.deliver(listener, e);
      });
    }
    return () => this.listeners.delete(listener);
  }

  emit(event: NodeEvent): void {
    if (this.listeners.size === 0) {
      this.unheard.push(event);
      if (this.unheard.length > MAX_UNHEARD) this.unheard.shift();
      return;
    }
    for (const l of [...this.listeners]) this.deliver(l, event);
  }

  private deliver(l: NodeEventListener, event: NodeEvent): void {
    // A subscriber's bug must not break the node or the other subscribers.
    try {
      l(event);
    } catch (e) {
      this.onListenerError(e);
    }
  }
}
