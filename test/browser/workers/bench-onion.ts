// Chromium-worker half of bench/suites/onion.mjs: median time of a 20-hop onion build (19
// forwarding TLV hops + a final hop with payment_data) through the production path, next to the
// pure-JS baseline building the same onion in the same run.
import * as cryptoFacade from '../../../src/crypto/index.js';
import { buildOnion, encodeHopPayload, frameHopPayload, type HopPayload } from '../../../src/onion/index.js';
import type { Scid } from '../../../src/types.js';
import { sphinxBuildPureJs } from '../../support/sphinx-purejs.js';
import { nobleBackend } from '../../support/noble-backend.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fixture(): { keys: Uint8Array[]; payloads: HopPayload[]; sessionKey: Uint8Array; ad: Uint8Array } {
  const keys = Array.from({ length: 20 }, (_, i) => new Uint8Array(32).fill(0x20 + i));
  const payloads: HopPayload[] = keys.map((_, i) =>
    i < 19
      ? { amt_to_forward: BigInt(100_000 + 10 * (19 - i)), outgoing_cltv_value: 800_000 + 40 * (19 - i), short_channel_id: ((800_000n << 40n) | BigInt(i)) as Scid }
      : { amt_to_forward: 100_000n, outgoing_cltv_value: 800_000, payment_data: { payment_secret: new Uint8Array(32).fill(0x11), total_msat: 100_000n } },
  );
  return { keys, payloads, sessionKey: new Uint8Array(32).fill(0x41), ad: new Uint8Array(32).fill(0x42) };
}

export default async function benchOnion(args: unknown): Promise<unknown> {
  const iterations = typeof args === 'object' && args !== null && typeof (args as { iterations?: unknown }).iterations === 'number' ? (args as { iterations: number }).iterations : 50;
  // Production crypto when the WASM loader exists; otherwise say honestly what was measured.
  const init = (cryptoFacade as Record<string, unknown>)['initCrypto'];
  if (typeof init === 'function') await (init as () => Promise<void>)();
  if (!cryptoFacade.hasSecp256k1Backend()) cryptoFacade.setSecp256k1Backend(nobleBackend);
  const backend = cryptoFacade.secp256k1BackendName();

  const f = fixture();
  const pubkeys = f.keys.map((k) => cryptoFacade.pubkeyCreate(k));
  const framed = f.payloads.map((p) => frameHopPayload(encodeHopPayload(p)));
  const hops = pubkeys.map((pubkey, i) => ({ pubkey, payload: f.payloads[i]! }));
  const prod = (): Uint8Array => buildOnion({ hops, associatedData: f.ad, sessionKey: f.sessionKey }).packet;
  const pure = (): Uint8Array => sphinxBuildPureJs(f.sessionKey, pubkeys, framed, f.ad).packet;
  // The very first build, before any JIT or WASM tier-up: what a freshly started Worker pays once.
  const t0 = performance.now();
  const first = prod();
  const firstMs = performance.now() - t0;
  if (first.join() !== pure().join()) throw new Error('production and pure-JS onions differ');

  const time = (fn: () => unknown): number[] => {
    // Warm-up: Chromium compiles WASM with its baseline compiler first and tiers hot functions up
    // in the background; on a busy 2-core machine that can take a few dozen builds.
    for (let i = 0; i < 30; i++) fn();
    const out: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      fn();
      out.push(performance.now() - t0);
    }
    return out;
  };
  const prodMs = median(time(prod));
  const pureMs = median(time(pure));
  return { backend, iterations, production_first_ms: firstMs, production_median_ms: prodMs, purejs_median_ms: pureMs, speedup: pureMs / prodMs };
}
