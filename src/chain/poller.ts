// Tip polling shared by the HTTP-backed sources: one timer, listeners told only on change.
export class TipPoller {
  private readonly listeners = new Set<(height: number) => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: number | undefined;
  private polling = false;

  constructor(
    private readonly fetchTip: () => Promise<number>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  subscribe(listener: (height: number) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), this.intervalMs);
      // In Node, a poller alone must not keep the process alive.
      (this.timer as { unref?: () => void }).unref?.();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Feeds a height learned elsewhere (e.g. from an explicit tipHeight() call). */
  observe(height: number): void {
    if (height === this.last) return;
    this.last = height;
    // One failing listener must neither starve the others nor fail the caller's tipHeight().
    for (const l of [...this.listeners]) {
      try {
        l(height);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  async poll(): Promise<void> {
    // A backend slower than the interval must not pile up requests, nor let a late answer
    // announce an older height after a newer one.
    if (this.polling) return;
    this.polling = true;
    try {
      this.observe(await this.fetchTip());
    } catch (e) {
      this.onError(e);
    } finally {
      this.polling = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
