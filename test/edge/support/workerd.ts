// Cloudflare's runtime, locally: a Worker bundled from src/ with the project's own toolchain
// (Vite's library build, Rolldown underneath), a workerd config in Cap'n Proto text written next
// to it, and `workerd serve`, which reports each socket's port on a control fd.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'vite';
import { REPO_ROOT } from '../../support/shared.js';
import { RuntimeProcess, workerdBinary } from './runtimes.js';

/**
 * Bundles `entry` (absolute, or relative to the repository) into `outDir/<fileName>` as an ES
 * module, plus a chunk per lazily imported part (lightning-worker/node's Node-only pieces, which
 * a Worker never loads: Vite stubs their node:* imports). `cloudflare:*` imports stay imports
 * (the runtime provides them), and so do `*.wasm` and `*.bin` ones, which the config embeds as
 * Wasm and data modules. Returns the JavaScript files written, the entry first.
 */
export async function bundleWorker(entry: string, outDir: string, fileName = 'worker.js'): Promise<string[]> {
  const result = await build({
    configFile: false,
    root: REPO_ROOT,
    // The "externalized for browser compatibility" notes about those node:* imports are expected.
    logLevel: 'error',
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: false,
      write: true,
      minify: false,
      target: 'es2022',
      lib: { entry: resolve(REPO_ROOT, entry), formats: ['es'], fileName: () => fileName },
      rolldownOptions: { external: [/^cloudflare:/, /\.wasm$/, /\.bin$/] },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunks = outputs.filter((o) => o.type === 'chunk').map((o) => o.fileName);
  return [fileName, ...chunks.filter((f) => f !== fileName)];
}

export interface WorkerSpec {
  /** Service and socket name. */
  name: string;
  /** Where its files are, relative to the config's directory (default: there). */
  dir?: string;
  /** Module files: the main module first, then the chunks it imports. */
  script: string | string[];
  /** Extra modules from files in the config's directory, imported as WebAssembly.Module. */
  wasmModules?: string[];
  /** Modules imported as ArrayBuffer: module name → file in the config's directory. */
  dataModules?: Record<string, string>;
  /** Text bindings (the Worker's `vars`). */
  vars?: Record<string, string>;
  /** Service that global fetch() and connect() go through. */
  globalOutbound?: string;
  compatibilityFlags?: string[];
}

/**
 * Before the date web_socket_auto_reply_to_close became the default: a Worker has to answer the
 * client's Close frame itself, which the relay must do (and does).
 */
export const COMPATIBILITY_DATE = '2025-09-01';

const capnpText = (s: string): string => JSON.stringify(s); // Cap'n Proto text literals use the same escapes

/**
 * A workerd config: each Worker on its own socket at 127.0.0.1:0, plus a network service named
 * `loopback` that may reach 127.0.0.0/8 only (workerd's default "internet" service allows public
 * addresses only, so a Worker could not dial a daemon on loopback through it).
 */
export function workerdConfig(workers: WorkerSpec[]): string {
  const services = workers.map((w) => `    (name = ${capnpText(w.name)}, worker = .${ident(w.name)}),`);
  const sockets = workers.map((w) => `    (name = ${capnpText(w.name)}, address = "127.0.0.1:0", http = (), service = ${capnpText(w.name)}),`);
  const defs = workers.map((w) => {
    // Module names are what imports resolve against; `embed` paths are relative to the config.
    const file = (f: string): string => capnpText(w.dir ? `${w.dir}/${f}` : f);
    const modules = [
      ...[w.script].flat().map((m) => `(name = ${capnpText(m)}, esModule = embed ${file(m)})`),
      ...(w.wasmModules ?? []).map((m) => `(name = ${capnpText(m)}, wasm = embed ${file(m)})`),
      ...Object.entries(w.dataModules ?? {}).map(([m, f]) => `(name = ${capnpText(m)}, data = embed ${file(f)})`),
    ];
    const bindings = Object.entries(w.vars ?? {}).map(([k, v]) => `(name = ${capnpText(k)}, text = ${capnpText(v)})`);
    return [
      `const ${ident(w.name)} :Workerd.Worker = (`,
      `  modules = [ ${modules.join(', ')} ],`,
      `  compatibilityDate = ${capnpText(COMPATIBILITY_DATE)},`,
      ...(w.compatibilityFlags ? [`  compatibilityFlags = [ ${w.compatibilityFlags.map(capnpText).join(', ')} ],`] : []),
      `  bindings = [ ${bindings.join(', ')} ],`,
      ...(w.globalOutbound ? [`  globalOutbound = ${capnpText(w.globalOutbound)},`] : []),
      `);`,
    ].join('\n');
  });
  return [
    'using Workerd = import "/workerd/workerd.capnp";',
    '',
    'const config :Workerd.Config = (',
    '  services = [',
    ...services,
    '    (name = "loopback", network = (allow = ["127.0.0.0/8"])),',
    '  ],',
    '  sockets = [',
    ...sockets,
    '  ],',
    ');',
    '',
    ...defs,
    '',
  ].join('\n');
}

function ident(name: string): string {
  return `w${name.replace(/[^A-Za-z0-9]/g, '')}`;
}

export interface Workerd {
  proc: RuntimeProcess;
  /** Socket name → port. */
  ports: Map<string, number>;
}

/** Writes the config into `dir` and serves it; resolves once every socket reported its port. */
export async function startWorkerd(dir: string, workers: WorkerSpec[], timeoutMs = 20_000): Promise<Workerd> {
  const bin = workerdBinary();
  const config = join(dir, 'config.capnp');
  writeFileSync(config, workerdConfig(workers));
  // fd 3 is the control pipe: one JSON line per socket, {"event":"listen","socket":…,"port":…}.
  const proc = RuntimeProcess.start('workerd', bin, ['serve', config, '--control-fd=3', '--verbose'], { extraStdio: ['pipe'] });
  const ports = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workerd: sockets not listening within ${timeoutMs} ms\n${proc.diagnostics()}`)), timeoutMs);
    void proc.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`workerd exited before listening\n${proc.diagnostics()}`));
    });
    createInterface({ input: proc.pipe(3) }).on('line', (line) => {
      const e = JSON.parse(line) as { event: string; socket: string; port: number };
      if (e.event === 'listen') ports.set(e.socket, e.port);
      if (workers.every((w) => ports.has(w.name))) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { proc, ports };
}
