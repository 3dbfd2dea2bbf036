// The WASM crypto loader on workerd: a Worker whose entry imports wasm/lightning.wasm (workerd
// gives a WebAssembly.Module for it, as Cloudflare does) and hands it to initCrypto, then
// computes BOLT 8 act one of the spec's initiator vector inside the runtime.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempRoot, tempDir } from '../network/support/daemon.js';
import { loadVector, REPO_ROOT } from '../support/shared.js';
import { printRuntimesOnFailure, stopAllRuntimes, workerdBinary } from './support/runtimes.js';
import { bundleWorker, startWorkerd, type Workerd } from './support/workerd.js';

interface InitiatorVector {
  name: string;
  ls_priv: string;
  ls_pub: string;
  rs_pub: string;
  e_priv: string;
  e_pub: string;
  acts: { act_one: { trace: { op: string; value?: string }[]; output: string } };
}

let workerd: Workerd;

printRuntimesOnFailure();

beforeAll(async () => {
  workerdBinary();
  const dir = tempDir('workerd-crypto');
  // The entry modules a Worker author writes; the imports of the module file are resolved by the
  // runtime: `.wasm` as a WebAssembly.Module, the same file as `lightning.bin` as plain bytes.
  const worker = JSON.stringify(join(REPO_ROOT, 'test/edge/workerd/crypto-worker.ts'));
  const scripts = new Map<string, string[]>();
  for (const [name, source] of [['module', './lightning.wasm'], ['bytes', './lightning.bin']] as const) {
    const entry = join(dir, `entry-${name}.js`);
    writeFileSync(entry, `import wasm from ${JSON.stringify(source)};\nimport { cryptoWorker } from ${worker};\nexport default cryptoWorker(wasm);\n`);
    scripts.set(name, await bundleWorker(entry, join(dir, name)));
  }
  for (const name of scripts.keys()) copyFileSync(join(REPO_ROOT, 'wasm/lightning.wasm'), join(dir, name, 'lightning.wasm'));
  workerd = await startWorkerd(dir, [
    { name: 'module', dir: 'module', script: scripts.get('module')!, wasmModules: ['lightning.wasm'] },
    { name: 'bytes', dir: 'bytes', script: scripts.get('bytes')!, dataModules: { 'lightning.bin': 'lightning.wasm' } },
  ]);
});

afterAll(async () => {
  await stopAllRuntimes();
  removeTempRoot();
});

describe('the WASM crypto module on workerd', () => {
  it('loads from the WebAssembly.Module and reproduces BOLT 8 act one of the spec vector', async () => {
    const v = loadVector<{ initiator_tests: InitiatorVector[] }>('bolt08-transport.json').initiator_tests[0]!;
    const ss = v.acts.act_one.trace.find((t) => t.op === 'ss')!.value;
    const res = await fetch(`http://127.0.0.1:${workerd.ports.get('module')}/`, {
      method: 'POST',
      body: JSON.stringify({ ls_priv: v.ls_priv, rs_pub: v.rs_pub, e_priv: v.e_priv }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ loaded: true, backend: 'wasm', ls_pub: v.ls_pub, e_pub: v.e_pub, ss, act_one: v.acts.act_one.output });
  });

  it('refuses the same module as bytes with a typed error, as Cloudflare does (no code generation at run time)', async () => {
    const res = await fetch(`http://127.0.0.1:${workerd.ports.get('bytes')}/`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { loaded: boolean; error: string };
    expect(r.loaded).toBe(false);
    expect(r.error).toMatch(/^WASM_LOAD: cannot load the crypto module: .*disallowed by embedder/);
  });
});
