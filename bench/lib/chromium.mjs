// One Vite dev server (free port) and one Chromium (Playwright, Debian's binary) shared by every
// suite, started on first use and closed at the end. runInChromiumWorker(name, args) runs
// test/browser/workers/<name>.ts in a fresh module Worker of the test harness page, exactly as
// the Playwright tests do.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const HARNESS = '/test/browser/pages/harness.html';
// Same flags as playwright.config.ts.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export class ChromiumHost {
  /** @param {string} root repository root (Vite's config and the harness live there) */
  constructor(root, log) {
    this.root = root;
    this.log = log;
    this.started = undefined;
  }

  /** Version without launching: from the running browser, else `chromium --version`. */
  async version() {
    if (this.started) return (await this.started).browser.version();
    try {
      const out = execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] });
      return /\d+(\.\d+){3}/.exec(out)?.[0] ?? out.trim(); // same form as browser.version()
    } catch (e) {
      return `unavailable (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
    }
  }

  start() {
    this.started ??= (async () => {
      const { createServer } = await import('vite');
      const { chromium } = await import('@playwright/test');
      const server = await createServer({
        configFile: resolve(this.root, 'vite.config.ts'),
        root: this.root,
        logLevel: 'error',
        // No watcher and no HMR: other edits to the tree must not reload the page mid-measurement.
        server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
      });
      await server.listen();
      const addr = server.httpServer?.address();
      if (!addr || typeof addr === 'string') throw new Error('vite dev server has no TCP address');
      const origin = `http://127.0.0.1:${addr.port}`;
      this.log(`vite dev server on ${origin}`);
      const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
      const page = await browser.newPage();
      page.on('console', (m) => this.log(`[chromium] ${m.text()}`));
      await page.goto(origin + HARNESS);
      await page.waitForFunction(() => window.harnessReady === true);
      this.log(`chromium ${browser.version()} ready`);
      return { server, browser, page };
    })();
    return this.started;
  }

  async runInWorker(name, args) {
    const { page } = await this.start();
    return page.evaluate(({ n, a }) => window.runInWorker(n, a), { n: name, a: args });
  }

  async close() {
    if (!this.started) return;
    const s = await this.started.catch(() => undefined);
    this.started = undefined;
    if (!s) return;
    await s.browser.close();
    await s.server.close();
  }
}
