// Deno's default source for the crypto module: wasm/lightning.wasm of this package, fetched as a
// file: URL (Deno's fetch reads files, with --allow-read). No node:fs, so this file never pulls
// Deno into its Node compatibility layer.
import { initCryptoOnce, type WasmSource } from './init.js';

// Runs as src/crypto/deno.ts or as dist/node/crypto/deno.js: the module is two or three
// directories up. Kept in variables so bundlers do not treat them as assets to ship.
const CANDIDATES = ['../../wasm/lightning.wasm', '../../../wasm/lightning.wasm'];

async function fetchDefaultModule(): Promise<ArrayBuffer> {
  const failures: string[] = [];
  for (const rel of CANDIDATES) {
    const url = new URL(rel, import.meta.url);
    try {
      const res = await fetch(url);
      if (res.ok) return await res.arrayBuffer();
      failures.push(`${url.pathname}: HTTP ${res.status}`);
    } catch (e) {
      // Missing file (NotFound) or no read permission (NotCapable): try the next place, report all.
      failures.push(`${url.pathname}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`wasm/lightning.wasm not readable (${failures.join('; ')}); run Deno with --allow-read for the package, or pass \`wasm\``);
}

/** initCrypto() with the package's own module file unless a source is given. */
export function initCryptoDeno(source?: WasmSource): Promise<void> {
  return initCryptoOnce(async () => source ?? (await fetchDefaultModule()));
}
