// Mutated invoice strings: the reader returns an invoice or throws InvoiceError (or another
// LightningError), never a raw exception.
import { describe, it } from 'vitest';
import { bech32 } from '@scure/base';
import { loadVector } from '../support/shared.js';
import { utf8, fromUtf8 } from '../../src/util/bytes.js';
import { clnDecodeBolt11, decodeInvoice } from '../../src/invoice/index.js';
import { expectOnlyTypedErrors, fuzzCases, fuzzLoop, fuzzTimeout, mutate } from '../support/fuzz.js';

const vec = loadVector<{ valid: { invoice: string }[]; invalid: { invoice: string }[] }>('bolt11-invoices.json');
const corpus = [...vec.valid, ...vec.invalid].map((v) => v.invoice);
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

describe('invoice fuzz', () => {
  const cases = fuzzCases(400);
  it('decodeInvoice on mutated strings', { timeout: fuzzTimeout(cases, 10) }, () => {
    fuzzLoop(
      { name: 'bolt11', cases },
      (rng) => {
        const base = rng.pick(corpus);
        const mode = rng.int(3);
        if (mode === 0) {
          // Re-checksummed word edits: gets past bech32 into field parsing and signatures.
          try {
            const d = bech32.decode(base.toLowerCase() as `${string}1${string}`, false);
            const words = [...d.words];
            for (let k = rng.range(1, 4); k > 0; k--) {
              const at = rng.int(words.length + 1);
              if (rng.bool()) words.splice(at, 1);
              else if (rng.bool()) words.splice(at, 0, rng.int(32));
              else words[Math.min(at, words.length - 1)] = rng.int(32);
            }
            return bech32.encode(d.prefix, words, false);
          } catch {
            return base; // an invalid corpus entry: use it as is
          }
        }
        if (mode === 1) {
          // Character-level edits keep the bech32 alphabet, so decoding goes past the checksum
          // only when we also fix nothing: exercise both layers by sometimes editing raw bytes.
          const chars = base.split('');
          for (let k = rng.range(1, 4); k > 0; k--) chars[rng.int(chars.length)] = CHARSET[rng.int(32)]!;
          return chars.join('');
        }
        return fromUtf8(mutate(rng, utf8(base)), false);
      },
      (s) => {
        expectOnlyTypedErrors(() => decodeInvoice(s));
        expectOnlyTypedErrors(() => decodeInvoice(s, { strictFieldLengths: true }));
        expectOnlyTypedErrors(() => clnDecodeBolt11(s));
      },
    );
  });
});
