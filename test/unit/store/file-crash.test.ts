// Crash safety of the file store: a child process commits in a loop and is SIGKILLed at random
// moments (including during journal compaction). After each kill, reopening must show exactly a
// prefix of the commits: every acknowledged commit present, no partial commit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileStore } from '../../../src/store/file.js';
import { CRASH_SCHEMA } from './support/crash-schema.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'lw-crash-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Runs the writer until `killAfterMs` past its first acknowledgement, SIGKILLs it, returns the highest ack. */
function runAndKill(dir: string, killAfterMs: number, compactionMinBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', join(here, 'support/register-ts.mjs'), join(here, 'support/crash-writer.ts'), dir, String(compactionMinBytes)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let acked = -1;
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) acked = Math.max(acked, Number(l));
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // 'exit' after the kill: only then is the pid reaped, so the stale lock is visibly stale.
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited on its own (code ${code}): ${err}`));
    });
  });
}

describe('file store crash safety', () => {
  it('after SIGKILL at random moments the store holds exactly a prefix of the commits', { timeout: 180_000 }, async () => {
    const dir = join(base, 'db');
    let lastSeen = -1;
    let truncations = 0;
    for (let round = 0; round < 10; round++) {
      const acked = await runAndKill(dir, 50 + Math.floor(Math.random() * 400), round % 2 === 0 ? 64 << 10 : 1 << 30);
      const s = await openFileStore({ name: dir, schema: CRASH_SCHEMA });
      if (s.stats().truncatedBytes > 0) truncations++;
      const counter = await s.get('meta', 'counter');
      const k = counter?.n as number;
      // Every acknowledged commit is there; at most the one in flight at the kill is extra.
      expect(k).toBeGreaterThanOrEqual(acked);
      expect(k).toBeGreaterThanOrEqual(lastSeen);
      const log = await s.query('log', { range: { upper: 'mirror-' } });
      expect(log.map((r) => r.id)).toEqual(Array.from({ length: k + 1 }, (_, i) => i));
      for (const r of log) {
        expect(r.amount).toBe(BigInt(r.id as number) * 1000n);
        expect(r.pad).toEqual(new Uint8Array(64).fill((r.id as number) & 255));
      }
      expect((counter?.blob as Uint8Array).every((b) => b === (k & 255))).toBe(true);
      const mirrors = (await s.query('log', { index: 'by_of' })).map((r) => r.of);
      expect(mirrors).toEqual(Array.from({ length: Math.min(5, k + 1) }, (_, i) => k - Math.min(5, k + 1) + 1 + i));
      await s.close();
      lastSeen = k;
    }
    expect(lastSeen).toBeGreaterThan(10);
    // Informational: how often the kill left a torn tail that had to be cut.
    console.log(`crash test: ${lastSeen + 1} commits over 10 kills, ${truncations} torn tails truncated`);
  });
});
