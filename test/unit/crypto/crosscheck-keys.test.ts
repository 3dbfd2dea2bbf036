// The WASM backend against @noble/curves on random and edge-case inputs: key derivation, ECDH,
// parsing, tweaks and combination. Invalid inputs must give null on both sides.
import { describe, it } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { CROSSCHECK_TIMEOUT, noble, ROUNDS, same, wasm } from './support/backends.js';
import { N, Rng, to32, toBig } from './support/rng.js';

describe('keys: wasm agrees with @noble/curves', { timeout: CROSSCHECK_TIMEOUT }, () => {
  it('pubkeyCreate and isValidSecret', () => {
    const r = new Rng('pubkeyCreate');
    for (let i = 0; i < ROUNDS; i++) {
      const sk = r.scalar();
      same('pubkeyCreate', [sk], wasm.pubkeyCreate(sk), noble.pubkeyCreate(sk));
      same('isValidSecret', [sk], wasm.isValidSecret(sk), noble.isValidSecret(sk));
    }
  });

  it('ecdh', () => {
    const r = new Rng('ecdh');
    for (let i = 0; i < ROUNDS; i++) {
      const sk = r.scalar();
      const pk = r.maybePubkey();
      same('ecdh', [sk, pk], wasm.ecdh(sk, pk), noble.ecdh(sk, pk));
    }
  });

  it('pubkeyParse and pubkeyDecompress (33 and 65 bytes, hybrid and off-curve encodings)', () => {
    const r = new Rng('parse');
    for (let i = 0; i < ROUNDS; i++) {
      const compressed = r.maybePubkey();
      let input = compressed;
      if (r.int(2) === 0) {
        // 65-byte forms: uncompressed, hybrid (0x06/0x07, which neither side accepts), or junk.
        const full = noble.pubkeyDecompress(compressed) ?? new Uint8Array([4, ...r.bytes(64)]);
        input = full.slice();
        const mode = r.int(4);
        if (mode === 1) input[0] = 6 + (full[64]! & 1);
        if (mode === 2) input[64] = input[64]! ^ 1;
      }
      same('pubkeyParse', [input], wasm.pubkeyParse(input), noble.pubkeyParse(input));
      same('pubkeyDecompress', [input], wasm.pubkeyDecompress(input), noble.pubkeyDecompress(input));
    }
  });

  it('pubkeyTweakAdd and pubkeyTweakMul', () => {
    const r = new Rng('pubkeyTweak');
    for (let i = 0; i < ROUNDS; i++) {
      const pk = r.int(8) === 0 ? r.maybePubkey() : r.pubkey();
      const tweak = r.scalar();
      same('pubkeyTweakAdd', [pk, tweak], wasm.pubkeyTweakAdd(pk, tweak), noble.pubkeyTweakAdd(pk, tweak));
      same('pubkeyTweakMul', [pk, tweak], wasm.pubkeyTweakMul(pk, tweak), noble.pubkeyTweakMul(pk, tweak));
    }
  });

  it('pubkeyTweakAdd reaching infinity fails on both sides', () => {
    const r = new Rng('tweakInfinity');
    for (let i = 0; i < 50; i++) {
      const k = (toBig(r.bytes(32)) % (N - 1n)) + 1n;
      const pk = secp256k1.Point.BASE.multiply(k).toBytes(true);
      const tweak = to32(N - k); // P + (n-k)G = kG + (n-k)G = O
      same('pubkeyTweakAdd', [pk, tweak], wasm.pubkeyTweakAdd(pk, tweak), null);
      same('pubkeyTweakAdd', [pk, tweak], noble.pubkeyTweakAdd(pk, tweak), null);
    }
  });

  it('pubkeyCombine, including keys that cancel out', () => {
    const r = new Rng('combine');
    for (let i = 0; i < ROUNDS; i++) {
      const keys = Array.from({ length: 1 + r.int(4) }, () => (r.int(10) === 0 ? r.maybePubkey() : r.pubkey()));
      if (r.int(4) === 0) {
        // Insert P and -P: the sum must still work unless everything cancels.
        const p = r.pubkey();
        const neg = p.slice();
        neg[0] = neg[0] === 2 ? 3 : 2;
        keys.splice(r.int(keys.length + 1), 0, p, neg);
        if (r.int(3) === 0) keys.splice(0, keys.length, p, neg);
      }
      same('pubkeyCombine', keys, wasm.pubkeyCombine(keys), noble.pubkeyCombine(keys));
    }
  });

  it('secretTweakAdd and secretTweakMul, including sums that reach zero', () => {
    const r = new Rng('secretTweak');
    for (let i = 0; i < ROUNDS; i++) {
      const sk = r.scalar();
      let tweak = r.scalar();
      if (r.int(10) === 0) tweak = to32((N - (toBig(sk) % N)) % N); // sk + tweak = 0 mod n
      same('secretTweakAdd', [sk, tweak], wasm.secretTweakAdd(sk, tweak), noble.secretTweakAdd(sk, tweak));
      same('secretTweakMul', [sk, tweak], wasm.secretTweakMul(sk, tweak), noble.secretTweakMul(sk, tweak));
    }
  });
});
