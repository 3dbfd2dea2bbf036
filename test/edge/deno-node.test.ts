// `lightning-worker/node` on a real Deno: createLightningNode from dist/node/node.js with the
// defaults for a non-Node runtime (memory store, fresh seed, static chain, WebSocket dialer, the
// WASM module fetched from the package) connects to one of our daemons over its WebSocket port,
// takes a zero-conf channel the daemon funds with a push, and pays the daemon's invoice with
// sendpay/waitsendpay. Deno gets only loopback network access and read access to wasm/: no
// --allow-env, --allow-sys or --allow-run, so any reach into Node's world (process.env, os,
// child processes) fails the run.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, Daemon, killAll, removeTempRoot, tempDir } from '../network/support/daemon.js';
import { channelById, invoice, invoiceRow, msat, until } from '../network/support/lightning.js';
import type { JsonObject } from '../network/support/rpc-client.js';
import { REPO_ROOT } from '../support/shared.js';
import { denoBinary, denoEnv, jsonLine, printRuntimesOnFailure, RuntimeProcess, stopAllRuntimes } from './support/runtimes.js';

type Obj = Record<string, unknown>;

/** The node inside Deno, driven through test/edge/deno/node-bridge.ts. */
class DenoNode {
  private nextId = 1;
  id = '';
  constructor(readonly proc: RuntimeProcess) {}

  async call<T = Obj>(method: string, params: Obj = {}, timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    this.proc.send(JSON.stringify({ id, method, params }));
    const reply = await this.proc.line(`answer to ${method}`, jsonLine<{ result?: T; error?: Obj }>((v) => v.id === id), timeoutMs);
    if (reply.error) throw new Error(`${method} failed in Deno: ${JSON.stringify(reply.error)}`);
    return reply.result as T;
  }
}

let daemon: Daemon;
let edge: DenoNode;
let denoVersion: string;

printRuntimesOnFailure();

beforeAll(async () => {
  assertBuilt();
  const bin = denoBinary();
  daemon = await Daemon.start({ name: 'deno-node-peer', ws: true });
  const args = [
    'run',
    '--no-prompt',
    '--allow-net=127.0.0.1',
    // The WASM module (fetched as a file: URL), and the package with its dependencies: the
    // bridge imports dist/node/node.js by a run-time URL, and Deno asks read permission for
    // every module of a dynamically imported graph.
    `--allow-read=${['wasm', 'dist', 'node_modules'].map((d) => join(REPO_ROOT, d)).join(',')}`,
    join(REPO_ROOT, 'test/edge/deno/node-bridge.ts'),
    pathToFileURL(join(REPO_ROOT, 'dist/node/node.js')).href,
  ];
  edge = new DenoNode(RuntimeProcess.start('deno node', bin, args, { env: denoEnv(join(tempDir('deno-dir'), 'cache')) }));
  const started = await edge.call<{ id: string; deno: string }>('start', { alias: 'deno-edge', zeroconfFrom: [daemon.id] });
  edge.id = started.id;
  denoVersion = started.deno;
});

afterAll(async () => {
  if (edge?.proc.alive) await edge.call('close').catch(() => undefined);
  await stopAllRuntimes();
  await daemon?.stop().catch(() => daemon.kill());
  await killAll();
  removeTempRoot();
});

function wsUrl(d: Daemon): string {
  const b = d.ready.bindings.find((x) => x.type === 'websocket');
  if (!b) throw new Error(`${d.name} has no WebSocket binding`);
  return `ws://127.0.0.1:${b.port}`;
}

describe('createLightningNode inside Deno', () => {
  it('starts with the non-Node defaults: WASM crypto, memory store, static chain', async () => {
    expect(denoVersion).toBe('2.9.6');
    const info = await edge.call('getinfo');
    // The node id is a real secp256k1 key derived by the WASM module from a fresh seed.
    expect(info.id).toBe(edge.id);
    expect(edge.id).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(info).toMatchObject({ alias: 'deno-edge', network: 'regtest', blockheight: 800_000, num_peers: 0 });
  });

  it("connects to the daemon's WebSocket port; listpeers on both sides shows the connection", async () => {
    const url = wsUrl(daemon);
    const c = await edge.call<{ id: string; direction: string }>('connect', { id: daemon.id, host: url });
    expect(c).toMatchObject({ id: daemon.id, direction: 'out' });

    const { peers: ours } = await edge.call<{ peers: Obj[] }>('listpeers');
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ id: daemon.id, connected: true });
    expect(ours[0]!.netaddr).toEqual([`${url}/`]); // the URL normalised, as connect reported it

    const theirs = await until('daemon lists the Deno node', async () => {
      const { peers } = await daemon.call<{ peers: JsonObject[] }>('listpeers', { id: edge.id });
      return peers[0]?.connected === true ? peers[0] : undefined;
    });
    expect(theirs.id).toBe(edge.id);
  });

  it('takes a zero-conf channel from the daemon (with a push) and pays its invoice', async () => {
    const pushMsat = 300_000_000n;
    const f = await daemon.call<{ channel_id: string }>('fundchannel', { id: edge.id, amount: 1_000_000, announce: false, mindepth: 0, push_msat: pushMsat });
    const ours = await until('Deno side CHANNELD_NORMAL', async () => {
      const { channels } = await edge.call<{ channels: Obj[] }>('listpeerchannels', { id: daemon.id });
      const ch = channels.find((c) => c.channel_id === f.channel_id);
      return ch?.state === 'CHANNELD_NORMAL' ? ch : undefined;
    });
    const before = await until('daemon side CHANNELD_NORMAL', async () => {
      const ch = await channelById(daemon, f.channel_id);
      return ch?.state === 'CHANNELD_NORMAL' ? ch : undefined;
    });
    // The pushed amount is ours; the daemon paid the fees out of its side.
    expect(BigInt(ours.to_us_msat as string)).toBe(pushMsat);
    expect(BigInt(ours.total_msat as string)).toBe(1_000_000_000n);

    const amount = 42_000n;
    const inv = await invoice(daemon, amount, 'from-deno');
    const alias = (ours.alias as Obj).local as string;
    const route = [{ id: daemon.id, channel: alias, amount_msat: Number(amount), delay: 18 }];
    const sent = await edge.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, bolt11: inv.bolt11 });
    expect(sent).toMatchObject({ status: 'pending', payment_hash: inv.payment_hash, amount_msat: amount.toString(), destination: daemon.id });
    const done = await edge.call<Obj>('waitsendpay', { payment_hash: inv.payment_hash, timeout: 20 });
    expect(done.status).toBe('complete');

    const row = await invoiceRow(daemon, 'from-deno');
    expect(row.status).toBe('paid');
    expect(msat(row.amount_received_msat)).toBe(amount);
    expect(row.payment_preimage).toBe(done.payment_preimage);
    const { payments } = await edge.call<{ payments: Obj[] }>('listsendpays', { payment_hash: inv.payment_hash });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: 'complete', payment_preimage: done.payment_preimage });

    // Both sides agree on the balance after the HTLC settled.
    const settled = await until('balances settled', async () => {
      const { channels } = await edge.call<{ channels: Obj[] }>('listpeerchannels', { id: daemon.id });
      const ch = channels.find((c) => c.channel_id === f.channel_id);
      return ch && (ch.htlcs as unknown[]).length === 0 ? ch : undefined;
    });
    expect(BigInt(settled.to_us_msat as string)).toBe(pushMsat - amount);
    const theirs = await until('daemon HTLC gone', async () => {
      const ch = await channelById(daemon, f.channel_id);
      return ch && (ch.htlcs as unknown[]).length === 0 ? ch : undefined;
    });
    expect(msat(theirs.to_us_msat)).toBe(msat(before.to_us_msat) + amount);
  });
});
