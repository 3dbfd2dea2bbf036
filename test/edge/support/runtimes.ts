// The real edge runtimes, from the npm packages `deno` and `workerd` (devDependencies). Their
// binaries ship inside the platform packages (@deno/<platform>, @cloudflare/workerd-<platform>),
// so nothing is downloaded and neither package's postinstall script has to have run. A missing
// binary is an error, never a skip: these tests are the only evidence that the edge glue works.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { beforeEach } from 'vitest';
import { REPO_ROOT } from '../../support/shared.js';

const require = createRequire(join(REPO_ROOT, 'package.json'));

function platformBinary(what: string, pkg: string, relative: string): string {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${what} is missing: ${pkg} is not installed (run \`npm ci\`; it comes with the ${what === 'deno' ? 'deno' : 'workerd'} devDependency)`);
  }
  const bin = join(dir, relative);
  if (!existsSync(bin)) throw new Error(`${what} is missing: ${bin} does not exist`);
  return bin;
}

function platformKey(): string {
  return `${process.platform}-${process.arch}`;
}

/** The Deno executable shipped in @deno/<os>-<arch>[-glibc]. */
export function denoBinary(): string {
  const pkg = { 'linux-x64': '@deno/linux-x64-glibc', 'linux-arm64': '@deno/linux-arm64-glibc', 'darwin-x64': '@deno/darwin-x64', 'darwin-arm64': '@deno/darwin-arm64' }[platformKey()];
  if (!pkg) throw new Error(`no Deno package for ${platformKey()}`);
  return platformBinary('deno', pkg, 'deno');
}

/** The workerd executable shipped in @cloudflare/workerd-<os>-<arch>. */
export function workerdBinary(): string {
  const pkg = { 'linux-x64': '@cloudflare/workerd-linux-64', 'linux-arm64': '@cloudflare/workerd-linux-arm64', 'darwin-x64': '@cloudflare/workerd-darwin-64', 'darwin-arm64': '@cloudflare/workerd-darwin-arm64' }[platformKey()];
  if (!pkg) throw new Error(`no workerd package for ${platformKey()}`);
  return platformBinary('workerd', pkg, 'bin/workerd');
}

/** A runtime process whose stdout lines and stderr are kept for assertions and failure messages. */
export class RuntimeProcess {
  readonly lines: string[] = [];
  private stderr = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      this.lines.push(l);
      this.wake();
    });
    child.stderr!.on('data', (d: Buffer) => {
      // The tail is enough to explain a failure; a chatty runtime must not grow memory forever.
      this.stderr = (this.stderr + d.toString('utf8')).slice(-20_000);
    });
    this.exited = new Promise((r) =>
      child.once('exit', (code, signal) => {
        running.delete(this);
        r({ code, signal });
        this.wake();
      }),
    );
  }

  /** Spawns `bin args` from the repository root; `stdio` beyond the first three is passed on. */
  static start(name: string, bin: string, args: string[], opts: { env?: NodeJS.ProcessEnv; extraStdio?: StdioOptions[] } = {}): RuntimeProcess {
    const stdio = ['pipe', 'pipe', 'pipe', ...(opts.extraStdio ?? [])] as StdioOptions;
    const child = spawn(bin, args, { cwd: REPO_ROOT, env: opts.env ?? process.env, stdio });
    const p = new RuntimeProcess(name, child);
    running.add(p);
    everyStarted.add(p);
    return p;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Extra pipe `fd` (3, 4, …) of the child as a stream. */
  pipe(fd: number): Readable {
    const s = this.child.stdio[fd];
    if (!s || !('on' in s)) throw new Error(`${this.name}: fd ${fd} is not a pipe`);
    return s as Readable;
  }

  /** Writes one line on the child's stdin. */
  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** The first stdout line (already seen or later) that `pick` maps to a value. */
  async line<T>(what: string, pick: (line: string) => T | undefined, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (let from = 0; ; ) {
      for (; from < this.lines.length; from++) {
        const v = pick(this.lines[from]!);
        if (v !== undefined) return v;
      }
      if (!this.alive) throw new Error(`${this.name} exited before ${what}\n${this.diagnostics()}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.diagnostics()}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** The stdout lines and the stderr tail, for failure messages. */
  diagnostics(): string {
    return `--- ${this.name} stdout ---\n${this.lines.slice(-30).join('\n')}\n--- ${this.name} stderr (tail) ---\n${this.stderr.slice(-4000)}`;
  }

  /** SIGTERM, then SIGKILL if it has not gone after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(t);
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    ws.forEach((w) => w());
  }
}

const running = new Set<RuntimeProcess>();
/** Also the ones that exited: their output explains a failure best. */
const everyStarted = new Set<RuntimeProcess>();
process.once('exit', () => {
  for (const p of running) p.child.kill('SIGKILL');
});

/** Stops every runtime process still running (test cleanup, also after a failure). */
export async function stopAllRuntimes(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Parses a line as JSON and returns it when `test` accepts it. */
export function jsonLine<T>(test: (v: Record<string, unknown>) => boolean): (line: string) => T | undefined {
  return (line) => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      return undefined;
    }
    return typeof v === 'object' && v !== null && test(v as Record<string, unknown>) ? (v as T) : undefined;
  };
}

/**
 * Environment for `deno`: a private DENO_DIR (its module cache) in the test's temp dir, no
 * colours, no update check; plus `extra`. Nothing of the test process's own environment is
 * passed on, so the proxy reads exactly the LW_PROXY_* it is given.
 */
export function denoEnv(denoDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? denoDir, DENO_DIR: denoDir, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...extra };
}

/**
 * Prints every runtime's stdout and stderr tail when a test fails: a relay failure seen from the
 * client (a close code, a timeout) is explained by what the runtime said.
 */
export function printRuntimesOnFailure(): void {
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      for (const p of everyStarted) process.stderr.write(`${p.diagnostics()}\n`);
    });
  });
}
