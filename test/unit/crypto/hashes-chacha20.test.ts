// SHA-256, HMAC-SHA256 and ChaCha20 from the WASM module: published known answers, then
// agreement with @noble/hashes / @noble/ciphers on random lengths, keys, counters.
import { describe, expect, it } from 'vitest';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { chacha20 as nobleChacha20 } from '@noble/ciphers/chacha.js';
import { chacha20, CryptoError, hmacSha256, sha256 } from '../../../src/crypto/index.js';
import { fromHex, toHex, utf8 } from '../../../src/util/bytes.js';
import { Rng } from './support/rng.js';

describe('SHA-256 and HMAC-SHA256', () => {
  it('match FIPS 180-2 and RFC 4231 known answers', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // RFC 4231 test cases 1 and 6 (a key longer than the block is hashed first).
    expect(toHex(hmacSha256(new Uint8Array(20).fill(0x0b), utf8('Hi There')))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(toHex(hmacSha256(new Uint8Array(131).fill(0xaa), utf8('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('agree with @noble/hashes on random inputs around block boundaries', () => {
    const r = new Rng('hashes');
    for (let i = 0; i < 2000; i++) {
      const data = r.bytes(r.pick([0, 1, 55, 56, 63, 64, 65, 119, 128, r.int(300), r.int(5000)]));
      const key = r.bytes(r.pick([0, 3, 32, 64, 65, r.int(200)]));
      expect(toHex(sha256(data))).toBe(toHex(nobleSha256(data)));
      expect(toHex(hmacSha256(key, data))).toBe(toHex(hmac(nobleSha256, key, data)));
    }
  });
});

describe('ChaCha20 (RFC 8439)', () => {
  it('reproduces the RFC 8439 section 2.4.2 example', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const nonce = fromHex('000000000000004a00000000');
    const plaintext = utf8(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    );
    expect(toHex(chacha20(key, nonce, plaintext, 1))).toBe(
      '6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8' +
        '07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d',
    );
  });

  it('gives the BOLT 4 zero-nonce key stream when fed zeros, and leaves its input alone', () => {
    const key = new Uint8Array(32).fill(7);
    const zeros = new Uint8Array(2600);
    const stream = chacha20(key, new Uint8Array(12), zeros);
    expect(zeros.every((b) => b === 0)).toBe(true);
    expect(toHex(stream)).toBe(toHex(nobleChacha20(key, new Uint8Array(12), zeros)));
  });

  it('agrees with @noble/ciphers on random keys, nonces, counters and lengths', () => {
    const r = new Rng('chacha20');
    for (let i = 0; i < 1000; i++) {
      const key = r.bytes(32);
      const nonce = r.bytes(12);
      const data = r.bytes(r.pick([0, 1, 63, 64, 65, 1300, r.int(3000)]));
      // noble never uses block 0xffffffff; stay just below it.
      const counter = r.pick([0, 1, r.int(1 << 30), 2 ** 32 - 2 - Math.ceil(data.length / 64)]);
      expect(toHex(chacha20(key, nonce, data, counter)), `case ${i}`).toBe(toHex(nobleChacha20(key, nonce, data, undefined, counter)));
    }
  });

  it('uses block 0xffffffff (RFC 8439 allows it; noble stops one block earlier) but never wraps the counter', () => {
    const key = new Uint8Array(32);
    const nonce = new Uint8Array(12);
    const last = 2 ** 32 - 1;
    const lastBlock = chacha20(key, nonce, new Uint8Array(64), last);
    expect(toHex(chacha20(key, nonce, new Uint8Array(128), last - 1).subarray(64))).toBe(toHex(lastBlock));
    expect(toHex(lastBlock)).not.toBe(toHex(chacha20(key, nonce, new Uint8Array(64), 0))); // no wrap to block 0
    expect(() => chacha20(key, nonce, new Uint8Array(65), last)).toThrow(CryptoError);
    expect(() => chacha20(key, nonce, new Uint8Array(1), 2 ** 32)).toThrow(CryptoError);
    expect(() => chacha20(key, nonce, new Uint8Array(1), -1)).toThrow(CryptoError);
    expect(() => chacha20(key, nonce, new Uint8Array(1), 1.5)).toThrow(CryptoError);
  });

  it('rejects wrong key and nonce lengths with CryptoError', () => {
    expect(() => chacha20(new Uint8Array(31), new Uint8Array(12), new Uint8Array(1))).toThrow(CryptoError);
    expect(() => chacha20(new Uint8Array(32), new Uint8Array(8), new Uint8Array(1))).toThrow(CryptoError);
    expect(() => chacha20(new Uint8Array(32), new Uint8Array(12), [1, 2] as unknown as Uint8Array)).toThrow(CryptoError);
  });
});
