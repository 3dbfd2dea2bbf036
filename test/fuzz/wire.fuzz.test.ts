// Fuzzing the wire decoders with random and mutated inputs. Properties checked on every case:
// - decoders throw only WireError (a LightningError), never RangeError/TypeError/ByteError;
// - whatever decodes re-encodes, and the re-encoding decodes to the same value;
// - TLV streams (and messages ending in one) re-encode to exactly the accepted bytes.
// Case counts: LW_FUZZ_CASES (default below); `bash scripts/fuzz.sh 100000` for long runs.
import { describe, expect, it } from 'vitest';
import { LightningError } from '../../src/errors.js';
import { ByteReader, toHex } from '../../src/util/bytes.js';
import { decodeBigSize, encodeBigSize } from '../../src/wire/bigsize.js';
import { type Codec, decodeWith, encodeWith } from '../../src/wire/codec.js';
import { WireError } from '../../src/wire/errors.js';
import {
  featureFlags,
  featureNames,
  mergeFeatures,
  missingDependencies,
  parseChannelType,
  unknownRequiredFeatures,
} from '../../src/wire/features.js';
import { decodeQueryFlags, decodeShortChannelIds, decodeTimestamps } from '../../src/wire/gossip-queries.js';
import {
  type MessageName,
  channelUpdateSignedBytes,
  decodeMessage,
  encodeMessage,
  messageTypeNumber,
  wireMessages,
} from '../../src/wire/messages.js';
import { readTlvRecords } from '../../src/wire/tlv.js';
import { Rng, expectOnlyTypedErrors, fuzzCases, fuzzLoop, fuzzTimeout, mutate, randomBytes } from '../support/fuzz.js';
import { MESSAGE_NAMES, randomMessage, randomValue } from '../unit/wire/random-values.js';

const CASES = fuzzCases(3000);
const onlyWireErrors = (e: unknown): boolean => e instanceof WireError && e instanceof LightningError;

/** Messages whose last field is a TLV stream consume all their bytes, so re-encoding is exact. */
const ENDS_IN_TLV = new Set(
  MESSAGE_NAMES.filter((n) => {
    const fields = wireMessages.codec(n).fields;
    return fields[fields.length - 1]?.[1].desc.kind === 'tlv_stream';
  }),
);

/** Every TLV stream codec used by the message table. */
const TLV_STREAMS: { name: string; codec: Codec<unknown> }[] = MESSAGE_NAMES.flatMap((n) =>
  wireMessages
    .codec(n)
    .fields.filter(([, c]) => c.desc.kind === 'tlv_stream')
    .map(([, c]) => ({ name: n, codec: c })),
);

/** A corpus of valid encodings of every message, for splicing. */
const CORPUS = (() => {
  const rng = new Rng(7);
  return MESSAGE_NAMES.flatMap((n) => [0, 1, 2].map(() => encodeMessage(randomMessage(rng, n))));
})();

function isPrefix(prefix: Uint8Array, of: Uint8Array): boolean {
  return prefix.length <= of.length && prefix.every((b, i) => b === of[i]);
}

/** decodeMessage must either throw a WireError or return something that re-encodes consistently. */
function checkMessage(input: Uint8Array): void {
  const r = expectOnlyTypedErrors(() => decodeMessage(input), onlyWireErrors);
  if (!r.ok) return;
  const m = decodeMessage(input);
  const again = encodeMessage(m);
  if (m.type === 'unknown') {
    expect(toHex(again)).toBe(toHex(input));
    return;
  }
  if (ENDS_IN_TLV.has(m.type)) expect(toHex(again)).toBe(toHex(input));
  else expect(isPrefix(again, input)).toBe(true);
  expect(decodeMessage(again)).toEqual(m);
}

describe('wire fuzz', () => {
  it(
    'mutated encodings of every message decode or fail with WireError only',
    () => {
      fuzzLoop(
        { name: 'mutated messages', cases: CASES },
        (rng, i) => {
          const name = MESSAGE_NAMES[i % MESSAGE_NAMES.length]!;
          return mutate(rng, encodeMessage(randomMessage(rng, name)), { corpus: CORPUS }, 5);
        },
        checkMessage,
      );
    },
    fuzzTimeout(CASES),
  );

  it(
    'random payloads behind every known type decode or fail with WireError only',
    () => {
      fuzzLoop(
        { name: 'random payloads', cases: CASES },
        (rng, i) => {
          const name: MessageName = MESSAGE_NAMES[i % MESSAGE_NAMES.length]!;
          // Lengths near a valid encoding's, so fixed-size prefixes are reached and passed.
          const typical = encodeMessage(randomMessage(rng, name)).length - 2;
          const len = Math.max(0, typical + rng.range(-8, 8));
          const type = messageTypeNumber(name);
          return new Uint8Array([type >> 8, type & 0xff, ...rng.bytes(len)]);
        },
        checkMessage,
      );
    },
    fuzzTimeout(CASES),
  );

  it(
    'arbitrary bytes (including unknown types) never escape as untyped errors',
    () => {
      fuzzLoop({ name: 'arbitrary bytes', cases: CASES }, (rng) => randomBytes(rng, 300), checkMessage);
    },
    fuzzTimeout(CASES),
  );

  it(
    'TLV streams re-encode to exactly the bytes they accepted',
    () => {
      fuzzLoop(
        { name: 'tlv streams', cases: CASES },
        (rng, i) => {
          const s = TLV_STREAMS[i % TLV_STREAMS.length]!;
          const valid = encodeWith(s.codec, randomValue(rng, s.codec.desc));
          return { index: i % TLV_STREAMS.length, bytes: rng.bool(0.9) ? mutate(rng, valid) : valid };
        },
        ({ index, bytes }) => {
          const { codec } = TLV_STREAMS[index]!;
          const r = expectOnlyTypedErrors(() => decodeWith(codec, bytes), onlyWireErrors);
          if (!r.ok) return;
          const decoded = decodeWith(codec, bytes) as Record<string, unknown>;
          expect(toHex(encodeWith(codec, decoded))).toBe(toHex(bytes));
          // Every raw record became exactly one known field or one unknown entry.
          const { unknown, ...known } = decoded;
          const unknownCount = Array.isArray(unknown) ? unknown.length : 0;
          expect(readTlvRecords(new ByteReader(bytes)).length).toBe(Object.keys(known).length + unknownCount);
        },
        ({ index, bytes }) => `${TLV_STREAMS[index]!.name} tlvs ${toHex(bytes)}`,
      );
    },
    fuzzTimeout(CASES),
  );

  it(
    'BigSize decodes only canonical encodings',
    () => {
      fuzzLoop(
        { name: 'bigsize', cases: CASES },
        (rng) => (rng.bool() ? mutate(rng, encodeBigSize(rng.interestingUint(64))) : randomBytes(rng, 10)),
        (bytes) => {
          const r = expectOnlyTypedErrors(() => decodeBigSize(bytes), onlyWireErrors);
          if (!r.ok) return;
          const { value, length } = decodeBigSize(bytes);
          expect(toHex(encodeBigSize(value))).toBe(toHex(bytes.subarray(0, length)));
        },
      );
    },
    fuzzTimeout(CASES),
  );

  it(
    'feature and gossip-query helpers accept any bytes',
    () => {
      fuzzLoop(
        { name: 'helpers', cases: CASES },
        (rng) => randomBytes(rng, 40),
        (bytes) => {
          // Pure bit-field functions: total on any input.
          featureFlags(bytes);
          featureNames(bytes);
          unknownRequiredFeatures(bytes);
          missingDependencies(bytes);
          mergeFeatures(bytes, bytes.subarray(1));
          parseChannelType(bytes);
          // Decoders of wire payloads: WireError only.
          expectOnlyTypedErrors(() => decodeShortChannelIds(bytes), onlyWireErrors);
          expectOnlyTypedErrors(
            () => decodeTimestamps({ encoding_type: bytes[0] ?? 0, encoded_timestamps: bytes.subarray(1) }),
            onlyWireErrors,
          );
          expectOnlyTypedErrors(
            () => decodeQueryFlags({ encoding_type: bytes[0] ?? 0, encoded_query_flags: bytes.subarray(1) }),
            onlyWireErrors,
          );
          expectOnlyTypedErrors(() => channelUpdateSignedBytes(bytes), onlyWireErrors);
        },
      );
    },
    fuzzTimeout(CASES),
  );

  it('reports the seed and input of a failing case', () => {
    expect(() =>
      fuzzLoop(
        { name: 'self-test', cases: 3, seed: 1 },
        () => new Uint8Array([1, 2]),
        () => {
          throw new RangeError('boom');
        },
      ),
    ).toThrow(/self-test: case 0 \(LW_FUZZ_SEED=1\) failed with RangeError: boom\ninput: 0102/);
  });

  it('is deterministic for a seed', () => {
    const a = new Rng(99, 3);
    const b = new Rng(99, 3);
    const m1 = mutate(a, encodeMessage(randomMessage(a, 'init')));
    const m2 = mutate(b, encodeMessage(randomMessage(b, 'init')));
    expect(toHex(m1)).toBe(toHex(m2));
    expect(new Rng(99, 4).u32()).not.toBe(new Rng(99, 3).u32());
  });
});
