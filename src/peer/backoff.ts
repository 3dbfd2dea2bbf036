// Reconnect delays: exponential growth from `initialMs` by `factor`, capped at `maxMs`, with
// jitter so many clients (or tabs) that lost the same proxy do not return in lockstep.
export interface BackoffOptions {
  /** First delay (ms). Default 1000. */
  initialMs?: number;
  /** Upper bound (ms). Default 60000. */
  maxMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /** Fraction of each delay that is randomized away (0..1). Default 0.5: delays in [d/2, d]. */
  jitter?: number;
}

export class Backoff {
  private n = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;

  constructor(
    opts: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = Math.max(0, opts.initialMs ?? 1000);
    this.maxMs = Math.max(this.initialMs, opts.maxMs ?? 60_000);
    this.factor = Math.max(1, opts.factor ?? 2);
    this.jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.5));
  }

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.n;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** Math.min(this.n, 64));
    this.n++;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  reset(): void {
    this.n = 0;
  }
}
