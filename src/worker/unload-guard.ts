// "Leave this page?" while a payment is under way. Closing the tab mid-payment does not lose it
// (every attempt is stored before the HTLC leaves), but the HTLC stays unresolved until the node
// runs again, and a peer may force-close a channel whose HTLC we never settle. beforeunload must
// decide synchronously, so the guard works from cached counts, and the listener is attached only
// while something is in flight: a permanent beforeunload listener would also keep the page out of
// the back/forward cache.

/** Methods whose call may put an HTLC in flight before the Worker's count says so. */
const STARTS_PAYMENT: ReadonlySet<string> = new Set(['sendpay', 'sendonion', 'pay', 'keysend', 'injectpaymentonion']);

export function startsPayment(method: string): boolean {
  return STARTS_PAYMENT.has(method);
}

export interface UnloadTarget {
  addEventListener(type: 'beforeunload', fn: (ev: Event) => void): void;
  removeEventListener(type: 'beforeunload', fn: (ev: Event) => void): void;
}

export class UnloadGuard {
  private inFlight = 0;
  private starting = 0;
  private armed = false;
  private disposed = false;

  constructor(private readonly target: UnloadTarget) {}

  /** Whether leaving the page would ask the user to confirm now. */
  get isArmed(): boolean {
    return this.armed;
  }

  /** The Worker's HTLC count (pushed whenever it changes). */
  setInFlight(count: number): void {
    this.inFlight = count;
    this.update();
  }

  /** A payment-starting call was sent; `end` runs when it settles (its HTLC is counted by then). */
  paymentCall(): () => void {
    this.starting++;
    this.update();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.starting--;
      this.update();
    };
  }

  dispose(): void {
    this.disposed = true;
    this.update();
  }

  private readonly onBeforeUnload = (ev: Event): void => {
    ev.preventDefault();
    // Older Chromium shows the dialog only when returnValue is set as well.
    if (typeof BeforeUnloadEvent !== 'undefined' && ev instanceof BeforeUnloadEvent) ev.returnValue = '';
  };

  private update(): void {
    const want = !this.disposed && (this.inFlight > 0 || this.starting > 0);
    if (want === this.armed) return;
    this.armed = want;
    if (want) this.target.addEventListener('beforeunload', this.onBeforeUnload);
    else this.target.removeEventListener('beforeunload', this.onBeforeUnload);
  }
}
