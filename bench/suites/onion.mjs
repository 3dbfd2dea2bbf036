// Onion build benchmark: a 20-hop onion (19 forwarding TLV hops + final hop with payment_data),
// median ms through the production path (WASM kernel when loaded) next to the pure-JS baseline
// (test/support/sphinx-purejs.ts on noble) building the same onion, in Node and in a Chromium
// worker. Targets: <= 3.0 ms median in the worker and >= 4x faster than pure JS. Prints numbers;
// asserts nothing about time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ITERATIONS = Number(process.env.LW_BENCH_ITERATIONS ?? 50);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The pure-JS baseline is TypeScript; transpile it once next to the repo so noble resolves. */
async function loadPureJs() {
  const ts = (await import('typescript')).default;
  const src = readFileSync(join(ROOT, 'test/support/sphinx-purejs.ts'), 'utf8');
  const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const dir = join(ROOT, 'bench/.cache');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'sphinx-purejs.mjs');
  writeFileSync(file, out);
  return import(pathToFileURL(file).href);
}

async function nodeRun(dist) {
  const crypto = await import(pathToFileURL(join(dist, 'crypto/index.js')).href);
  const onion = await import(pathToFileURL(join(dist, 'onion/index.js')).href);
  // Node cannot fetch the file: URL initCrypto() defaults to (which would also point at
  // dist/wasm/): the Node loader reads the package's wasm/lightning.wasm from disk.
  const { initCryptoNode } = await import(pathToFileURL(join(dist, 'crypto/node.js')).href);
  await initCryptoNode();
  const { sphinxBuildPureJs } = await loadPureJs();

  const keys = Array.from({ length: 20 }, (_, i) => new Uint8Array(32).fill(0x20 + i));
  const pubkeys = keys.map((k) => crypto.pubkeyCreate(k));
  const payloads = keys.map((_, i) =>
    i < 19
      ? { amt_to_forward: BigInt(100000 + 10 * (19 - i)), outgoing_cltv_value: 800000 + 40 * (19 - i), short_channel_id: (800000n << 40n) | BigInt(i) }
      : { amt_to_forward: 100000n, outgoing_cltv_value: 800000, payment_data: { payment_secret: new Uint8Array(32).fill(0x11), total_msat: 100000n } },
  );
  const framed = payloads.map((p) => onion.frameHopPayload(onion.encodeHopPayload(p)));
  const sessionKey = new Uint8Array(32).fill(0x41);
  const ad = new Uint8Array(32).fill(0x42);
  const prod = () => onion.buildOnion({ hops: pubkeys.map((pubkey, i) => ({ pubkey, payload: payloads[i] })), associatedData: ad, sessionKey }).packet;
  const pure = () => sphinxBuildPureJs(sessionKey, pubkeys, framed, ad).packet;
  if (prod().join() !== pure().join()) throw new Error('production and pure-JS onions differ');
  const time = (fn) => {
    for (let i = 0; i < 5; i++) fn();
    const out = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      fn();
      out.push(performance.now() - t0);
    }
    return median(out);
  };
  const production_median_ms = time(prod);
  const purejs_median_ms = time(pure);
  return { backend: crypto.secp256k1BackendName(), iterations: ITERATIONS, production_median_ms, purejs_median_ms, speedup: purejs_median_ms / production_median_ms };
}

export default async function onionSuite(ctx) {
  const node = await nodeRun(ctx.dist);
  const chromium = await ctx.runInChromiumWorker('bench-onion', { iterations: ITERATIONS });
  return {
    name: 'onion_build_20_hops',
    node,
    chromium_worker: chromium,
    targets: { chromium_worker_median_ms_max: 3.0, speedup_vs_purejs_min: 4 },
  };
}
