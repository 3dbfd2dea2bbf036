// Crypto benchmark: secp256k1 operations (pubkey create, ECDH, sign, verify) in µs per operation
// for our WASM module and for @noble/curves in the same run, in Node and in a Chromium module
// Worker; the 20-hop Sphinx kernel build in ms; the module's size raw and gzipped. Reports the
// targets next to the figures; asserts nothing about time.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { runCryptoBench } from '../lib/crypto-bench.mjs';
import { round } from '../lib/timing.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TARGETS = {
  chromium_ecdh_us_max: 90,
  chromium_ecdh_speedup_vs_noble_min: 6,
  wasm_raw_kib_max: 120,
  chromium_onion_20_hops_median_ms_max: 3.0,
};

function withRatios(r) {
  const speedup = {};
  for (const op of Object.keys(r.wasm_us)) speedup[op] = round(r.noble_us[op].median_us / r.wasm_us[op].median_us, 1);
  return { ...r, speedup_vs_noble: speedup };
}

export default async function cryptoSuite(ctx) {
  const wasm = readFileSync(join(ROOT, 'wasm/lightning.wasm'));
  const size = { raw_bytes: wasm.length, raw_kib: round(wasm.length / 1024, 1), gzip_bytes: gzipSync(wasm, { level: 9 }).length };
  size.gzip_kib = round(size.gzip_bytes / 1024, 1);

  ctx.log('crypto: Node');
  const facade = await import(pathToFileURL(join(ctx.dist, 'crypto/index.js')).href);
  const { initCryptoNode } = await import(pathToFileURL(join(ctx.dist, 'crypto/node.js')).href);
  await initCryptoNode();
  const node = withRatios(runCryptoBench({ crypto: facade, secp256k1, sha256 }));

  ctx.log('crypto: Chromium worker');
  const chromium = withRatios(await ctx.runInChromiumWorker('bench-crypto', {}));

  return {
    wasm_size: size,
    node,
    chromium_worker: chromium,
    targets: TARGETS,
    met: {
      chromium_ecdh_us: chromium.wasm_us.ecdh.median_us <= TARGETS.chromium_ecdh_us_max,
      chromium_ecdh_speedup: chromium.speedup_vs_noble.ecdh >= TARGETS.chromium_ecdh_speedup_vs_noble_min,
      wasm_raw_kib: size.raw_kib <= TARGETS.wasm_raw_kib_max,
      chromium_onion_20_hops_ms: chromium.onion_20_hops_ms.median_ms <= TARGETS.chromium_onion_20_hops_median_ms_max,
    },
  };
}
