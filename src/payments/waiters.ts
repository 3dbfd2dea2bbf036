// Registries of pending waits: waitsendpay waiters keyed by attempt, and `wait` waiters keyed by
// index. Many callers may wait on the same key; all are answered together. A waiter ends by an
// answer, by its timeout (waitsendpay only: 200 "Timed out while waiting", the payment untouched),
// by its AbortSignal (the promise rejects with the signal's reason; nothing else changes), or
// when the node stops (answered with -5; the payments stay as they are).
import { PAY_IN_PROGRESS, RpcError, failWith, type Outcome } from '../rpc/errors.js';
import { scheduleLong, type Clock } from './clock.js';
import type { PaymentObject } from './format.js';
import { attemptKey } from './row.js';
import type { AttemptId } from './types.js';

type Entry<T> = { settle(v: T): void };

/** A keyed set of one-shot promises. */
export class WaiterSet<T> {
  private readonly byKey = new Map<string, Set<Entry<T>>>();

  /** Wait on `key`; `onTimeout` arms a timer given the settle function, returning its canceller. */
  add(key: string, signal?: AbortSignal, arm?: (settle: (v: T) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let set = this.byKey.get(key);
      if (set === undefined) {
        set = new Set();
        this.byKey.set(key, set);
      }
      const bucket = set;
      let disarm: (() => void) | undefined;
      const cleanup = (): void => {
        bucket.delete(entry);
        if (bucket.size === 0 && this.byKey.get(key) === bucket) this.byKey.delete(key);
        disarm?.();
        signal?.removeEventListener('abort', onAbort);
      };
      const entry: Entry<T> = {
        settle: (v) => {
          cleanup();
          resolve(v);
        },
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason);
      };
      bucket.add(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (arm !== undefined) disarm = arm(entry.settle);
    });
  }

  /** Settle every waiter of `key`; returns how many there were. */
  settle(key: string, value: T): number {
    const set = this.byKey.get(key);
    if (set === undefined) return 0;
    const entries = [...set];
    for (const e of entries) e.settle(value);
    return entries.length;
  }

  /** Settle the waiters of every key accepted by `match`. */
  settleWhere(match: (key: string) => boolean, value: (key: string) => T): number {
    let n = 0;
    for (const key of [...this.byKey.keys()]) if (match(key)) n += this.settle(key, value(key));
    return n;
  }

  /** Settle every waiter of every key (the node is stopping). */
  settleAll(value: T): number {
    return this.settleWhere(() => true, () => value);
  }

  get size(): number {
    let n = 0;
    for (const s of this.byKey.values()) n += s.size;
    return n;
  }
}

export const TIMED_OUT_MESSAGE = 'Timed out while waiting';

/** waitsendpay waiters, answered by resolutions of exactly (payment_hash, partid, groupid). */
export class WaitsendpayWaiters {
  private readonly set = new WaiterSet<Outcome<PaymentObject>>();

  constructor(private readonly clock: Clock) {}

  /** Wait for the attempt; `timeoutSeconds` undefined = forever, 0 = answer on the next timer tick. */
  wait(id: AttemptId, timeoutSeconds?: number, signal?: AbortSignal): Promise<Outcome<PaymentObject>> {
    const arm =
      timeoutSeconds === undefined
        ? undefined
        : (settle: (v: Outcome<PaymentObject>) => void) =>
            scheduleLong(this.clock, timeoutSeconds * 1000, () => settle(failWith(new RpcError(PAY_IN_PROGRESS, TIMED_OUT_MESSAGE))));
    return this.set.add(attemptKey(id), signal, arm);
  }

  /** Answer everyone waiting on `id` (Resolution.answer). */
  answer(id: AttemptId, outcome: Outcome<PaymentObject>): number {
    return this.set.settle(attemptKey(id), outcome);
  }

  /** Answer every waiter with `outcome` (the node is stopping; the payments stay as they are). */
  answerAll(outcome: Outcome<PaymentObject>): number {
    return this.set.settleAll(outcome);
  }

  get size(): number {
    return this.set.size;
  }
}
