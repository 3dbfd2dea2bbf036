// Sums the vitest and Playwright JSON reports into the closing "N passed, N failed" line.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const missing = [];

const vitest = 'test-results/vitest.json';
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  // A test file that failed to load has no failed assertions of its own: count it once.
  for (const file of r.testResults ?? []) {
    const anyFailed = (file.assertionResults ?? []).some((a) => a.status === 'failed');
    if (file.status === 'failed' && !anyFailed) failed += 1;
  }
} else missing.push('vitest');

const pw = 'test-results/playwright.json';
if (existsSync(pw)) {
  const r = JSON.parse(readFileSync(pw, 'utf8'));
  passed += r.stats?.expected ?? 0;
  failed += (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0);
} else missing.push('playwright');

// A suite that never produced a report (build or typecheck failed first) counts as a failure.
failed += missing.length;
if (missing.length) console.log(`(no report from: ${missing.join(', ')})`);
console.log(`${passed} passed, ${failed} failed`);
