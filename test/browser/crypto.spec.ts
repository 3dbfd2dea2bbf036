// The WASM crypto module in a Chromium module Worker: it loads from every kind of source a
// browser deployment uses (URL, URL string, bytes, compiled Module, Response promise, and the
// bundler-visible default URL) and computes exactly what Node computes.
import { expect, test } from '@playwright/test';
import { initCryptoNode } from '../../src/crypto/node.js';
import { loadVector } from '../support/shared.js';
import { runSample, type SampleInput } from './workers/crypto-sample.js';
import type { CryptoOpsArgs, CryptoSource } from './workers/crypto-ops.js';

const HARNESS = '/test/browser/pages/harness.html';
const sampleInput: SampleInput = { onion: loadVector<{ onion_test: { generate: SampleInput['onion'] } }>('bolt04-onion.json').onion_test.generate };
const onionVector = loadVector<{ onion_test: { onion: string } }>('bolt04-onion.json').onion_test.onion;

test.describe('WASM crypto in a Chromium module Worker', () => {
  const sources: CryptoSource[] = ['url', 'url-string', 'bytes', 'module', 'response', 'default'];
  for (const source of sources) {
    test(`loads from ${source} and agrees with Node`, async ({ page }) => {
      await initCryptoNode();
      const expected = runSample(sampleInput);
      expect(expected.onionPacket).toBe(onionVector);

      await page.goto(HARNESS);
      await page.waitForFunction(() => window.harnessReady === true);
      const args: CryptoOpsArgs = { source, sample: sampleInput };
      const result = (await page.evaluate((a) => window.runInWorker('crypto-ops', a), args)) as {
        backend: string;
        sample: Record<string, unknown>;
      };
      expect(result.backend).toBe('wasm');
      expect(result.sample).toEqual(expected);
    });
  }
});
