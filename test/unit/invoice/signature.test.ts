// The signature rules when an invoice carries n: a low-S signature by n verifies; the high-S twin
// of a genuine signature is refused as HIGH_S_SIGNATURE (the spec's "non canonical" case); a
// high-S signature that does not verify even after normalisation is an invalid signature, not a
// form problem.
import { describe, expect, it } from 'vitest';
import { bech32 } from '@scure/base';
import { fromHex } from '../../../src/util/bytes.js';
import { decodeInvoice, encodeInvoice, InvoiceError, type InvoiceErrorCode } from '../../../src/invoice/index.js';
import { bytesToWords, wordsToBytes } from '../../../src/invoice/words.js';

const key = fromHex('e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734');
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function invoice(description: string): string {
  return encodeInvoice(
    { network: 'regtest', amount_msat: 5000n, timestamp: 1_700_000_000, payment_hash: new Uint8Array(32).fill(7), payment_secret: new Uint8Array(32).fill(9), description, include_payee: true },
    key,
  );
}

/** The invoice's data words and its 65-byte signature (r || s || recovery id). */
function split(s: string): { prefix: string; data: number[]; sig: Uint8Array } {
  const d = bech32.decode(s as `${string}1${string}`, false);
  return { prefix: d.prefix, data: d.words.slice(0, -104), sig: wordsToBytes(d.words.slice(-104)) };
}

function join(prefix: string, data: number[], sig: Uint8Array): string {
  return bech32.encode(prefix, [...data, ...bytesToWords(sig)], false);
}

const toBig = (b: Uint8Array): bigint => b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
function fromBig(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** The same signature with s replaced by n - s (and the recovery id's parity flipped). */
function highS(sig: Uint8Array): Uint8Array {
  const out = sig.slice();
  out.set(fromBig(N - toBig(sig.subarray(32, 64))), 32);
  out[64] = sig[64]! ^ 1;
  return out;
}

function codeOf(s: string): InvoiceErrorCode | 'ok' {
  try {
    decodeInvoice(s);
    return 'ok';
  } catch (e) {
    if (e instanceof InvoiceError) return e.code;
    throw e;
  }
}

describe('BOLT 11 signature with an n field', () => {
  const a = split(invoice('first'));
  const b = split(invoice('second'));

  it('our low-S signature verifies against n', () => {
    expect(toBig(a.sig.subarray(32, 64)) <= N / 2n).toBe(true);
    expect(codeOf(join(a.prefix, a.data, a.sig))).toBe('ok');
  });

  it('the high-S twin of a genuine signature is HIGH_S_SIGNATURE', () => {
    expect(codeOf(join(a.prefix, a.data, highS(a.sig)))).toBe('HIGH_S_SIGNATURE');
  });

  it("a high-S signature over another message is BAD_SIGNATURE, not a form error", () => {
    // b's signature is genuine for b's data; over a's data it fails low-S or high-S.
    expect(codeOf(join(a.prefix, a.data, b.sig))).toBe('BAD_SIGNATURE');
    expect(codeOf(join(a.prefix, a.data, highS(b.sig)))).toBe('BAD_SIGNATURE');
  });

  it('a high-S signature with a corrupted r, or out of range, is BAD_SIGNATURE', () => {
    const r = highS(a.sig);
    r[5]! ^= 0x40;
    expect(codeOf(join(a.prefix, a.data, r))).toBe('BAD_SIGNATURE');
    const zeroR = highS(a.sig);
    zeroR.fill(0, 0, 32);
    expect(codeOf(join(a.prefix, a.data, zeroR))).toBe('BAD_SIGNATURE');
    const sOverN = a.sig.slice();
    sOverN.fill(0xff, 32, 64); // s >= n: not a signature at all
    expect(codeOf(join(a.prefix, a.data, sOverN))).toBe('BAD_SIGNATURE');
  });
});
