// `lightning-worker proxy` as a process: the command is transpiled (no type check, that is tsc's
// job) into node_modules/.cache and run by Node, then stopped with a real SIGTERM.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { proxyCommand } from '../../src/cli/proxy.js';
import { CLOSE } from '../../src/proxy/close-codes.js';
import { REPO_ROOT } from '../support/shared.js';
import { actShaped, actThreeShaped, connectClient, startDummyPeer } from './proxy-support.js';

const OUT = resolve(REPO_ROOT, 'node_modules/.cache', `lw-proxy-cli-${process.pid}`);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** Transpiles the command and everything it imports from src/ (proxy/, errors, util/bytes). */
function buildCli(): string {
  const src = resolve(REPO_ROOT, 'src');
  const files = [
    'cli/proxy.ts',
    'errors.ts',
    'util/bytes.ts',
    ...readdirSync(join(src, 'proxy'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => `proxy/${f}`),
  ];
  for (const f of files) {
    const js = ts.transpileModule(readFileSync(join(src, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: f,
    }).outputText;
    const out = join(OUT, f.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
  }
  writeFileSync(join(OUT, 'package.json'), '{"type":"module"}');
  return join(OUT, 'cli/proxy.js');
}

describe('lightning-worker proxy (command)', () => {
  it('prints the listening line, relays, and stops cleanly on SIGTERM', async () => {
    const peer = await startDummyPeer('lightning');
    const entry = buildCli();
    const runner = `import(${JSON.stringify(entry)}).then((m) => m.proxyCommand(process.argv.slice(1))).then((code) => { process.exitCode = code; });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', runner, '--', '--listen', '127.0.0.1:0', '--allow', `127.0.0.1:${peer.port}`, '--allow-loopback'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const first = await lines.next();
      expect(first.done, stderr.join('')).toBe(false);
      const listening = JSON.parse(String(first.value)) as { event: string; host: string; port: number };
      expect(listening).toMatchObject({ event: 'listening', host: '127.0.0.1' });
      expect(listening.port).toBeGreaterThan(0);

      const c = await connectClient(`ws://127.0.0.1:${listening.port}/127.0.0.1:${peer.port}`);
      c.send(actShaped());
      await c.bytes(50);
      c.send(actThreeShaped());
      c.send(new Uint8Array([42]));
      expect((await c.bytes(51))[50]).toBe(42);

      child.kill('SIGTERM');
      expect(await c.closed).toEqual({ code: CLOSE.GOING_AWAY.code, reason: CLOSE.GOING_AWAY.reason });
      expect(await exited).toBe(0);
      expect(JSON.parse(String((await lines.next()).value))).toEqual({ event: 'stopped' });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await peer.close();
    }
  });

  it('in-process: stops when its abort signal fires', async () => {
    const out: string[] = [];
    const ac = new AbortController();
    const run = proxyCommand(['--listen', '127.0.0.1:0', '--target', '127.0.0.1:9'], { out: (l) => out.push(l), signal: ac.signal });
    while (out.length === 0) await new Promise((r) => setTimeout(r, 10));
    const { port } = JSON.parse(out[0]!) as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(426);
    ac.abort();
    expect(await run).toBe(0);
    expect(out[1]).toBe('{"event":"stopped"}');
  });
});
