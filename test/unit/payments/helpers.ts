// Shared fixtures for the payments tests: a deterministic clock, real node ids (valid points,
// sorted so lexicographic-direction cases are explicit), routes and an engine factory.
import { expect } from 'vitest';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { toHex } from '../../../src/util/bytes.js';
import { MemoryPaymentsEngine, type Clock, type EngineOptions, type FirstHopChannel } from '../../../src/payments/index.js';
import type { Outcome, RpcError } from '../../../src/rpc/index.js';

export class FakeClock implements Clock {
  now = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.maxDelay = Math.max(this.maxDelay, ms);
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Largest delay ever requested (must stay within setTimeout's limit). */
  maxDelay = 0;
  /** Advance time, firing due timers in order (timers armed while firing run if due). */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= target && (next === undefined || e[1].at < next[1].at)) next = e;
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = target;
  }
}

function sk(i: number): Uint8Array {
  const s = new Uint8Array(32);
  s[31] = i;
  return s;
}

/** Ten valid node ids sorted ascending: ids[0] < ids[1] < … (lexicographic hex order). */
export const ids: string[] = Array.from({ length: 10 }, (_, i) => toHex(pubkeyCreate(sk(i + 1)))).sort();

export const HASH = 'aa'.repeat(32);
export const HASH2 = 'bb'.repeat(32);
export const SECRET = '11'.repeat(32);
export const PREIMAGE = '22'.repeat(32);

export const NOW = 1_700_000_000;
export const HEIGHT = 800_000;

export function hop(node: string, scid: string, amount: number | bigint | string, delay: number) {
  return { id: node, channel: scid, amount_msat: typeof amount === 'number' ? BigInt(amount) : amount, delay };
}

export function channel(peer: string, over: Partial<FirstHopChannel> = {}): FirstHopChannel {
  return { peer_id: peer, scid: (103n << 40n) | (1n << 16n) | 0n, our_msat: 1_000_000_000n, can_add_htlc: true, peer_connected: true, ...over };
}

/** scid 103x1x0 as used by `channel()`. */
export const SCID1 = '103x1x0';

export function makeEngine(over: Partial<EngineOptions> & { ownIndex?: number } = {}): { engine: MemoryPaymentsEngine; clock: FakeClock; own: string } {
  const clock = new FakeClock();
  const own = ids[over.ownIndex ?? 0]!;
  const engine = new MemoryPaymentsEngine({
    own_node_id: own,
    clock,
    now: () => NOW,
    block_height: HEIGHT,
    channels: [channel(ids[5]!)],
    ...over,
  });
  return { engine, clock, own };
}

export function expectOk<T>(r: Outcome<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code} ${r.error.message}`);
  return r.value;
}

export function expectErr<T>(r: Outcome<T>, code?: number, message?: string): RpcError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  if (code !== undefined) expect(r.error.code).toBe(code);
  if (message !== undefined) expect(r.error.message).toBe(message);
  return r.error;
}
