// Timers come in from the runtime (sans-IO): tests drive a fake clock, the runtime passes the
// platform's setTimeout. Long waits are chained because setTimeout's delay is a signed 32-bit
// millisecond count (~24.8 days) while CLN timeouts are u32 seconds (~136 years).

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Largest delay setTimeout honours; longer ones fire immediately in browsers and Node. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Run `fn` after `ms` (any non-negative size) using chained timers; returns a canceller. */
export function scheduleLong(clock: Clock, ms: number, fn: () => void): () => void {
  let remaining = ms;
  let handle: unknown;
  let cancelled = false;
  const arm = (): void => {
    const step = Math.min(remaining, MAX_TIMER_MS);
    remaining -= step;
    handle = clock.setTimeout(() => {
      if (cancelled) return;
      if (remaining > 0) arm();
      else fn();
    }, step);
  };
  arm();
  return () => {
    if (cancelled) return;
    cancelled = true;
    clock.clearTimeout(handle);
  };
}
