// The store conformance suite: one list of named checks that every Store implementation must
// pass. It is framework-agnostic so that vitest (memory and file stores, in Node) and a Chromium
// Worker (the IndexedDB store, driven by Playwright) run the very same checks.
import { commitChecks } from './store-conformance/commits.js';
import type { CheckContext, ConformanceCheck, ConformanceTarget } from './store-conformance/context.js';
import { keyChecks } from './store-conformance/keys.js';
import { lifecycleChecks } from './store-conformance/lifecycle.js';
import { schemaChecks } from './store-conformance/schema.js';
import { valueChecks } from './store-conformance/values.js';
import type { Store } from '../../src/store/types.js';

export type { ConformanceCheck, ConformanceTarget } from './store-conformance/context.js';

export const conformanceChecks: readonly ConformanceCheck[] = [
  ...keyChecks,
  ...valueChecks,
  ...commitChecks,
  ...lifecycleChecks,
  ...schemaChecks,
];

export interface CheckOutcome {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
}

/** Runs one check; every store it opened is closed afterwards, even when it failed. */
export async function runCheck(target: ConformanceTarget, check: ConformanceCheck, runId: string): Promise<void> {
  const opened: Store[] = [];
  let n = 0;
  const ctx: CheckContext = {
    backend: target.backend,
    fresh: (label = '') => `lw-${runId}-${slug(check.name)}-${label}${n++}`,
    open: async (name, schema, opts) => {
      const s = await target.open(name, schema, opts);
      opened.push(s);
      return s;
    },
  };
  try {
    await check.run(ctx);
  } finally {
    await Promise.allSettled(opened.map((s) => s.close()));
  }
}

/** Runs every check (or those named in `only`) in order and reports each outcome. */
export async function runConformance(target: ConformanceTarget, only?: readonly string[]): Promise<CheckOutcome[]> {
  const runId = Math.random().toString(36).slice(2, 8);
  const out: CheckOutcome[] = [];
  for (const check of conformanceChecks) {
    if (only !== undefined && !only.includes(check.name)) continue;
    const t0 = Date.now();
    try {
      await runCheck(target, check, runId);
      out.push({ name: check.name, ok: true, ms: Date.now() - t0 });
    } catch (e) {
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      out.push({ name: check.name, ok: false, error, ms: Date.now() - t0 });
    }
  }
  return out;
}
