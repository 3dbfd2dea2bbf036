// `wait subsystem indexname nextvalue` (spec §2.6, I-2): answer at once if the index already
// reached nextvalue (no details), else block until an increment reaches it and answer with that
// event's details under the subsystem's name.
import { ok, type Outcome } from '../rpc/errors.js';
import type { JsonOut } from '../rpc/json-write.js';
import type { JsonObjectOut } from './format.js';
import type { WaitParams, WaitSubsystem } from './params.js';
import type { IndexName } from './types.js';
import { WaiterSet } from './waiters.js';

export type WaitResult = JsonObjectOut;

/** An increment of any subsystem's index (sendpays IndexBump values are of this shape). */
export type IndexEvent = {
  readonly subsystem: WaitSubsystem;
  readonly index: IndexName;
  readonly value: bigint;
  readonly details: { readonly [key: string]: JsonOut };
};

export type WaitDecision =
  | { readonly kind: 'done'; readonly outcome: Outcome<WaitResult> }
  | { readonly kind: 'wait'; readonly params: WaitParams };

function result(subsystem: string, index: IndexName, value: bigint, details?: { readonly [key: string]: JsonOut }): WaitResult {
  const o: WaitResult = { subsystem };
  o[index] = value;
  if (details !== undefined) o[subsystem] = { ...details };
  return o;
}

/** `current`: the present value of the requested index (0 for subsystems we never bump). */
export function decideWait(p: WaitParams, current: bigint): WaitDecision {
  if (current >= p.nextvalue) return { kind: 'done', outcome: ok(result(p.subsystem, p.indexname, current)) };
  return { kind: 'wait', params: p };
}

/** Blocked `wait` calls; notify() with every index increment, after it is committed. */
export class WaitIndexWaiters {
  private readonly set = new WaiterSet<Outcome<WaitResult>>();

  wait(p: WaitParams, signal?: AbortSignal): Promise<Outcome<WaitResult>> {
    return this.set.add(`${p.subsystem}/${p.indexname}/${p.nextvalue}`, signal);
  }

  notify(e: IndexEvent): number {
    const prefix = `${e.subsystem}/${e.index}/`;
    return this.set.settleWhere(
      (key) => key.startsWith(prefix) && BigInt(key.slice(prefix.length)) <= e.value,
      () => ok(result(e.subsystem, e.index, e.value, e.details)),
    );
  }

  /** Answer every blocked `wait` with `outcome` (the node is stopping). */
  answerAll(outcome: Outcome<WaitResult>): number {
    return this.set.settleAll(outcome);
  }

  get size(): number {
    return this.set.size;
  }
}
