// A fixed set of crypto operations whose results crypto.spec.ts computes twice, in a Chromium
// Worker and in Node, and compares. Pure function of its input; needs an initialized backend.
import * as c from '../../../src/crypto/index.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';

export interface SampleInput {
  /** bolt04-onion.json onion_test.generate */
  onion: { session_key: string; associated_data: string; hops: { pubkey: string; payload: string }[] };
}

export type CryptoSample = Record<string, string | number | boolean>;

function errorCode(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (e) {
    return e instanceof c.CryptoError ? e.code : `raw ${String(e)}`;
  }
}

export function runSample(input: SampleInput): CryptoSample {
  const sk = fromHex('21'.repeat(32));
  const other = fromHex('12'.repeat(32));
  const msg = c.sha256(new TextEncoder().encode('lightning-worker'));
  const pub = c.pubkeyCreate(sk);
  const rec = c.signRecoverable(msg, sk);
  const sig = c.signCompact(msg, sk);
  const onion = c.sphinxBuild(
    fromHex(input.onion.session_key),
    input.onion.hops.map((h) => fromHex(h.pubkey)),
    input.onion.hops.map((h) => fromHex(h.payload)),
    fromHex(input.onion.associated_data),
  );
  return {
    pubkey: toHex(pub),
    ecdh: toHex(c.ecdh(other, pub)),
    tweakAdd: toHex(c.pubkeyTweakAdd(pub, msg)),
    secretTweakMul: toHex(c.secretTweakMul(sk, msg)),
    signature: toHex(sig),
    der: toHex(c.compactToDer(sig)),
    verifies: c.verifyCompact(sig, msg, pub),
    recoveryId: rec.recoveryId,
    recovered: toHex(c.recoverPubkey(msg, rec.signature, rec.recoveryId)),
    hmac: toHex(c.hmacSha256(sk, msg)),
    chacha20: toHex(c.chacha20(sk, new Uint8Array(12), new Uint8Array(100), 1)),
    onionPacket: toHex(onion.packet),
    onionSecret0: toHex(onion.sharedSecrets[0]!),
    offCurveEcdh: errorCode(() => c.ecdh(sk, fromHex('02' + '00'.repeat(32)))),
    zeroSecret: errorCode(() => c.pubkeyCreate(new Uint8Array(32))),
    afterErrors: toHex(c.pubkeyCreate(other)),
  };
}
