// A small fuzzing toolkit shared by test/fuzz/*: a seeded PRNG, random inputs, mutation operators
// for byte strings, and a loop that reports the seed, case index and input of the first failure.
//
// Case counts come from LW_FUZZ_CASES (CI runs the per-test default, `scripts/fuzz.sh N` runs N),
// the seed from LW_FUZZ_SEED (fixed by default so CI is reproducible). Every case derives its own
// PRNG from (seed, index), so a failure reproduces with LW_FUZZ_SEED=<seed> alone.
import { LightningError } from '../../src/errors.js';
import { toHex } from '../../src/util/bytes.js';

const DEFAULT_SEED = 0x5eed_1234;

/** Number of cases to run: LW_FUZZ_CASES if set to a positive integer, else `defaultCount`. */
export function fuzzCases(defaultCount: number): number {
  const raw = process.env.LW_FUZZ_CASES;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : defaultCount;
}

/** The run's seed: LW_FUZZ_SEED (decimal or 0x-hex) if set, else a fixed default. */
export function fuzzSeed(): number {
  const raw = process.env.LW_FUZZ_SEED;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) ? n >>> 0 : DEFAULT_SEED;
}

/** A generous vitest timeout (ms) for a test running `cases` cases; tests never assert on time. */
export function fuzzTimeout(cases: number, msPerCase = 2): number {
  return 30_000 + cases * msPerCase;
}

/** sfc32: small, fast, good enough statistically for fuzzing, fully determined by its seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = 0x9e3779b9;
    this.b = seed >>> 0;
    this.c = stream >>> 0;
    this.d = 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n), n ≤ 2^32. */
  int(n: number): number {
    if (n <= 0) return 0;
    return Math.floor((this.u32() / 0x1_0000_0000) * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  bool(p = 0.5): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** Uniform bigint in [0, 2^bits). */
  bigBits(bits: number): bigint {
    let v = 0n;
    for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(this.u32());
    return v & ((1n << BigInt(bits)) - 1n);
  }

  /** Unsigned integer of up to `bits` bits, biased towards boundary values and small numbers. */
  interestingUint(bits: number): bigint {
    const max = (1n << BigInt(bits)) - 1n;
    switch (this.int(6)) {
      case 0:
        return this.pick([0n, 1n, max, max - 1n, max >> 1n, (max >> 1n) + 1n]);
      case 1:
        return BigInt(this.int(256)) & max;
      case 2:
        return this.bigBits(this.range(1, bits));
      default:
        return this.bigBits(bits);
    }
  }
}

/** Random bytes of random length in [0, maxLen]. */
export function randomBytes(rng: Rng, maxLen: number): Uint8Array {
  return rng.bytes(rng.int(maxLen + 1));
}

export interface MutationContext {
  /** Other valid inputs to splice from. */
  corpus?: readonly Uint8Array[];
}

export type Mutator = (rng: Rng, input: Uint8Array, ctx: MutationContext) => Uint8Array;

/** Bytes that tend to matter: zero, all ones, sign boundaries, BigSize prefixes, point prefixes. */
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x7f, 0x80, 0xfc, 0xfd, 0xfe, 0xff];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const MUTATORS: Readonly<Record<string, Mutator>> = {
  bitFlip(rng, input) {
    if (input.length === 0) return input;
    const out = input.slice();
    const i = rng.int(out.length);
    out[i]! ^= 1 << rng.int(8);
    return out;
  },
  byteSet(rng, input) {
    if (input.length === 0) return input;
    const out = input.slice();
    out[rng.int(out.length)] = rng.bool() ? rng.pick(INTERESTING_BYTES) : rng.int(256);
    return out;
  },
  truncate(rng, input) {
    return input.slice(0, rng.int(input.length + 1));
  },
  extend(rng, input) {
    return concat(input, rng.bytes(rng.range(1, 64)));
  },
  insert(rng, input) {
    const at = rng.int(input.length + 1);
    return concat(input.subarray(0, at), rng.bytes(rng.range(1, 16)), input.subarray(at));
  },
  remove(rng, input) {
    if (input.length === 0) return input;
    const at = rng.int(input.length);
    const n = rng.range(1, Math.min(32, input.length - at));
    return concat(input.subarray(0, at), input.subarray(at + n));
  },
  /** Overwrite a range with a chunk from this input or another corpus entry. */
  splice(rng, input, ctx) {
    const donor = ctx.corpus && ctx.corpus.length > 0 && rng.bool() ? rng.pick(ctx.corpus) : input;
    if (donor.length === 0 || input.length === 0) return input;
    const from = rng.int(donor.length);
    const chunk = donor.subarray(from, from + rng.range(1, 64));
    const at = rng.int(input.length);
    return rng.bool()
      ? concat(input.subarray(0, at), chunk, input.subarray(at))
      : concat(input.subarray(0, at), chunk, input.subarray(Math.min(input.length, at + chunk.length)));
  },
  /** Treat 1, 2 or 4 bytes at a random offset as a big-endian length and move it to a boundary. */
  lengthTweak(rng, input) {
    const width = rng.pick([1, 2, 2, 4]);
    if (input.length < width) return input;
    const at = rng.int(input.length - width + 1);
    let cur = 0;
    for (let i = 0; i < width; i++) cur = cur * 256 + input[at + i]!;
    const max = 2 ** (8 * width) - 1;
    const rest = input.length - at - width;
    const candidates = [0, 1, cur - 1, cur + 1, rest, rest - 1, rest + 1, max, max - 1, Math.floor(max / 2) + 1];
    const v = Math.min(max, Math.max(0, rng.pick(candidates)));
    const out = input.slice();
    for (let i = width - 1, x = v; i >= 0; i--, x = Math.floor(x / 256)) out[at + i] = x % 256;
    return out;
  },
  /** Plant a BigSize prefix (0xfd/0xfe/0xff) followed by boundary bytes. */
  bigSizeTweak(rng, input) {
    if (input.length === 0) return input;
    const out = input.slice();
    const at = rng.int(out.length);
    out[at] = rng.pick([0xfd, 0xfe, 0xff]);
    for (let i = at + 1; i < Math.min(out.length, at + 1 + rng.int(9)); i++) out[i] = rng.pick([0x00, 0xff, 0xfc, 0x01]);
    return out;
  },
  duplicate(rng, input) {
    if (input.length === 0) return input;
    const at = rng.int(input.length);
    const chunk = input.subarray(at, at + rng.range(1, 32));
    return concat(input.subarray(0, at + chunk.length), chunk, input.subarray(at + chunk.length));
  },
};

const MUTATOR_LIST = Object.values(MUTATORS);

/** Applies 1..maxRounds random mutators in sequence. */
export function mutate(rng: Rng, input: Uint8Array, ctx: MutationContext = {}, maxRounds = 4): Uint8Array {
  let out = input;
  const rounds = rng.range(1, maxRounds);
  for (let i = 0; i < rounds; i++) out = rng.pick(MUTATOR_LIST)(rng, out, ctx);
  return out;
}

export interface FuzzOptions {
  name: string;
  cases: number;
  seed?: number;
}

/**
 * Runs `cases` cases: `generate` builds an input from the case's PRNG, `check` must not throw
 * (it is where a test asserts "only typed errors"). The first failure is rethrown with the seed,
 * case index and input hex, enough to reproduce it.
 */
export function fuzzLoop<I>(
  opts: FuzzOptions,
  generate: (rng: Rng, index: number) => I,
  check: (input: I, rng: Rng) => void,
  show: (input: I) => string = (i) => (i instanceof Uint8Array ? toHex(i) : String(i)),
): void {
  const seed = opts.seed ?? fuzzSeed();
  for (let i = 0; i < opts.cases; i++) {
    const rng = new Rng(seed, i);
    const input = generate(rng, i);
    try {
      check(input, rng);
    } catch (e) {
      const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new Error(`${opts.name}: case ${i} (LW_FUZZ_SEED=${seed}) failed with ${what}\ninput: ${show(input)}`, {
        cause: e,
      });
    }
  }
}

/**
 * Calls `fn`; returns normally if it returns or throws an allowed error (by default any
 * LightningError, i.e. a typed error), and rethrows anything else (RangeError, TypeError, ...).
 */
export function expectOnlyTypedErrors(
  fn: () => unknown,
  allowed: (e: unknown) => boolean = (e) => e instanceof LightningError,
): { ok: true } | { ok: false; error: unknown } {
  try {
    fn();
    return { ok: true };
  } catch (e) {
    if (allowed(e)) return { ok: false, error: e };
    throw e;
  }
}
