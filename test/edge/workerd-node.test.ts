// lightning-worker/node inside a Cloudflare Worker (workerd): each request runs createLightningNode
// (test/edge/workerd/node-worker.ts) with the memory store and the WASM module the runtime gives
// for lightning.wasm, connects to one of our daemons over WebSocket (an outbound `new WebSocket`
// through the Worker's loopback network service), and holds the connection until the daemon
// drops it. A Worker's I/O belongs to the request that opened it, so the node lives exactly as
// long as the request.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, Daemon, killAll, removeTempRoot, tempDir } from '../network/support/daemon.js';
import { until } from '../network/support/lightning.js';
import { REPO_ROOT } from '../support/shared.js';
import { printRuntimesOnFailure, stopAllRuntimes, workerdBinary } from './support/runtimes.js';
import { bundleWorker, startWorkerd, type Workerd } from './support/workerd.js';

let daemon: Daemon;
let workerd: Workerd;

printRuntimesOnFailure();

beforeAll(async () => {
  assertBuilt();
  workerdBinary();
  daemon = await Daemon.start({ name: 'workerd-node-peer', ws: true });
  const dir = tempDir('workerd-node');
  const entry = join(dir, 'entry.js');
  const worker = JSON.stringify(join(REPO_ROOT, 'test/edge/workerd/node-worker.ts'));
  writeFileSync(entry, `import wasm from './lightning.wasm';\nimport { nodeWorker } from ${worker};\nexport default nodeWorker(wasm);\n`);
  const script = await bundleWorker(entry, join(dir, 'out'));
  copyFileSync(join(REPO_ROOT, 'wasm/lightning.wasm'), join(dir, 'out', 'lightning.wasm'));
  workerd = await startWorkerd(dir, [{ name: 'node', dir: 'out', script, wasmModules: ['lightning.wasm'], globalOutbound: 'loopback' }]);
});

afterAll(async () => {
  await stopAllRuntimes();
  await daemon?.stop().catch(() => daemon.kill());
  await killAll();
  removeTempRoot();
});

type Obj = Record<string, unknown>;

interface Answer {
  error?: string;
  info: Obj;
  connected: Obj;
  peers: { peers: Obj[] };
  payment?: { channel: Obj; sent: Obj; done: Obj; listed: { payments: Obj[] } };
}

function wsUrl(): string {
  const b = daemon.ready.bindings.find((x) => x.type === 'websocket');
  if (!b) throw new Error('the daemon has no WebSocket binding');
  return `ws://127.0.0.1:${b.port}`;
}

/** Starts the Worker's request; resolves with its answer. */
function runNode(body: Obj): Promise<Answer> {
  return fetch(`http://127.0.0.1:${workerd.ports.get('node')}/`, { method: 'POST', body: JSON.stringify(body) }).then(async (res) => {
    const a = (await res.json()) as Answer;
    if (res.status !== 200) throw new Error(`the Worker failed: ${a.error}`);
    return a;
  });
}

/** The Worker's node as the daemon sees it, once connected. */
function workerPeer(): Promise<{ id: string; connected: boolean }> {
  return until('daemon lists the Worker node', async () => {
    const { peers } = await daemon.call<{ peers: { id: string; connected: boolean }[] }>('listpeers', {});
    return peers.find((p) => p.connected);
  });
}

describe('createLightningNode inside a Cloudflare Worker (workerd)', () => {
  it("connects to the daemon's WebSocket port; listpeers on both sides shows the connection", async () => {
    const url = wsUrl();
    const answer = runNode({ id: daemon.id, url });
    answer.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    const peer = await workerPeer();
    await daemon.call('disconnect', { id: peer.id });

    const r = await answer;
    // The id the daemon saw is the node's own key, made by the WASM module from a fresh seed.
    expect(r.info).toMatchObject({ id: peer.id, network: 'regtest', blockheight: 800_000 });
    expect(r.connected).toMatchObject({ id: daemon.id, direction: 'out' });
    expect(r.peers.peers).toEqual([expect.objectContaining({ id: daemon.id, connected: true, netaddr: [`${url}/`] })]);
  });

  it('takes a zero-conf channel from the daemon (with a push) and pays its invoice', async () => {
    const amount = 25_000;
    const inv = await daemon.call<{ payment_hash: string; payment_secret: string; bolt11: string }>('invoice', { amount_msat: amount, label: 'from-workerd', description: 'from workerd' });
    const answer = runNode({ id: daemon.id, url: wsUrl(), pay: { ...inv, amount_msat: amount } });
    answer.catch(() => undefined);
    const peer = await workerPeer();
    const pushMsat = 100_000_000;
    await daemon.call('fundchannel', { id: peer.id, amount: 500_000, announce: false, mindepth: 0, push_msat: pushMsat });
    const paid = await until('the invoice paid', async () => {
      const { invoices } = await daemon.call<{ invoices: Obj[] }>('listinvoices', { label: 'from-workerd' });
      return invoices[0]?.status === 'paid' ? invoices[0] : undefined;
    });
    await daemon.call('disconnect', { id: peer.id, force: true });

    const r = await answer;
    const p = r.payment!;
    expect(BigInt(p.channel.to_us_msat as string)).toBe(BigInt(pushMsat));
    expect(p.sent).toMatchObject({ status: 'pending', payment_hash: inv.payment_hash, destination: daemon.id });
    expect(p.done).toMatchObject({ status: 'complete', payment_hash: inv.payment_hash, amount_msat: String(amount) });
    expect(p.done.payment_preimage).toBe(paid.payment_preimage);
    expect(p.listed.payments).toEqual([expect.objectContaining({ status: 'complete', payment_preimage: paid.payment_preimage })]);
  });
});
