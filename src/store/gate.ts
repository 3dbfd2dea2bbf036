// The life cycle every store shares: open → failed (fail-stop) or closed. A store that could not
// persist a commit must not keep serving reads or writes, because the node above it would carry
// on from state that is not on disk; so after a failure every call rejects with FAILED.
import { StoreError, type StoreErrorCode } from './types.js';

const STATE_ERRORS: ReadonlySet<StoreErrorCode> = new Set<StoreErrorCode>(['CLOSED', 'FAILED', 'READ_ONLY']);

/** Maps anything thrown to a StoreError; unknown errors become `fallback` (IO by default). */
export function toStoreError(e: unknown, fallback: StoreErrorCode = 'IO'): StoreError {
  if (e instanceof StoreError) return e;
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new StoreError(fallback, msg);
}

export class StoreGate {
  private state: 'open' | 'failed' | 'closed' = 'open';
  private reason = '';
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly what: string) {}

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Throws CLOSED or FAILED unless the store is open. */
  check(): void {
    if (this.state === 'closed') throw new StoreError('CLOSED', `${this.what} is closed`);
    if (this.state === 'failed') throw new StoreError('FAILED', `${this.what} has failed and stopped: ${this.reason}`);
  }

  /**
   * For a call accepted earlier that has waited its turn: throws FAILED if the store failed
   * meanwhile. A close meanwhile does not stop it (close waits for accepted calls).
   */
  checkNotFailed(): void {
    if (this.state === 'failed') throw new StoreError('FAILED', `${this.what} has failed and stopped: ${this.reason}`);
  }

  /** Enters the failed state (first reason wins); later calls reject with FAILED. */
  fail(reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.reason = reason;
  }

  /** Runs a call if the store is open, tracking it so close() can wait for it. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      this.check();
    } catch (e) {
      return Promise.reject(e);
    }
    const p = fn();
    this.inflight.add(p);
    const done = (): void => {
      this.inflight.delete(p);
    };
    p.then(done, done);
    return p;
  }

  /**
   * Runs a commit: a rejection other than a state error (CLOSED/FAILED/READ_ONLY) fails the store,
   * because the caller meant to persist something and could not.
   */
  runCommit(fn: () => Promise<void>): Promise<void> {
    return this.run(async () => {
      try {
        await fn();
      } catch (e) {
        const err = toStoreError(e);
        if (!STATE_ERRORS.has(err.code)) this.fail(`a commit failed with ${err.code}: ${err.message}`);
        throw err;
      }
    });
  }

  /** Marks the store closed and waits for calls in flight; false if it was already closed. */
  async close(): Promise<boolean> {
    if (this.state === 'closed') return false;
    this.state = 'closed';
    await Promise.allSettled([...this.inflight]);
    return true;
  }
}
