// Random values for any wire codec, generated from the codec's shape description (`desc`), so
// round-trip tests and fuzzers cover every message in the table without per-message code.
// Generated values are canonical: decoding their encoding must give back an equal object.
import type { CodecDesc } from '../../../src/wire/codec.js';
import { type MessageName, type WireMessage, wireMessages } from '../../../src/wire/messages.js';
import type { Rng } from '../../support/fuzz.js';

export interface RandomOptions {
  /** Upper bound for variable-length byte strings and arrays (keeps messages under 64 KiB). */
  maxLen: number;
  /** Probability that an optional TLV record is present. */
  tlvPresence: number;
  /** Probability of adding unknown odd TLV records to a stream. */
  unknownTlv: number;
}

const DEFAULTS: RandomOptions = { maxLen: 48, tlvPresence: 0.5, unknownTlv: 0.3 };

function toSigned(v: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, v);
}

export function randomValue(rng: Rng, d: CodecDesc, opts: RandomOptions = DEFAULTS): unknown {
  switch (d.kind) {
    case 'uint': {
      const v = rng.interestingUint(d.bytes * 8);
      return d.bytes === 8 ? v : Number(v);
    }
    case 'sint': {
      const v = toSigned(rng.interestingUint(d.bytes * 8), d.bytes * 8);
      return d.bytes === 8 ? v : Number(v);
    }
    case 'tuint': {
      const v = rng.interestingUint(d.maxBytes * 8);
      return d.maxBytes === 8 ? v : Number(v);
    }
    case 'bigsize':
      return rng.bool(0.3)
        ? rng.pick([0n, 0xfcn, 0xfdn, 0xffffn, 0x10000n, 0xffffffffn, 0x100000000n, 0xffffffffffffffffn])
        : rng.interestingUint(64);
    case 'bytes':
      return rng.bytes(d.length);
    case 'point': {
      const p = rng.bytes(33);
      p[0] = rng.pick([2, 3]);
      return p;
    }
    case 'scid':
      return rng.interestingUint(64);
    case 'u16_bytes':
    case 'rest_bytes':
      return rng.bytes(rng.int(opts.maxLen + 1));
    case 'u16_array':
    case 'rest_array': {
      const n = rng.int(5);
      return Array.from({ length: n }, () => randomValue(rng, d.of, opts));
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const [name, f] of d.fields) out[name] = randomValue(rng, f, opts);
      return out;
    }
    case 'tlv_stream': {
      const out: Record<string, unknown> = {};
      for (const rec of d.records) if (rng.bool(opts.tlvPresence)) out[rec.name] = randomValue(rng, rec.desc, opts);
      if (rng.bool(opts.unknownTlv)) {
        const known = new Set(d.records.map((r) => r.type));
        const types = new Set<bigint>();
        for (let i = rng.range(1, 3); i > 0; i--) {
          const t = rng.interestingUint(rng.pick([8, 16, 64])) | 1n;
          if (!known.has(t)) types.add(t);
        }
        const unknown = [...types]
          .sort((a, b) => (a < b ? -1 : 1))
          .map((type) => ({ type, value: rng.bytes(rng.int(opts.maxLen + 1)) }));
        if (unknown.length > 0) out['unknown'] = unknown;
      }
      return out;
    }
  }
}

export const MESSAGE_NAMES = Object.keys(wireMessages.specs) as MessageName[];

/** A random, valid message of the given type. */
export function randomMessage(rng: Rng, name: MessageName, opts?: RandomOptions): WireMessage {
  const fields = randomValue(rng, wireMessages.codec(name).desc, opts) as Record<string, unknown>;
  // The generator follows the codec's own description, so the object has this message's shape.
  return { type: name, ...fields } as WireMessage;
}
