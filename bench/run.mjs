#!/usr/bin/env node
// Benchmark runner: `npm run bench` (compiles src to dist/node first), or
// `node bench/run.mjs --only crypto,onion`. Runs each bench/suites/<name>.mjs, whose default
// export takes a context and returns its figures:
//   ctx.dist                     absolute path of dist/node (suites import compiled code from it)
//   ctx.runInChromiumWorker(n,a) runs test/browser/workers/<n>.ts in a Chromium module Worker
//   ctx.log(msg)                 progress on stderr
// Prints one JSON document { machine, suites: { name: figures } } on stdout and writes it to
// bench/results/latest.json. A suite that throws is reported as { error } and makes the exit
// status 1, as does a suite whose result holds an { error } part; the others still run.
// Benchmarks measure; nothing here asserts timings.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ChromiumHost } from './lib/chromium.mjs';
import { machineInfo } from './lib/machine.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

function parseArgs(argv) {
  let only;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') only = argv[++i];
    else if (a.startsWith('--only=')) only = a.slice('--only='.length);
    else throw new Error(`unknown argument ${a} (usage: node bench/run.mjs [--only a,b])`);
  }
  return { only: only?.split(',').map((s) => s.trim()).filter(Boolean) };
}

function suiteNames(only) {
  const all = readdirSync(join(HERE, 'suites'), { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.mjs'))
    .map((d) => d.name.slice(0, -'.mjs'.length))
    .sort();
  if (!only) return all;
  const unknown = only.filter((n) => !all.includes(n));
  if (unknown.length) throw new Error(`unknown suite(s): ${unknown.join(', ')} (have: ${all.join(', ')})`);
  return only;
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

/** True when some object inside `v` has an `error` member (a part of a suite that failed). */
function containsError(v) {
  if (v === null || typeof v !== 'object') return false;
  if (!Array.isArray(v) && 'error' in v) return true;
  return Object.values(v).some(containsError);
}

async function main() {
  const { only } = parseArgs(process.argv.slice(2));
  const names = suiteNames(only);
  const chromium = new ChromiumHost(ROOT, log);
  const ctx = {
    dist: join(ROOT, 'dist/node'),
    runInChromiumWorker: (name, args) => chromium.runInWorker(name, args),
    log,
  };
  const suites = {};
  let failed = false;
  try {
    for (const name of names) {
      log(`suite ${name}`);
      const t0 = performance.now();
      try {
        const mod = await import(pathToFileURL(join(HERE, 'suites', `${name}.mjs`)).href);
        suites[name] = await mod.default(ctx);
        // Suites keep the figures of the parts that worked and put { error } where one failed.
        if (containsError(suites[name])) {
          failed = true;
          log(`suite ${name}: a part failed (see its "error" members)`);
        }
      } catch (e) {
        failed = true;
        suites[name] = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
        log(`suite ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      log(`suite ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const report = { machine: machineInfo(await chromium.version()), suites };
    const json = JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
    mkdirSync(join(HERE, 'results'), { recursive: true });
    writeFileSync(join(HERE, 'results', 'latest.json'), json + '\n');
    process.stdout.write(json + '\n');
  } finally {
    await chromium.close();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
