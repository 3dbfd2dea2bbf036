// The library as `vite build` ships it (dist/lib: the client, its module Worker chunk and the WASM
// module as files), loaded by a plain page from a static server that knows nothing about Vite:
// the Worker URL and the default WASM URL must resolve from the bundle itself.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'test-results', 'worker-bundle');
/** Where the bundle is served from, as a site would serve the package's dist/lib. */
const MOUNT = '/';

const MIME: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.map': 'application/json' };

const PAGE = `<!doctype html><meta charset="utf-8"><title>bundle</title>
<script type="module">
  import { startLightningWorker, RpcError } from '${MOUNT}lightning-worker.js';
  window.run = async () => {
    const ln = await startLightningWorker({ network: 'regtest', dbName: 'bundle', chain: { static: 7 } });
    const info = await ln.getinfo();
    let error;
    try {
      await ln.waitsendpay({ payment_hash: 'cd'.repeat(32) });
    } catch (e) {
      error = { isRpcError: e instanceof RpcError, code: e.code, message: e.message };
    }
    await ln.close();
    return { id: ln.id, info: { id: info.id, blockheight: info.blockheight }, error };
  };
</script>`;

let server: Server | undefined;
let base = '';
const requests: string[] = [];

test.beforeAll(async () => {
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: OUT, emptyOutDir: true } });
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (path === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    const file = normalize(join(OUT, path.startsWith(MOUNT) ? path.slice(MOUNT.length) : '\0'));
    if (!file.startsWith(OUT)) {
      res.writeHead(403).end();
      return;
    }
    stat(file).then(
      (s) => {
        if (!s.isFile()) throw new Error('not a file');
        res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

test('the built library starts its Worker and loads the WASM module from its own files', async ({ page }) => {
  await page.goto(`${base}/page.html`);
  await page.waitForFunction(() => typeof (window as unknown as { run?: unknown }).run === 'function');
  const r = await page.evaluate(() => (window as unknown as { run: () => Promise<unknown> }).run());
  expect(r).toMatchObject({
    info: { blockheight: 7 },
    error: { isRpcError: true, code: 208, message: `Never attempted payment part 0 for '${'cd'.repeat(32)}'` },
  });
  const { id, info } = r as { id: string; info: { id: string } };
  expect(info.id).toBe(id);
  expect(requests).toContain(`${MOUNT}lightning.wasm`);
  expect(requests.some((p) => /^\/.*assets\/worker-[\w-]+\.js$/.test(p))).toBe(true);
});
