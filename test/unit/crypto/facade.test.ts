import { describe, expect, it } from 'vitest';
import { ecdh, pubkeyCreate, signCompact, verifyCompact, recoverPubkey, signRecoverable } from '../../../src/crypto/secp256k1.js';
import { CryptoError } from '../../../src/crypto/errors.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';

describe('crypto facade', () => {
  it('derives the BOLT 8 responder static key', () => {
    expect(toHex(pubkeyCreate(fromHex('2121212121212121212121212121212121212121212121212121212121212121')))).toBe(
      '028d7500dd4c12685d1f568b4c2b5048e8534b873319f3a8daa612b469132ec7f7',
    );
  });
  it('signs, verifies and recovers', () => {
    const sk = fromHex('11'.repeat(32));
    const msg = fromHex('22'.repeat(32));
    const sig = signCompact(msg, sk);
    expect(verifyCompact(sig, msg, pubkeyCreate(sk))).toBe(true);
    const r = signRecoverable(msg, sk);
    expect(toHex(recoverPubkey(msg, r.signature, r.recoveryId))).toBe(toHex(pubkeyCreate(sk)));
  });
  it('rejects bad input with CryptoError', () => {
    expect(() => ecdh(new Uint8Array(31), new Uint8Array(33))).toThrow(CryptoError);
    expect(() => ecdh(new Uint8Array(32).fill(1), new Uint8Array(33))).toThrow(CryptoError);
    expect(() => pubkeyCreate(new Uint8Array(32))).toThrow(CryptoError);
  });
});
