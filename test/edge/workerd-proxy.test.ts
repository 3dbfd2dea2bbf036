// The proxy as a Cloudflare Worker on workerd (Cloudflare's own runtime, from npm):
// src/proxy/cloudflare.ts bundled by Vite, configured through `LW_PROXY_*` text bindings (the
// Worker's vars), relaying our Node client's BOLT 8 connection to one of our daemons over
// `connect()` from cloudflare:sockets. workerd routes a Worker's outbound connections through
// its globalOutbound network service; the default one ("internet") allows public addresses
// only, so the relaying Workers here use a `loopback` service allowing 127.0.0.0/8.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../src/crypto/secp256k1.js';
import { generateSecret } from '../../src/noise/index.js';
import { CLOSE } from '../../src/proxy/close-codes.js';
import { toHex } from '../../src/util/bytes.js';
import { actShaped, connectClient, startDummyPeer } from '../network/proxy-support.js';
import { assertBuilt, Daemon, killAll, removeTempRoot, tempDir } from '../network/support/daemon.js';
import { until } from '../network/support/lightning.js';
import { connectThrough, pingMany } from './support/bolt8-client.js';
import { printRuntimesOnFailure, stopAllRuntimes, workerdBinary } from './support/runtimes.js';
import { bundleWorker, startWorkerd, type Workerd } from './support/workerd.js';

const PINGS = 1100;

let daemon: Daemon;
let workerd: Workerd;

printRuntimesOnFailure();

beforeAll(async () => {
  assertBuilt();
  workerdBinary(); // a missing runtime fails here, before anything else starts
  daemon = await Daemon.start({ name: 'workerd-proxy-target' });
  const dir = tempDir('workerd');
  const script = await bundleWorker('src/proxy/cloudflare.ts', dir);
  const allow = { LW_PROXY_ALLOW: `127.0.0.1:${daemon.port}` };
  workerd = await startWorkerd(dir, [
    { name: 'proxy', script, vars: { ...allow, LW_PROXY_ALLOW_LOOPBACK: '1' }, globalOutbound: 'loopback' },
    // The runtime answers Close frames by itself (the default for newer compatibility dates).
    { name: 'autoreply', script, vars: { ...allow, LW_PROXY_ALLOW_LOOPBACK: '1' }, globalOutbound: 'loopback', compatibilityFlags: ['web_socket_auto_reply_to_close'] },
    // Same allowlist without the loopback flag: the relay's own address check refuses.
    { name: 'strict', script, vars: allow, globalOutbound: 'loopback' },
    // The relay allows loopback but the runtime does not: workerd's default outbound service.
    { name: 'internet', script, vars: { ...allow, LW_PROXY_ALLOW_LOOPBACK: '1' } },
  ]);
});

afterAll(async () => {
  await stopAllRuntimes();
  await daemon?.stop().catch(() => daemon.kill());
  await killAll();
  removeTempRoot();
});

function base(worker: string): string {
  const port = workerd.ports.get(worker);
  if (port === undefined) throw new Error(`no socket for ${worker}`);
  return `ws://127.0.0.1:${port}`;
}

async function daemonPeer(id: string): Promise<{ connected: boolean; netaddr?: string[] } | undefined> {
  const { peers } = await daemon.call<{ peers: { id: string; connected: boolean; netaddr?: string[] }[] }>('listpeers', { id });
  return peers[0];
}

describe('the proxy as a Cloudflare Worker (workerd)', () => {
  it(`relays our client to our daemon over connect(): handshake, init, ${PINGS} pings`, async () => {
    const secret = generateSecret();
    const ourId = toHex(pubkeyCreate(secret));
    const conn = await connectThrough(`${base('proxy')}/127.0.0.1:${daemon.port}`, daemon.id, secret);
    try {
      expect(conn.remoteNodeId).toBe(daemon.id); // act two verified against the daemon's key
      const peer = await until('daemon lists our node', async () => {
        const p = await daemonPeer(ourId);
        return p?.connected ? p : undefined;
      });
      // The daemon sees workerd's TCP connection from loopback.
      expect(peer.netaddr?.[0]).toMatch(/^127\.0\.0\.1:\d+$/);
      await pingMany(conn, PINGS);
    } finally {
      conn.close();
    }
    expect(await conn.closed).toBeNull();
    await until('daemon sees the disconnect', async () => ((await daemonPeer(ourId))?.connected ? undefined : true));
    expect(workerd.proc.alive, workerd.proc.diagnostics()).toBe(true);
  });

  it('relays in the /v1/<host>/<port> dialect, also where workerd answers Close frames itself', async () => {
    for (const worker of ['proxy', 'autoreply']) {
      const conn = await connectThrough(`${base(worker)}/v1/127.0.0.1/${daemon.port}`, daemon.id);
      try {
        await pingMany(conn, 3);
      } finally {
        conn.close();
      }
      expect(await conn.closed).toBeNull();
      // The relay ends at the client's close: the daemon's side goes too (with the Close frame
      // left unanswered, workerd held the TCP connection open well past this test's timeout).
      await until(`${worker}: daemon sees the disconnect`, async () => ((await daemon.call<{ peers: unknown[] }>('listpeers', {})).peers.length === 0 ? true : undefined));
    }
  });

  it('refuses a destination outside the allowlist (4003) without dialling it', async () => {
    const other = await startDummyPeer('lightning'); // listening on loopback, but not allowed
    try {
      const c = await connectClient(`${base('proxy')}/127.0.0.1:${other.port}`);
      c.send(actShaped());
      expect(await c.closed).toEqual({ code: CLOSE.DESTINATION_NOT_ALLOWED.code, reason: CLOSE.DESTINATION_NOT_ALLOWED.reason });
      expect(other.connections).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('refuses loopback without LW_PROXY_ALLOW_LOOPBACK (4004)', async () => {
    const c = await connectClient(`${base('strict')}/127.0.0.1:${daemon.port}`);
    c.send(actShaped());
    expect(await c.closed).toEqual({ code: CLOSE.ADDRESS_NOT_ALLOWED.code, reason: CLOSE.ADDRESS_NOT_ALLOWED.reason });
  });

  it("reports a dial the runtime refuses like any failed dial (4200 at the act-two deadline)", async () => {
    // workerd's default outbound service refuses 127.0.0.1: connect() fails, and the client learns
    // only "peer unavailable", as for a closed port.
    const c = await connectClient(`${base('internet')}/127.0.0.1:${daemon.port}`);
    const t0 = Date.now();
    c.send(actShaped());
    expect(await c.closed).toEqual({ code: CLOSE.PEER_UNAVAILABLE.code, reason: CLOSE.PEER_UNAVAILABLE.reason });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(7_500); // not earlier: no dial-error oracle
  });

  it('answers plain HTTP with 426', async () => {
    const res = await fetch(`${base('proxy').replace('ws:', 'http:')}/127.0.0.1:${daemon.port}`);
    expect(res.status).toBe(426);
  });
});
