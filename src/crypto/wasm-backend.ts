// The production Secp256k1Backend: libsecp256k1 in wasm/lightning.wasm. Inputs arrive
// length-checked by secp256k1.ts; invalid values come back from C as status 0 and become null /
// false here, which secp256k1.ts turns into CryptoError.
import type { Secp256k1Backend } from './secp256k1.js';
import type { Arena, WasmCrypto } from './wasm-instance.js';
import type { LwExports } from './wasm-exports.js';
import type { Bytes } from '../util/bytes.js';

export function wasmBackend(w: WasmCrypto): Secp256k1Backend {
  /** One call with an `n`-byte output that the export fills when it returns 1. */
  const out = (secret: boolean, n: number, run: (x: LwExports, a: Arena, out: number) => number): Bytes | null =>
    w.call(secret, (x, a) => {
      const ptr = a.alloc(n);
      return run(x, a, ptr) === 1 ? a.read(ptr, n) : null;
    });
  /** A 32-byte digest (the hash exports cannot fail). HMAC keys are often secrets: always wipe. */
  const digest = (run: (x: LwExports, a: Arena, out: number) => void): Bytes =>
    w.call(true, (x, a) => {
      const ptr = a.alloc(32);
      run(x, a, ptr);
      return a.read(ptr, 32);
    });

  return {
    name: 'wasm',
    pubkeyCreate: (secret) => out(true, 33, (x, a, o) => x.lw_pubkey_create(o, a.put(secret))),
    ecdh: (secret, pubkey) => out(true, 32, (x, a, o) => x.lw_ecdh(o, a.put(secret), a.put(pubkey), pubkey.length)),
    pubkeyTweakAdd: (pubkey, tweak) => out(false, 33, (x, a, o) => x.lw_pubkey_tweak_add(o, a.put(pubkey), pubkey.length, a.put(tweak))),
    pubkeyTweakMul: (pubkey, tweak) => out(false, 33, (x, a, o) => x.lw_pubkey_tweak_mul(o, a.put(pubkey), pubkey.length, a.put(tweak))),
    pubkeyCombine: (pubkeys) =>
      out(false, 33, (x, a, o) => {
        const all = a.alloc(33 * pubkeys.length);
        pubkeys.forEach((p, i) => a.bytes().set(p, all + 33 * i));
        return x.lw_pubkey_combine(o, all, pubkeys.length, a.alloc(x.lw_pubkey_combine_work_size(pubkeys.length)));
      }),
    secretTweakAdd: (secret, tweak) => out(true, 32, (x, a, o) => x.lw_seckey_tweak_add(o, a.put(secret), a.put(tweak))),
    secretTweakMul: (secret, tweak) => out(true, 32, (x, a, o) => x.lw_seckey_tweak_mul(o, a.put(secret), a.put(tweak))),
    isValidSecret: (secret) => w.call(true, (x, a) => x.lw_seckey_verify(a.put(secret)) === 1),
    pubkeyParse: (pubkey) => out(false, 33, (x, a, o) => x.lw_pubkey_parse(o, a.put(pubkey), pubkey.length)),
    pubkeyDecompress: (pubkey) => out(false, 65, (x, a, o) => x.lw_pubkey_decompress(o, a.put(pubkey), pubkey.length)),
    signCompact: (msg32, secret) => out(true, 64, (x, a, o) => x.lw_sign_compact(o, a.put(msg32), a.put(secret))),
    signRecoverable: (msg32, secret) =>
      w.call(true, (x, a) => {
        const o = a.alloc(64);
        const recoveryId = x.lw_sign_recoverable(o, a.put(msg32), a.put(secret));
        return recoveryId >= 0 ? { signature: a.read(o, 64), recoveryId } : null;
      }),
    recoverPubkey: (msg32, sig64, recoveryId) => out(false, 33, (x, a, o) => x.lw_recover(o, a.put(msg32), a.put(sig64), recoveryId)),
    verifyCompact: (sig64, msg32, pubkey) => w.call(false, (x, a) => x.lw_verify(a.put(sig64), a.put(msg32), a.put(pubkey), pubkey.length) === 1),
    compactToDer: (sig64) =>
      w.call(false, (x, a) => {
        const o = a.alloc(72);
        const n = x.lw_compact_to_der(o, a.put(sig64));
        return n > 0 ? a.read(o, n) : null;
      }),
    derToCompact: (der) => out(false, 64, (x, a, o) => x.lw_der_to_compact(o, a.put(der), der.length)),
    normalizeS: (sig64) => out(false, 64, (x, a, o) => x.lw_normalize_s(o, a.put(sig64))),
    sha256: (data) => digest((x, a, o) => x.lw_sha256(o, a.put(data), data.length)),
    hmacSha256: (key, data) => digest((x, a, o) => x.lw_hmac_sha256(o, a.put(key), key.length, a.put(data), data.length)),
  };
}
