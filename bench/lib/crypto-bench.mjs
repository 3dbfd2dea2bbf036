// The crypto measurements, written once and run twice: in Node (bench/suites/crypto.mjs, on the
// compiled dist/) and in a Chromium worker (test/browser/workers/bench-crypto.ts, on src/ through
// Vite). The caller passes in the modules, so the same code measures whichever build it got.
import { measure, measureRuns } from './timing.mjs';

/**
 * 20 hops shaped like real TLV payloads: 19 forwarding hops of 21 framed bytes (length byte,
 * tu64 amount, tu32 CLTV, short_channel_id records) and a final hop of 48 (amount, CLTV,
 * payment_data): 1087 of the 1300 routing-info bytes with the HMACs.
 */
export function cryptoBenchFixture(pubkeyCreate) {
  const secret = new Uint8Array(32).fill(0x21);
  const hopPubkeys = Array.from({ length: 20 }, (_, i) => pubkeyCreate(new Uint8Array(32).fill(0x30 + i)));
  const hopPayloads = hopPubkeys.map((_, i) => {
    const len = i < 19 ? 20 : 47;
    const p = new Uint8Array(1 + len).fill(i + 1);
    p[0] = len;
    return p;
  });
  return {
    secret,
    pubkey: pubkeyCreate(secret),
    peer: pubkeyCreate(new Uint8Array(32).fill(0x12)),
    msg: new Uint8Array(32).fill(0x22),
    sessionKey: new Uint8Array(32).fill(0x41),
    hopPubkeys,
    hopPayloads,
    associatedData: new Uint8Array(32).fill(0x42),
  };
}

/**
 * µs per operation for the WASM module (through the public facade, as the node calls it) and
 * for @noble/curves, plus ms per 20-hop Sphinx kernel build.
 * mods: { crypto (src/crypto facade, initialized), secp256k1 (@noble/curves), sha256 (@noble/hashes) }
 */
export function runCryptoBench(mods, opts = {}) {
  const { crypto: c, secp256k1, sha256 } = mods;
  const f = cryptoBenchFixture(c.pubkeyCreate);
  const sig = c.signCompact(f.msg, f.secret);
  const nobleSig = secp256k1.sign(f.msg, f.secret, { prehash: false });
  const m = (fn) => measure(fn, opts.timing);
  return {
    backend: c.secp256k1BackendName(),
    wasm_us: {
      pubkey_create: m(() => c.pubkeyCreate(f.secret)),
      ecdh: m(() => c.ecdh(f.secret, f.peer)),
      sign: m(() => c.signCompact(f.msg, f.secret)),
      verify: m(() => c.verifyCompact(sig, f.msg, f.pubkey)),
    },
    // ECDH as BOLT 8 defines it: SHA-256 of the compressed shared point, on both sides.
    noble_us: {
      pubkey_create: m(() => secp256k1.getPublicKey(f.secret, true)),
      ecdh: m(() => sha256(secp256k1.getSharedSecret(f.secret, f.peer, true))),
      sign: m(() => secp256k1.sign(f.msg, f.secret, { prehash: false })),
      verify: m(() => secp256k1.verify(nobleSig, f.msg, f.pubkey, { prehash: false })),
    },
    onion_20_hops_ms: measureRuns(() => c.sphinxBuild(f.sessionKey, f.hopPubkeys, f.hopPayloads, f.associatedData), opts.onionRuns),
  };
}
