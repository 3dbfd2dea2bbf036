// Notices a Worker that stopped answering (it closed itself, crashed without an error event, or
// the browser killed it): nothing else tells the page, and its pending calls would wait forever.
// It pings only while calls are pending, so an idle page costs nothing. A page that was suspended
// (background tab, frozen) may see the ping's timer fire before the queued reply: a timer that
// fires much later than it should gives the reply one more period rather than declaring death.
export interface WatchdogOptions {
  /** How often to check while calls are pending (default 3 s). */
  intervalMs?: number;
  /** How long a ping may go unanswered (default 15 s). */
  timeoutMs?: number;
  /** Monotonic milliseconds (tests simulate a suspended page with it). */
  now?: () => number;
}

export class Watchdog {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private interval: ReturnType<typeof setInterval> | undefined;
  private waiting = false;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly busy: () => boolean,
    private readonly onDead: (why: string) => void,
    opts: WatchdogOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 3000;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.now = opts.now ?? (() => performance.now());
  }

  start(): void {
    this.interval ??= setInterval(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    if (this.interval !== undefined) clearInterval(this.interval);
    this.interval = undefined;
  }

  private tick(): void {
    if (this.waiting || !this.busy()) return;
    this.waiting = true;
    let answered = false;
    this.ping().then(
      () => {
        answered = true;
        this.waiting = false;
      },
      // A rejected ping is an answer too: the Worker is alive enough to reply.
      () => {
        answered = true;
        this.waiting = false;
      },
    );
    const wait = (armedAt: number): void => {
      setTimeout(() => {
        if (answered || this.interval === undefined) return;
        const late = this.now() - armedAt > 2 * this.timeoutMs;
        if (late) wait(this.now());
        else this.onDead(`the Worker did not answer for ${this.timeoutMs / 1000} s`);
      }, this.timeoutMs);
    };
    wait(this.now());
  }
}
