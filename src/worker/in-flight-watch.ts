// Pushes the node's in-flight HTLC count to the page whenever it changes. The node has no event
// for it (HTLCs come and go inside channel updates), and reading it is a cheap synchronous call,
// so the Worker samples it: after every call and event, and on a short timer while anyone
// listens. The page's beforeunload handler then reads a cached number without a round trip.
export const IN_FLIGHT_POLL_MS = 250;

export class InFlightWatch {
  private last = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly read: () => number,
    private readonly push: (count: number) => void,
    private readonly pollMs = IN_FLIGHT_POLL_MS,
  ) {}

  /** Samples now; pushes if the count changed since the last push. */
  check(): void {
    let count: number;
    try {
      count = this.read();
    } catch {
      return; // a stopped node: the 'stopped' event says what matters now
    }
    if (count === this.last) return;
    this.last = count;
    this.push(count);
  }

  /** The last count pushed (what the page holds). */
  get current(): number {
    return this.last;
  }

  start(): void {
    this.timer ??= setInterval(() => this.check(), this.pollMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
