// Our daemon as a child process: `node dist/node/cli/main.js node …` (the real command line) with
// a data dir under os.tmpdir(). Waits for the one-line ready event, talks JSON-RPC over the unix
// socket, stops it with the `stop` command or kills it, and starts it again on the same data dir
// (optionally with LW_CRASH_AT, which SIGKILLs the process at a named step of the commitment
// dance). Every process started here is registered, so a test's cleanup (or the test process
// exiting) kills whatever is still running, also when the test failed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../support/shared.js';
import { RpcClient, type JsonObject } from './rpc-client.js';

export const CLI_MAIN = resolve(REPO_ROOT, 'dist/node/cli/main.js');

export interface DaemonOptions {
  /** For logs and data dir names. */
  name: string;
  /** Defaults to a fresh directory under the run's temp root. */
  dataDir?: string;
  /** `--chain static:HEIGHT` (default 800000, the static chain's own default). */
  height?: number;
  zeroconfFrom?: string[];
  feeBase?: number;
  feePpm?: number;
  cltvDelta?: number;
  /** --max-concurrent-htlcs: HTLCs this node accepts in flight per channel. */
  maxConcurrentHtlcs?: number;
  /** LW_CRASH_AT for this process only. */
  crashAt?: string;
  /** Also listen on WebSocket. */
  ws?: boolean;
}

export interface ReadyLine {
  event: 'ready';
  id: string;
  rpc: string;
  bindings: { type: string; address: string; port: number }[];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every child still running, whatever state its start reached. */
const children = new Set<ChildProcess>();
let tempRoot: string | undefined;

process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** One temp root per test process; removed by removeTempRoot() unless LW_KEEP_TMP is set. */
export function tempDir(prefix: string): string {
  tempRoot ??= mkdtempSync(join(tmpdir(), 'lw-net-'));
  return mkdtempSync(join(tempRoot, `${prefix}-`));
}

export function removeTempRoot(): void {
  if (tempRoot && !process.env.LW_KEEP_TMP) rmSync(tempRoot, { recursive: true, force: true });
  tempRoot = undefined;
}

let warnedStale = false;

/**
 * The daemons run dist/, not src/: refuses a missing build and warns about one older than src/
 * (a warning only: in a shared working tree src/ may change while `npm test` runs).
 */
export function assertBuilt(): void {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run \`npm run build\` first`);
  const built = statSync(CLI_MAIN).mtimeMs;
  const newest = newestMtime(resolve(REPO_ROOT, 'src'));
  if (newest > built + 1000 && !warnedStale) {
    warnedStale = true;
    process.stderr.write(`warning: dist/node is older than src/ (these tests run the built daemon): run \`npm run build\`\n`);
  }
}

function newestMtime(dir: string): number {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) m = Math.max(m, newestMtime(p));
    else if (e.name.endsWith('.ts')) m = Math.max(m, statSync(p).mtimeMs);
  }
  return m;
}

export class Daemon {
  readonly rpc: RpcClient;
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;

  private constructor(
    readonly opts: DaemonOptions & { dataDir: string },
    readonly child: ChildProcess,
    readonly ready: ReadyLine,
  ) {
    this.rpc = new RpcClient(ready.rpc);
    this.exited = new Promise<Exit>((r) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        this.exit = { code, signal };
        this.rpc.close();
        r(this.exit);
      };
      if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode, child.signalCode);
      else child.once('exit', done);
    });
  }

  get id(): string {
    return this.ready.id;
  }
  get name(): string {
    return this.opts.name;
  }
  get dataDir(): string {
    return this.opts.dataDir;
  }
  /** The TCP port peers dial. */
  get port(): number {
    const b = this.ready.bindings.find((x) => x.type === 'ipv4');
    if (!b) throw new Error(`${this.name} has no TCP binding`);
    return b.port;
  }
  get address(): string {
    return `${this.id}@127.0.0.1:${this.port}`;
  }
  get alive(): boolean {
    return this.exit === undefined;
  }

  static async start(opts: DaemonOptions): Promise<Daemon> {
    const dataDir = opts.dataDir ?? join(tempDir(opts.name), 'node');
    mkdirSync(dataDir, { recursive: true });
    const args = [CLI_MAIN, 'node', '--data-dir', dataDir, '--network', 'regtest', '--bind', '127.0.0.1:0'];
    if (opts.ws) args.push('--bind', 'ws:127.0.0.1:0');
    args.push('--chain', `static:${opts.height ?? 800_000}`);
    for (const z of opts.zeroconfFrom ?? []) args.push('--zeroconf-from', z);
    if (opts.feeBase !== undefined) args.push('--fee-base', String(opts.feeBase));
    if (opts.feePpm !== undefined) args.push('--fee-ppm', String(opts.feePpm));
    if (opts.cltvDelta !== undefined) args.push('--cltv-delta', String(opts.cltvDelta));
    if (opts.maxConcurrentHtlcs !== undefined) args.push('--max-concurrent-htlcs', String(opts.maxConcurrentHtlcs));
    args.push('--alias', opts.name, '--log-level', 'debug');
    const env = { ...process.env };
    delete env.LW_CRASH_AT;
    if (opts.crashAt) env.LW_CRASH_AT = opts.crashAt;
    // Logs go to a file in the data dir (appended across restarts): no pipe can fill up.
    const logFd = openSync(join(dataDir, 'daemon.log'), 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', logFd] });
    } finally {
      closeSync(logFd);
    }
    children.add(child);
    child.once('exit', () => children.delete(child));
    try {
      const ready = await readyLine(child, opts.name, dataDir);
      return new Daemon({ ...opts, dataDir }, child, ready);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
  }

  call<T = JsonObject>(method: string, params: Record<string, unknown> | unknown[] = {}): Promise<T> {
    return this.rpc.call<T>(method, params);
  }

  /** `stop` over RPC, then waits for a clean exit. */
  async stop(): Promise<Exit> {
    if (!this.alive) return this.exit!;
    await this.call('stop');
    const e = await this.exited;
    if (e.code !== 0) throw new Error(`${this.name} exited with ${JSON.stringify(e)} after stop\n${this.logTail()}`);
    return e;
  }

  kill(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** A new process on the same data dir (same node id); `crashAt` is not inherited unless given. */
  async restart(over: Partial<DaemonOptions> = {}): Promise<Daemon> {
    if (this.alive) throw new Error(`${this.name} is still running`);
    const { crashAt: _old, ...rest } = this.opts;
    return Daemon.start({ ...rest, ...over });
  }

  /** The last lines of the daemon's log, for failure messages. */
  logTail(lines = 40): string {
    try {
      const all = readFileSync(join(this.dataDir, 'daemon.log'), 'utf8').trimEnd().split('\n');
      return `--- ${this.name} log (last ${lines} lines) ---\n${all.slice(-lines).join('\n')}`;
    } catch {
      return `--- ${this.name}: no log ---`;
    }
  }
}

async function readyLine(child: ChildProcess, name: string, dataDir: string): Promise<ReadyLine> {
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => {
      let log = '';
      try {
        log = readFileSync(join(dataDir, 'daemon.log'), 'utf8').slice(-4000);
      } catch {
        // no log yet
      }
      reject(new Error(`${name} exited before ready (code ${code}, signal ${signal})\n${log}`));
    }),
  );
  const first = new Promise<ReadyLine>((resolve, reject) => {
    lines.once('line', (l) => {
      try {
        const ready = JSON.parse(l) as ReadyLine;
        if (ready.event !== 'ready') reject(new Error(`${name}: unexpected first line ${l}`));
        else resolve(ready);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no ready line within 30 s`)), 30_000);
  });
  try {
    return await Promise.race([first, exited, timeout]);
  } finally {
    clearTimeout(timer);
    exited.catch(() => undefined);
  }
}

/** Kills every daemon this test process started and still running (test cleanup). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null || c.signalCode !== null) return r();
          c.once('exit', () => r());
          c.kill('SIGKILL');
        }),
    ),
  );
}
