// Runs one of ../shared/interop's Electrum scripts with JSON on stdin; returns its stdout lines
// parsed as JSON and its exit status. Shared by the onion and invoice interop tests.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { INTEROP_DIR, PYTHON } from '../support/shared.js';

export interface ScriptResult {
  status: number;
  lines: Record<string, unknown>[];
  stderr: string;
}

export function runInterop(script: string, args: string[], input: unknown): ScriptResult {
  const r = spawnSync(PYTHON, [resolve(INTEROP_DIR, script), ...args], {
    input: typeof input === 'string' ? input : JSON.stringify(input),
    encoding: 'utf8',
    cwd: INTEROP_DIR,
    timeout: 60_000,
  });
  const lines = (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: r.status ?? -1, lines, stderr: r.stderr ?? '' };
}

/** Runs inline Python (Electrum importable) with JSON on stdin; returns parsed stdout JSON. */
export function runPython(code: string, input: unknown): unknown {
  const r = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}
