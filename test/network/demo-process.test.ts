// `npm start`'s process — `node dist/node/cli/main.js demo` — as a person meets it: it prints its
// ready line, answers the page with a Content-Security-Policy, says why the hub's channel to a
// peer failed (here: a node that does not accept zero-conf from the hub), stops with exit 0 and
// its stopped line after Ctrl-C (SIGINT), and exits 1 with one clear line when the port is taken
// or the page is not built. Runs the built command (rebuild dist/ after changing src/).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLightningNode, type LightningNodeClient } from '../../src/node.js';
import { parseDemoArgs } from '../../src/cli/demo-args.js';
import { REPO_ROOT } from '../support/shared.js';
import { CLI_MAIN, assertBuilt } from './support/daemon.js';
import { until } from '../support/until.js';

const READY_MS = 60_000;

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves once the process exited and its output was drained. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
let webDir = '';

function startDemo(args: string[]): Run {
  const child = spawn(process.execPath, [CLI_MAIN, 'demo', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (b: Buffer) => stdout.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, stdout, stderr, closed };
}

function lines(chunks: string[]): string[] {
  return chunks.join('').split('\n').filter((l) => l !== '');
}

function jsonLines(chunks: string[]): Record<string, unknown>[] {
  return lines(chunks).flatMap((l) => {
    try {
      const v: unknown = JSON.parse(l);
      return typeof v === 'object' && v !== null ? [v as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

async function ready(run: Run): Promise<{ url: string; hub: { id: string; tcp: string } }> {
  const end = Date.now() + READY_MS;
  for (;;) {
    const line = jsonLines(run.stdout).find((l) => l.event === 'demo-ready');
    if (line !== undefined) return line as unknown as { url: string; hub: { id: string; tcp: string } };
    if (run.child.exitCode !== null) throw new Error(`the demo exited (${run.child.exitCode}) before it was ready:\n${run.stderr.join('')}`);
    if (Date.now() > end) throw new Error(`no demo-ready line within ${READY_MS} ms:\n${run.stderr.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** No JavaScript stack frames in what a person reads. */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

beforeAll(() => {
  assertBuilt();
  // The process is tested, not the page: a one-line page keeps the test off `vite build`.
  webDir = mkdtempSync(join(tmpdir(), 'lw-demo-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>demo page</title><p>the demo page</p>\n');
});

afterAll(() => {
  for (const c of running) c.kill('SIGKILL');
  if (webDir !== '') rmSync(webDir, { recursive: true, force: true });
});

describe('the demo command line', () => {
  it('knows exactly the flags its usage lists', () => {
    expect(parseDemoArgs(['--port', '0', '--host', '::1', '--web-dir', '/tmp/x'])).toEqual({ port: 0, host: '::1', webDir: '/tmp/x' });
    expect(parseDemoArgs(['--port=9000']).port).toBe(9000);
    expect(() => parseDemoArgs(['--no-open'])).toThrow('unknown option --no-open');
    expect(() => parseDemoArgs(['--port', '65536'])).toThrow('--port must be 0..65535');
    expect(() => parseDemoArgs(['--port'])).toThrow('--port needs a value');
  });

  it('--help lists every flag; an unknown flag is a usage error (exit 2)', async () => {
    const help = startDemo(['--help']);
    expect((await help.closed).code).toBe(0);
    for (const flag of ['--port', '--host', '--web-dir', '--help']) expect(help.stdout.join('')).toContain(flag);
    expect(help.stdout.join('')).not.toContain('--no-open');

    const bad = startDemo(['--no-open']);
    expect((await bad.closed).code).toBe(2);
    expect(bad.stderr.join('')).toContain('lightning-worker demo: unknown option --no-open');
    expectNoStack(bad.stderr.join(''));
  });
});

describe('npm start (lightning-worker demo)', () => {
  let peer: LightningNodeClient | undefined;
  afterAll(async () => {
    await peer?.close();
  });

  it('serves the page with a CSP, reports a failed channel to a peer, and stops with exit 0 on SIGINT', async () => {
    const run = startDemo(['--port', '0', '--web-dir', webDir]);
    const { url, hub } = await ready(run);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('the demo page');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const config = (await (await fetch(new URL('/demo-config.json', url))).json()) as { hub: { id: string } };
    expect(config.hub.id).toBe(hub.id);
    expect((await fetch(new URL('/api/hub/channel?peer=nope', url))).status).toBe(400);
    expect((await fetch(new URL('/../../etc/passwd', url))).status).toBe(404);

    // A peer that does not trust the hub's zero-conf channel: the hub's open fails, and the page
    // can read why instead of waiting.
    peer = await createLightningNode({ alias: 'untrusting' });
    const status = new URL(`/api/hub/channel?peer=${peer.id}`, url);
    expect(await (await fetch(status)).json()).toEqual({ peer: peer.id, state: 'none' });
    await peer.connect(`${hub.id}@${hub.tcp}`);
    const failed = await until('the hub reports the failed open', async () => {
      const s = (await (await fetch(status)).json()) as { state: string; error?: string; hint?: string };
      return s.state === 'failed' ? s : undefined;
    }, 30_000, 100);
    expect(failed.error).toMatch(/zero-?conf|untrusted/i);
    expect(failed.hint).toContain('zero-conf');
    await until('the warning on stderr', async () => (run.stderr.join('').includes(`warning: the hub could not open a channel to ${peer!.id}`) ? true : undefined), 30_000, 100);
    expect(run.stderr.join('')).toContain('hint: ');
    await peer.close();
    peer = undefined;

    run.child.kill('SIGINT');
    const exit = await run.closed;
    expect(exit, run.stderr.join('')).toEqual({ code: 0, signal: null });
    expect(lines(run.stdout).at(-1)).toBe('{"event":"stopped"}');
    expectNoStack(run.stderr.join(''));
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = startDemo(['--port', String(port), '--web-dir', webDir]);
      const exit = await run.closed;
      const err = run.stderr.join('');
      expect(exit, err).toEqual({ code: 1, signal: null });
      expect(err).toContain(`lightning-worker demo: port ${port} is in use`);
      expect(err).toContain('try `npm start -- --port 0`');
      expectNoStack(err);
      expect(jsonLines(run.stdout).map((l) => l.event)).not.toContain('demo-ready');
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('exits 1 and says how to build the page when --web-dir has none', async () => {
    const empty = join(webDir, 'empty');
    mkdirSync(empty, { recursive: true });
    const run = startDemo(['--port', '0', '--web-dir', empty]);
    const exit = await run.closed;
    const err = run.stderr.join('');
    expect(exit, err).toEqual({ code: 1, signal: null });
    expect(err).toContain('the demo page is not built');
    expect(err).toContain('vite build --mode demo');
    expectNoStack(err);
  });
});
