// The WASM backend against @noble/curves for ECDSA: deterministic (RFC 6979) low-S signatures,
// recoverable signatures and recovery (all four ids, high-S accepted), strict verification,
// compact <-> DER and normalize-S, on random, edge-case and mutated inputs.
import { describe, expect, it } from 'vitest';
import { CROSSCHECK_TIMEOUT, noble, ROUNDS, same, wasm } from './support/backends.js';
import { N, Rng, to32, toBig } from './support/rng.js';
import { concatBytes } from '../../../src/util/bytes.js';

/** The same signature with s replaced by n - s (valid, but high-S if it was low-S). */
function flipS(sig: Uint8Array): Uint8Array {
  const s = toBig(sig.subarray(32));
  return concatBytes(sig.subarray(0, 32), to32(s === 0n ? 0n : N - s));
}

/** A random compact signature: mostly in range, sometimes with zero or over-order halves. */
function randomSig(r: Rng): Uint8Array {
  return concatBytes(r.scalar(), r.scalar());
}

describe('ECDSA: wasm agrees with @noble/curves', { timeout: CROSSCHECK_TIMEOUT }, () => {
  it('signCompact / signRecoverable produce identical bytes and verify on both sides', () => {
    const r = new Rng('sign');
    for (let i = 0; i < ROUNDS; i++) {
      const sk = r.scalar();
      const msg = r.int(10) === 0 ? to32((1n << 256n) - 1n - BigInt(r.int(3))) : r.bytes(32); // msg >= n: RFC 6979 reduces it
      const sig = wasm.signCompact(msg, sk);
      same('signCompact', [msg, sk], sig, noble.signCompact(msg, sk));
      same('signRecoverable', [msg, sk], wasm.signRecoverable(msg, sk), noble.signRecoverable(msg, sk));
      if (sig === null) continue;
      const pk = wasm.pubkeyCreate(sk)!;
      expect(wasm.verifyCompact(sig, msg, pk)).toBe(true);
      expect(noble.verifyCompact(sig, msg, pk)).toBe(true);
    }
  });

  it('verifyCompact: valid, high-S, tampered and random signatures', () => {
    const r = new Rng('verify');
    for (let i = 0; i < ROUNDS; i++) {
      const sk = r.bytes(32);
      const msg = r.bytes(32);
      const pk = noble.pubkeyCreate(sk);
      if (pk === null) continue;
      let sig = noble.signCompact(msg, sk)!;
      let key: Uint8Array = pk;
      let m = msg;
      switch (r.int(6)) {
        case 0:
          sig = flipS(sig); // high-S: strict verification rejects it
          break;
        case 1:
          m = r.bytes(32);
          break;
        case 2:
          sig = randomSig(r);
          break;
        case 3:
          key = noble.pubkeyDecompress(pk)!; // 65-byte key
          break;
        case 4:
          key = r.maybePubkey();
          break;
      }
      same('verifyCompact', [sig, m, key], wasm.verifyCompact(sig, m, key), noble.verifyCompact(sig, m, key));
    }
  });

  it('recoverPubkey: every recovery id, low and high S, random signatures', () => {
    const r = new Rng('recover');
    for (let i = 0; i < ROUNDS; i++) {
      const msg = r.bytes(32);
      let sig: Uint8Array;
      let recid: number;
      if (r.int(3) === 0) {
        sig = randomSig(r);
        recid = r.int(4);
      } else {
        const signed = noble.signRecoverable(msg, r.bytes(32))!;
        sig = signed.signature;
        recid = r.int(4) === 0 ? r.int(4) : signed.recoveryId;
        if (r.int(4) === 0) {
          sig = flipS(sig);
          recid ^= 1; // (r, n-s) recovers the same key with the other parity
        }
      }
      same('recoverPubkey', [msg, sig, new Uint8Array([recid])], wasm.recoverPubkey(msg, sig, recid), noble.recoverPubkey(msg, sig, recid));
    }
  });

  it('compactToDer, derToCompact round trip and normalizeS', () => {
    const r = new Rng('der');
    for (let i = 0; i < ROUNDS; i++) {
      const sig = r.int(4) === 0 ? randomSig(r) : concatBytes(r.bytes(32).map((b, j) => (j < r.int(4) ? 0 : b)), r.bytes(32));
      const der = wasm.compactToDer(sig);
      same('compactToDer', [sig], der, noble.compactToDer(sig));
      same('normalizeS', [sig], wasm.normalizeS(sig), noble.normalizeS(sig));
      if (der !== null) same('derToCompact', [der], wasm.derToCompact(der), sig);
    }
  });

  it('derToCompact on mutated DER (strict: minimal lengths and integers, no trailing bytes)', () => {
    const r = new Rng('derMutate');
    let rejected = 0;
    for (let i = 0; i < ROUNDS * 2; i++) {
      const valid = noble.compactToDer(concatBytes(r.bytes(32).map((b, j) => (j < r.int(3) ? 0 : b)), r.bytes(32)))!;
      let der: Uint8Array = valid.slice();
      switch (r.int(6)) {
        case 0: {
          const at = r.int(der.length);
          der[at] = der[at]! ^ (1 << r.int(8));
          break;
        }
        case 1:
          der[r.int(6)] = r.int(256); // headers: tags and lengths
          break;
        case 2:
          der = der.subarray(0, r.int(der.length));
          break;
        case 3:
          der = concatBytes(der, r.bytes(1 + r.int(3)));
          break;
        case 4: {
          // Non-minimal integer: an extra leading zero inside r.
          const rlen = der[3]!;
          der = concatBytes(new Uint8Array([0x30, der[1]! + 1, 0x02, rlen + 1, 0]), der.subarray(4));
          break;
        }
        default:
          der = concatBytes(new Uint8Array([0x30, 0x81, der[1]!]), der.subarray(2)); // long-form length < 128
      }
      const w = wasm.derToCompact(der);
      same('derToCompact', [der], w, noble.derToCompact(der));
      if (w === null) rejected++;
    }
    expect(rejected).toBeGreaterThan(ROUNDS / 2);
  });
});
