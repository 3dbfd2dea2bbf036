// initCrypto with every kind of source, once-only loading, and WASM_LOAD errors. Each test gets
// a fresh copy of the crypto modules (vi.resetModules) so it starts uninitialized.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../support/shared.js';

type Crypto = typeof import('../../../src/crypto/index.js');

const WASM = readFileSync(resolve(REPO_ROOT, 'wasm/lightning.wasm'));
const PK_HEX = '028d7500dd4c12685d1f568b4c2b5048e8534b873319f3a8daa612b469132ec7f7';

async function fresh(): Promise<Crypto> {
  vi.resetModules();
  return import('../../../src/crypto/index.js');
}

function expectWorking(c: Crypto): void {
  expect(c.secp256k1BackendName()).toBe('wasm');
  expect(c.pubkeyCreate(new Uint8Array(32).fill(0x21)).length).toBe(33);
  expect(Buffer.from(c.pubkeyCreate(new Uint8Array(32).fill(0x21))).toString('hex')).toBe(PK_HEX);
}

async function loadError(p: Promise<void>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect((e as { name: string }).name).toBe('CryptoError');
    return (e as { code: string }).code;
  }
  return 'no error';
}

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/lightning.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(WASM);
    else if (req.url === '/octet.wasm') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(WASM);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('initCrypto sources', () => {
  let c: Crypto;
  beforeEach(async () => {
    c = await fresh();
  });

  it('starts uninitialized', () => {
    expect(c.hasSecp256k1Backend()).toBe(false);
    expect(() => c.pubkeyCreate(new Uint8Array(32).fill(1))).toThrow(c.CryptoError);
    expect(() => c.chacha20(new Uint8Array(32), new Uint8Array(12), new Uint8Array(1))).toThrow(/initCrypto/);
  });

  it('bytes: Uint8Array and ArrayBuffer', async () => {
    await c.initCrypto(new Uint8Array(WASM));
    expectWorking(c);
    const again = await fresh();
    await again.initCrypto(WASM.buffer.slice(WASM.byteOffset, WASM.byteOffset + WASM.byteLength));
    expectWorking(again);
  });

  it('a compiled WebAssembly.Module (the Cloudflare Workers path)', async () => {
    await c.initCrypto(await WebAssembly.compile(WASM));
    expectWorking(c);
  });

  it('URL objects and URL strings over HTTP, with and without the wasm MIME type', async () => {
    await c.initCrypto(new URL(`${base}/lightning.wasm`));
    expectWorking(c);
    const again = await fresh();
    await again.initCrypto(`${base}/octet.wasm`);
    expectWorking(again);
  });

  it('a Response and a Promise<Response>', async () => {
    await c.initCrypto(new Response(WASM, { headers: { 'content-type': 'application/wasm' } }));
    expectWorking(c);
    const again = await fresh();
    await again.initCrypto(fetch(`${base}/lightning.wasm`));
    expectWorking(again);
  });

  it('loads once: concurrent calls share one promise and later sources are ignored', async () => {
    const a = c.initCrypto(WASM);
    const b = c.initCrypto(new Uint8Array([1, 2, 3]));
    expect(b).toBe(a);
    await Promise.all([a, b]);
    expectWorking(c);
    await c.initCrypto('http://127.0.0.1:1/never-fetched.wasm');
    expectWorking(c);
  });

  it('fails with WASM_LOAD for 404s, garbage and foreign modules, and can retry afterwards', async () => {
    expect(await loadError(c.initCrypto(`${base}/missing.wasm`))).toBe('WASM_LOAD');
    expect(await loadError(c.initCrypto(new Uint8Array([0, 1, 2, 3])))).toBe('WASM_LOAD');
    const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(await loadError(c.initCrypto(emptyModule))).toBe('WASM_LOAD');
    expect(c.hasSecp256k1Backend()).toBe(false);
    await c.initCrypto(WASM);
    expectWorking(c);
  });

  it('points Node users of file: URLs (and of the default URL) to initCryptoNode', async () => {
    for (const attempt of [() => c.initCrypto(pathToFileURL(resolve(REPO_ROOT, 'wasm/lightning.wasm'))), () => c.initCrypto()]) {
      const err = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(c.CryptoError);
      expect((err as Error).message).toMatch(/initCryptoNode/);
    }
  });

  it('initCryptoNode reads the package’s own module file', async () => {
    const { initCryptoNode } = await import('../../../src/crypto/node.js');
    await initCryptoNode();
    expectWorking(c);
  });
});
