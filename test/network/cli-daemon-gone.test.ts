// `lightning-worker cli` when the daemon goes away before answering (killed, crashed, stopped
// mid-call): the call must fail loudly, as lightning-cli does, not exit 0 with no output. The
// "daemon" here is a unix socket that reads the request and hangs up.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcCall } from '../../src/cli/cli-client.js';
import { CLI_MAIN, assertBuilt } from './support/daemon.js';
import { REPO_ROOT } from '../support/shared.js';

let dir: string;
let server: Server;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lw-cli-gone-'));
  server = createServer((s) => s.once('data', () => s.destroy()));
  await new Promise<void>((r) => server.listen(join(dir, 'lightning-rpc'), r));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the daemon hangs up before replying', () => {
  it('rpcCall rejects', async () => {
    const outcome = await Promise.race([
      rpcCall(join(dir, 'lightning-rpc'), '{"jsonrpc":"2.0","id":1,"method":"getinfo","params":{}}').then(
        () => 'resolved',
        (e: unknown) => `rejected: ${String(e)}`,
      ),
      new Promise<string>((r) => setTimeout(() => r('still waiting after 3 s'), 3000)),
    ]);
    expect(outcome).toMatch(/^rejected: .*closed/);
  });

  it('the cli command exits non-zero and says why', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [CLI_MAIN, 'cli', '--data-dir', dir, 'getinfo'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).not.toBe(0);
    expect(out).toMatch(/closed/);
  });
});
