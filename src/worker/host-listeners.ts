// The page's subscriptions inside the Worker. Each listener is a Comlink proxy: calling it posts a
// message and returns a promise that rejects once the page side is gone (tab closed, proxy
// released). Such a listener is dropped rather than retried, and one bad listener never stops
// the others. Node events raised before the page subscribed (payments settled by the start-up
// recovery) are kept, up to a bound, for the first subscriber.
import * as Comlink from 'comlink';
import type { HostEvent, HostListener } from './protocol.js';

const MAX_UNHEARD = 256;

export class HostListeners {
  private readonly listeners = new Set<HostListener>();
  private unheard: HostEvent[] = [];

  get size(): number {
    return this.listeners.size;
  }

  add(listener: HostListener): () => void {
    this.listeners.add(listener);
    const backlog = this.unheard;
    this.unheard = [];
    for (const e of backlog) this.send(listener, e);
    return () => this.remove(listener);
  }

  emit(event: HostEvent): void {
    if (this.listeners.size === 0) {
      if (event.type !== 'node') return; // state notices (in-flight counts) are only news live
      this.unheard.push(event);
      if (this.unheard.length > MAX_UNHEARD) this.unheard.shift();
      return;
    }
    for (const l of [...this.listeners]) this.send(l, event);
  }

  /** Delivers to one listener, subscribed or not; drops it from the set if it is gone. */
  send(listener: HostListener, event: HostEvent): void {
    try {
      const r: unknown = listener(event);
      if (r instanceof Promise) r.catch(() => this.remove(listener));
    } catch {
      this.remove(listener);
    }
  }

  removeAll(): void {
    for (const l of [...this.listeners]) this.remove(l);
  }

  private remove(listener: HostListener): void {
    if (!this.listeners.delete(listener)) return;
    // A Comlink proxy holds a MessagePort open until released; a plain function has no such key.
    const release = (listener as unknown as Record<symbol, unknown>)[Comlink.releaseProxy];
    if (typeof release !== 'function') return;
    const r: unknown = (release as () => unknown).call(listener);
    // Releasing a proxy whose page is gone fails: there is nothing left to free then.
    if (r instanceof Promise) r.catch(() => undefined);
  }
}
