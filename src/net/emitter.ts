// A minimal typed event emitter usable in browsers, workers and Node alike (node:events is not
// available everywhere). A throwing listener must not break the emitter or the other listeners:
// its error is reported to `onListenerError`.
export type Listener<A extends unknown[]> = (...args: A) => void;
export type EventMap = { [event: string]: unknown[] };
type AnyListener = (...args: never[]) => void;

export class Emitter<M extends EventMap> {
  private readonly listeners = new Map<keyof M, Set<AnyListener>>();

  constructor(private readonly onListenerError: (e: unknown) => void = reportListenerError) {}

  /** Subscribes; returns the unsubscribe function. */
  on<E extends keyof M>(event: E, fn: Listener<M[E]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(fn as unknown as AnyListener);
    return () => this.off(event, fn);
  }

  once<E extends keyof M>(event: E, fn: Listener<M[E]>): () => void {
    const off = this.on(event, ((...args: M[E]) => {
      off();
      fn(...args);
    }) as Listener<M[E]>);
    return off;
  }

  off<E extends keyof M>(event: E, fn: Listener<M[E]>): void {
    this.listeners.get(event)?.delete(fn as unknown as AnyListener);
  }

  listenerCount<E extends keyof M>(event: E): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  emit<E extends keyof M>(event: E, ...args: M[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as unknown as Listener<M[E]>)(...args);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}

function reportListenerError(e: unknown): void {
  // Surface the bug without letting it unwind into socket callbacks (as EventTarget does).
  const g = globalThis as { reportError?: (e: unknown) => void };
  if (typeof g.reportError === 'function') g.reportError(e);
  else console.error('event listener threw:', e);
}
