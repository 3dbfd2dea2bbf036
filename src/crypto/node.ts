// Node's default source for the crypto module: wasm/lightning.wasm of this package, read from
// disk. Separate from ./init.ts so that browser bundles never see node:fs.
import { readFile } from 'node:fs/promises';
import { initCryptoOnce, type WasmSource } from './init.js';

// This file runs as src/crypto/node.ts (tests, tsx) and as dist/node/crypto/node.js (the
// compiled package): the module is two or three directories up respectively.
const CANDIDATES = ['../../wasm/lightning.wasm', '../../../wasm/lightning.wasm'];

async function readDefaultModule(): Promise<Uint8Array> {
  const tried: string[] = [];
  for (const rel of CANDIDATES) {
    const url = new URL(rel, import.meta.url);
    try {
      return await readFile(url);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      tried.push(url.pathname);
    }
  }
  throw new Error(`wasm/lightning.wasm not found (looked at ${tried.join(', ')})`);
}

/** initCrypto() with the package's own module file unless a source is given. */
export function initCryptoNode(source?: WasmSource): Promise<void> {
  return initCryptoOnce(async () => source ?? (await readDefaultModule()));
}
