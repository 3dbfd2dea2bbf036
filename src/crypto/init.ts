// Loads the crypto module once and installs it as the secp256k1 backend. Works wherever
// WebAssembly does: browser (module) Workers and pages, Node, Deno, Cloudflare Workers. No
// filesystem access here; Node's default file lives in ./node.ts so browser bundles never
// import node:fs.
import { CryptoError } from './errors.js';
import { setSecp256k1Backend } from './secp256k1.js';
import { wasmBackend } from './wasm-backend.js';
import { WasmCrypto, setActiveWasm } from './wasm-instance.js';
import { errorMessage } from '../errors.js';

/**
 * Where the module comes from. Cloudflare Workers forbid compiling from bytes: pass the
 * `WebAssembly.Module` their bundler gives for `import mod from './lightning.wasm'`.
 */
export type WasmSource = BufferSource | WebAssembly.Module | URL | string | Response | Promise<Response>;

/**
 * The module next to the sources (`wasm/lightning.wasm` two levels above `src/crypto/`); bundlers
 * (Vite) see this pattern and ship the file as an asset. Node cannot fetch file: URLs: it uses
 * `initCryptoNode()` (./node.ts). Deno and Cloudflare Workers running the compiled package pass
 * their own source.
 */
export function defaultWasmUrl(): URL {
  // `?no-inline`: bundlers (Vite's library mode) would otherwise inline the module as base64.
  return new URL('../../wasm/lightning.wasm?no-inline', import.meta.url);
}

let loading: Promise<void> | undefined;

/**
 * Loads and installs the WASM crypto backend (default: `defaultWasmUrl()`). Idempotent:
 * concurrent and later calls share the first call's promise (and its source); after a failure
 * the next call tries again.
 */
export function initCrypto(source?: WasmSource): Promise<void> {
  return initCryptoOnce(async () => source ?? defaultWasmUrl());
}

/**
 * The shared once-only loader behind `initCrypto` and runtime-specific entry points (./node.ts):
 * `getSource` runs only when a load actually starts.
 */
export function initCryptoOnce(getSource: () => Promise<WasmSource>): Promise<void> {
  loading ??= load(getSource).catch((e: unknown) => {
    loading = undefined;
    throw e instanceof CryptoError ? e : new CryptoError('WASM_LOAD', `cannot load the crypto module: ${errorMessage(e)}`);
  });
  return loading;
}

async function load(getSource: () => Promise<WasmSource>): Promise<void> {
  const w = await WasmCrypto.create(await compile(await getSource()));
  setActiveWasm(w);
  setSecp256k1Backend(wasmBackend(w));
}

async function fetchModule(url: string | URL): Promise<Response> {
  try {
    return await fetch(url);
  } catch (e) {
    // Node's fetch cannot read file: URLs (Deno's can); say what to do instead.
    const hint = String(url).startsWith('file:') ? ' (on Node, use initCryptoNode() from crypto/node.js, or pass the bytes)' : '';
    throw new CryptoError('WASM_LOAD', `cannot fetch the crypto module from ${String(url)}: ${errorMessage(e)}${hint}`);
  }
}

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  source = await source;
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL) return compile(await fetchModule(source));
  if (source instanceof Response) {
    if (!source.ok) throw new CryptoError('WASM_LOAD', `fetching the crypto module failed: HTTP ${source.status} ${source.url}`);
    // Streaming compilation needs the right MIME type; servers without it get the buffered path.
    const wasmMime = (source.headers.get('content-type') ?? '').startsWith('application/wasm');
    if (wasmMime && typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(source);
    return WebAssembly.compile(await source.arrayBuffer());
  }
  return WebAssembly.compile(source);
}
