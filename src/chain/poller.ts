// Tip polling shared by the HTTP-backed sources: one timer, listeners told only on change.
export class TipPoller {
  private readonly listeners = new Set<(height: number) => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: number | undefined;

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
    for (const l of [...this.listeners]) l(height);
  }

  async poll(): Promise<void> {
    try {
      this.observe(await this.fetchTip());
    } catch (e) {
      this.onError(e);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
