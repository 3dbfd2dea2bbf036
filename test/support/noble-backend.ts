// A pure-JS secp256k1 backend on @noble/curves, for cross-checking the WASM module in tests and as
// the "pure JS" side of benchmarks. Never imported by src/.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import type { Secp256k1Backend } from '../../src/crypto/secp256k1.js';

const Point = secp256k1.Point;
const N = Point.CURVE().n;

function toBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
function to32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
function tryPoint(b: Uint8Array) {
  try {
    return Point.fromBytes(b);
  } catch {
    return null;
  }
}
function validScalar(b: Uint8Array): bigint | null {
  const v = toBig(b);
  return v > 0n && v < N ? v : null;
}

export const nobleBackend: Secp256k1Backend = {
  name: 'noble',
  pubkeyCreate(secret) {
    const k = validScalar(secret);
    return k === null ? null : Point.BASE.multiply(k).toBytes(true);
  },
  ecdh(secret, pubkey) {
    const k = validScalar(secret);
    const p = tryPoint(pubkey);
    if (k === null || p === null) return null;
    return nobleSha256(p.multiply(k).toBytes(true));
  },
  pubkeyTweakAdd(pubkey, tweak) {
    const p = tryPoint(pubkey);
    const t = toBig(tweak);
    if (p === null || t >= N) return null;
    const r = t === 0n ? p : p.add(Point.BASE.multiply(t));
    return r.equals(Point.ZERO) ? null : r.toBytes(true);
  },
  pubkeyTweakMul(pubkey, tweak) {
    const p = tryPoint(pubkey);
    const t = validScalar(tweak);
    if (p === null || t === null) return null;
    return p.multiply(t).toBytes(true);
  },
  pubkeyCombine(pubkeys) {
    let acc = Point.ZERO;
    for (const b of pubkeys) {
      const p = tryPoint(b);
      if (p === null) return null;
      acc = acc.add(p);
    }
    return acc.equals(Point.ZERO) ? null : acc.toBytes(true);
  },
  secretTweakAdd(secret, tweak) {
    const k = validScalar(secret);
    const t = toBig(tweak);
    if (k === null || t >= N) return null;
    const r = (k + t) % N;
    return r === 0n ? null : to32(r);
  },
  secretTweakMul(secret, tweak) {
    const k = validScalar(secret);
    const t = validScalar(tweak);
    if (k === null || t === null) return null;
    return to32((k * t) % N);
  },
  isValidSecret(secret) {
    return validScalar(secret) !== null;
  },
  pubkeyParse(pubkey) {
    return tryPoint(pubkey)?.toBytes(true) ?? null;
  },
  pubkeyDecompress(pubkey) {
    return tryPoint(pubkey)?.toBytes(false) ?? null;
  },
  signCompact(msg32, secret) {
    if (validScalar(secret) === null) return null;
    return secp256k1.sign(msg32, secret, { prehash: false, lowS: true, format: 'compact' });
  },
  signRecoverable(msg32, secret) {
    if (validScalar(secret) === null) return null;
    const r = secp256k1.sign(msg32, secret, { prehash: false, lowS: true, format: 'recovered' });
    return { signature: r.slice(1), recoveryId: r[0]! };
  },
  recoverPubkey(msg32, sig64, recoveryId) {
    try {
      const sig = secp256k1.Signature.fromBytes(sig64, 'compact').addRecoveryBit(recoveryId);
      return sig.recoverPublicKey(msg32).toBytes(true);
    } catch {
      return null;
    }
  },
  verifyCompact(sig64, msg32, pubkey) {
    try {
      return secp256k1.verify(sig64, msg32, pubkey, { prehash: false, lowS: true, format: 'compact' });
    } catch {
      return false;
    }
  },
  compactToDer(sig64) {
    try {
      return secp256k1.Signature.fromBytes(sig64, 'compact').toBytes('der');
    } catch {
      return null;
    }
  },
  derToCompact(der) {
    try {
      return secp256k1.Signature.fromBytes(der, 'der').toBytes('compact');
    } catch {
      return null;
    }
  },
  normalizeS(sig64) {
    try {
      const s = secp256k1.Signature.fromBytes(sig64, 'compact');
      return (s.hasHighS() ? new secp256k1.Signature(s.r, N - s.s) : s).toBytes('compact');
    } catch {
      return null;
    }
  },
  sha256(data) {
    return nobleSha256(data);
  },
  hmacSha256(key, data) {
    return hmac(nobleSha256, key, data);
  },
};
