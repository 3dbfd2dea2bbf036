import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const port = Number(process.env.LW_TEST_HTTP_PORT ?? 5179);

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  // Playwright empties its output folder at the start of a run: keep it apart from test-results/,
  // where vitest's JSON report (read by scripts/test-summary.mjs) was written just before.
  outputDir: 'test-results/playwright',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite --config vite.config.ts --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/test/browser/pages/harness.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
