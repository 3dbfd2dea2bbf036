// BOLT 3 Appendix D: per-commitment secret generation and the receiver's compact storage,
// including every storage test where a wrong secret must be rejected.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import {
  ChannelError,
  SHACHAIN_MAX_INDEX,
  emptyShachainStore,
  insertCommitmentSecret,
  insertSecret,
  lookupCommitmentSecret,
  lookupSecret,
  nextRevocationNumber,
  parseShachainStore,
  perCommitmentSecret,
  shachainSecret,
} from '../../../src/channel/index.js';
import type { ShachainStore } from '../../../src/channel/index.js';
import { V } from './bolt3-fixture.js';

const D = V.appendix_d_per_commitment_secrets;

describe('BOLT 3 Appendix D: generation', () => {
  for (const t of D.generation_tests) {
    it(t.name, () => {
      expect(toHex(shachainSecret(fromHex(t.seed), BigInt(t.I)))).toBe(t.output);
    });
  }

  it('numbers commitments downward from index 2^48-1', () => {
    const seed = fromHex(D.generation_tests[0]!.seed);
    expect(toHex(perCommitmentSecret(seed, 0n))).toBe(D.generation_tests[0]!.output);
    expect(toHex(perCommitmentSecret(seed, 5n))).toBe(toHex(shachainSecret(seed, SHACHAIN_MAX_INDEX - 5n)));
  });

  it('rejects indexes outside 48 bits and seeds of the wrong size', () => {
    expect(() => shachainSecret(new Uint8Array(32), 1n << 48n)).toThrow(ChannelError);
    expect(() => shachainSecret(new Uint8Array(32), -1n)).toThrow(ChannelError);
    expect(() => shachainSecret(new Uint8Array(31), 0n)).toThrow(ChannelError);
    expect(() => perCommitmentSecret(new Uint8Array(32), 1n << 48n)).toThrow(ChannelError);
  });
});

describe('BOLT 3 Appendix D: storage', () => {
  it('has the 9 storage tests', () => {
    expect(D.storage_tests.tests).toHaveLength(9);
  });

  for (const t of D.storage_tests.tests) {
    it(t.name, () => {
      let store = emptyShachainStore();
      for (const step of t.steps) {
        const insert = () => insertSecret(store, BigInt(step.I), fromHex(step.secret));
        if (step.expected === 'OK') {
          store = insert();
          // The store is plain data: what a database hands back works the same.
          store = parseShachainStore(JSON.parse(JSON.stringify(store)));
        } else {
          let err: unknown;
          try {
            insert();
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(ChannelError);
          expect((err as ChannelError).code).toBe('SECRET_MISMATCH');
        }
      }
    });
  }

  it('derives every earlier secret from the stored ones after 1000 commitments', () => {
    const seed = fromHex('ff'.repeat(32));
    let store = emptyShachainStore();
    for (let n = 0n; n < 1000n; n++) store = insertCommitmentSecret(store, n, perCommitmentSecret(seed, n));
    expect(nextRevocationNumber(store)).toBe(1000n);
    expect(store.known.filter((k) => k !== null).length).toBeLessThanOrEqual(11);
    for (const n of [0n, 1n, 2n, 511n, 512n, 998n, 999n]) {
      expect(toHex(lookupCommitmentSecret(store, n)!)).toBe(toHex(perCommitmentSecret(seed, n)));
    }
    expect(lookupCommitmentSecret(store, 1000n)).toBeUndefined();
    expect(lookupSecret(store, 0n)).toBeUndefined();
  });

  it('insertion does not mutate the previous state', () => {
    const seed = fromHex('11'.repeat(32));
    const s0 = emptyShachainStore();
    const s1 = insertCommitmentSecret(s0, 0n, perCommitmentSecret(seed, 0n));
    expect(s0.known.every((k) => k === null)).toBe(true);
    expect(s1.known[0]).not.toBeNull();
  });

  it('requires secrets in order, starting with commitment 0', () => {
    const seed = fromHex('22'.repeat(32));
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof ChannelError ? e.code : 'other';
      }
      return undefined;
    };
    const empty = emptyShachainStore();
    expect(code(() => insertCommitmentSecret(empty, 1n, perCommitmentSecret(seed, 1n)))).toBe('BAD_INDEX');
    const s1 = insertCommitmentSecret(empty, 0n, perCommitmentSecret(seed, 0n));
    expect(code(() => insertCommitmentSecret(s1, 0n, perCommitmentSecret(seed, 0n)))).toBe('BAD_INDEX');
    expect(code(() => insertCommitmentSecret(s1, 1n, new Uint8Array(31)))).toBe('BAD_KEY');
  });

  it('rejects corrupt persisted data', () => {
    const seed = fromHex('33'.repeat(32));
    const good = insertCommitmentSecret(emptyShachainStore(), 0n, perCommitmentSecret(seed, 0n));
    const cases: unknown[] = [
      null,
      'x',
      { ...good, next_index: 1.5 },
      { ...good, known: good.known.slice(1) },
      { ...good, known: [{ index: 2, secret: '00'.repeat(32) }, ...good.known.slice(1)] },
      { ...good, known: [{ index: Number(SHACHAIN_MAX_INDEX), secret: 'zz' }, ...good.known.slice(1)] },
    ];
    for (const c of cases) expect(() => parseShachainStore(c as ShachainStore)).toThrow(ChannelError);
  });
});
