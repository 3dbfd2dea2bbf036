// The production Secp256k1Backend: libsecp256k1 in wasm/lightning.wasm. Inputs arrive
// length-checked by secp256k1.ts; invalid values come back from C as status 0 and become null /
// false here, which secp256k1.ts turns into CryptoError.
import type { Secp256k1Backend } from './secp256k1.js';
import type { WasmCrypto } from './wasm-instance.js';
import type { Bytes } from '../util/bytes.js';

export function wasmBackend(w: WasmCrypto): Secp256k1Backend {
  return {
    name: 'wasm',
    pubkeyCreate: (secret) =>
      w.call(true, (x, a) => {
        const out = a.alloc(33);
        return x.lw_pubkey_create(out, a.put(secret)) === 1 ? a.read(out, 33) : null;
      }),
    ecdh: (secret, pubkey) =>
      w.call(true, (x, a) => {
        const out = a.alloc(32);
        return x.lw_ecdh(out, a.put(secret), a.put(pubkey), pubkey.length) === 1 ? a.read(out, 32) : null;
      }),
    pubkeyTweakAdd: (pubkey, tweak) =>
      w.call(false, (x, a) => {
        const out = a.alloc(33);
        return x.lw_pubkey_tweak_add(out, a.put(pubkey), pubkey.length, a.put(tweak)) === 1 ? a.read(out, 33) : null;
      }),
    pubkeyTweakMul: (pubkey, tweak) =>
      w.call(false, (x, a) => {
        const out = a.alloc(33);
        return x.lw_pubkey_tweak_mul(out, a.put(pubkey), pubkey.length, a.put(tweak)) === 1 ? a.read(out, 33) : null;
      }),
    pubkeyCombine: (pubkeys) =>
      w.call(false, (x, a) => {
        const out = a.alloc(33);
        const all = a.alloc(33 * pubkeys.length);
        pubkeys.forEach((p, i) => a.bytes().set(p, all + 33 * i));
        const work = a.alloc(x.lw_pubkey_combine_work_size(pubkeys.length));
        return x.lw_pubkey_combine(out, all, pubkeys.length, work) === 1 ? a.read(out, 33) : null;
      }),
    secretTweakAdd: (secret, tweak) =>
      w.call(true, (x, a) => {
        const out = a.alloc(32);
        return x.lw_seckey_tweak_add(out, a.put(secret), a.put(tweak)) === 1 ? a.read(out, 32) : null;
      }),
    secretTweakMul: (secret, tweak) =>
      w.call(true, (x, a) => {
        const out = a.alloc(32);
        return x.lw_seckey_tweak_mul(out, a.put(secret), a.put(tweak)) === 1 ? a.read(out, 32) : null;
      }),
    isValidSecret: (secret) => w.call(true, (x, a) => x.lw_seckey_verify(a.put(secret)) === 1),
    pubkeyParse: (pubkey) =>
      w.call(false, (x, a) => {
        const out = a.alloc(33);
        return x.lw_pubkey_parse(out, a.put(pubkey), pubkey.length) === 1 ? a.read(out, 33) : null;
      }),
    pubkeyDecompress: (pubkey) =>
      w.call(false, (x, a) => {
        const out = a.alloc(65);
        return x.lw_pubkey_decompress(out, a.put(pubkey), pubkey.length) === 1 ? a.read(out, 65) : null;
      }),
    signCompact: (msg32, secret) =>
      w.call(true, (x, a) => {
        const out = a.alloc(64);
        return x.lw_sign_compact(out, a.put(msg32), a.put(secret)) === 1 ? a.read(out, 64) : null;
      }),
    signRecoverable: (msg32, secret) =>
      w.call(true, (x, a) => {
        const out = a.alloc(64);
        const recoveryId = x.lw_sign_recoverable(out, a.put(msg32), a.put(secret));
        return recoveryId >= 0 ? { signature: a.read(out, 64), recoveryId } : null;
      }),
    recoverPubkey: (msg32, sig64, recoveryId) =>
      w.call(false, (x, a) => {
        const out = a.alloc(33);
        return x.lw_recover(out, a.put(msg32), a.put(sig64), recoveryId) === 1 ? a.read(out, 33) : null;
      }),
    verifyCompact: (sig64, msg32, pubkey) =>
      w.call(false, (x, a) => x.lw_verify(a.put(sig64), a.put(msg32), a.put(pubkey), pubkey.length) === 1),
    compactToDer: (sig64) =>
      w.call(false, (x, a) => {
        const out = a.alloc(72);
        const n = x.lw_compact_to_der(out, a.put(sig64));
        return n > 0 ? a.read(out, n) : null;
      }),
    derToCompact: (der) =>
      w.call(false, (x, a) => {
        const out = a.alloc(64);
        return x.lw_der_to_compact(out, a.put(der), der.length) === 1 ? a.read(out, 64) : null;
      }),
    normalizeS: (sig64) =>
      w.call(false, (x, a) => {
        const out = a.alloc(64);
        return x.lw_normalize_s(out, a.put(sig64)) === 1 ? a.read(out, 64) : null;
      }),
    // HMAC keys are often secrets (BOLT 8 chaining keys, onion keys), so both hashes wipe.
    sha256: (data) =>
      w.call(true, (x, a) => {
        const out = a.alloc(32);
        x.lw_sha256(out, a.put(data), data.length);
        return a.read(out, 32);
      }),
    hmacSha256: (key, data): Bytes =>
      w.call(true, (x, a) => {
        const out = a.alloc(32);
        x.lw_hmac_sha256(out, a.put(key), key.length, a.put(data), data.length);
        return a.read(out, 32);
      }),
  };
}
