// The proxy on a real Deno: `deno run dist/node/proxy/deno.js` (the documented command) with
// LW_PROXY_* settings, relaying our Node client's BOLT 8 connection to one of our daemons
// (Deno.serve + Deno.upgradeWebSocket on the client side, Deno.connect to the daemon), and
// refusing what the allowlist and the address rules refuse, with the documented close codes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../src/crypto/secp256k1.js';
import { generateSecret } from '../../src/noise/index.js';
import { CLOSE } from '../../src/proxy/close-codes.js';
import { toHex } from '../../src/util/bytes.js';
import { chainHash } from '../../src/wire/index.js';
import { assertBuilt, Daemon, killAll, removeTempRoot, tempDir } from '../network/support/daemon.js';
import { until } from '../network/support/lightning.js';
import { actShaped, connectClient, startDummyPeer } from '../network/proxy-support.js';
import { REPO_ROOT } from '../support/shared.js';
import { connectThrough, pingMany } from './support/bolt8-client.js';
import { denoBinary, denoEnv, jsonLine, printRuntimesOnFailure, RuntimeProcess, stopAllRuntimes } from './support/runtimes.js';

// Past nonce 1000 in both directions: each ping and each pong is one message.
const PINGS = 1100;

let daemon: Daemon;
let deno: RuntimeProcess;
let proxyPort: number;

printRuntimesOnFailure();

interface Peer {
  id: string;
  connected: boolean;
  netaddr?: string[];
}

beforeAll(async () => {
  assertBuilt();
  const bin = denoBinary();
  daemon = await Daemon.start({ name: 'deno-proxy-target' });
  const env = denoEnv(join(tempDir('deno-dir'), 'cache'), {
    LW_PROXY_LISTEN: '127.0.0.1:0',
    LW_PROXY_ALLOW: `127.0.0.1:${daemon.port}`,
    LW_PROXY_ALLOW_LOOPBACK: '1',
  });
  // Only what the proxy needs: listen and dial on loopback, and read its settings.
  deno = RuntimeProcess.start('deno proxy', bin, ['run', '--no-prompt', '--allow-net=127.0.0.1', '--allow-env', join(REPO_ROOT, 'dist/node/proxy/deno.js')], { env });
  const listening = await deno.line('listening line', jsonLine<{ event: string; host: string; port: number }>((v) => v.event === 'listening'));
  expect(listening.host).toBe('127.0.0.1');
  proxyPort = listening.port;
});

afterAll(async () => {
  await stopAllRuntimes();
  await daemon?.stop().catch(() => daemon.kill());
  await killAll();
  removeTempRoot();
});

async function peerOnDaemon(id: string): Promise<Peer | undefined> {
  const { peers } = await daemon.call<{ peers: Peer[] }>('listpeers', { id });
  return peers[0];
}

describe('the proxy on Deno', () => {
  it(`relays our client to our daemon (/<host>:<port>): handshake, init, ${PINGS} pings`, async () => {
    const secret = generateSecret();
    const ourId = toHex(pubkeyCreate(secret));
    const conn = await connectThrough(`ws://127.0.0.1:${proxyPort}/127.0.0.1:${daemon.port}`, daemon.id, secret);
    try {
      // Act two verified against the daemon's key, and the daemon's init accepted.
      expect(conn.remoteNodeId).toBe(daemon.id);
      expect(conn.info!.remote.networks?.map(toHex)).toEqual([toHex(chainHash('regtest'))]);
      const ours = await until('daemon lists our node', async () => {
        const p = await peerOnDaemon(ourId);
        return p?.connected ? p : undefined;
      });
      // The daemon sees the proxy's TCP connection from loopback.
      expect(ours.netaddr?.[0]).toMatch(/^127\.0\.0\.1:\d+$/);
      await pingMany(conn, PINGS);
    } finally {
      conn.close();
    }
    expect(await conn.closed).toBeNull();
    await until('daemon sees the disconnect', async () => ((await peerOnDaemon(ourId))?.connected ? undefined : true));
    expect(deno.alive, deno.diagnostics()).toBe(true);
  });

  it('relays in the /v1/<host>/<port> dialect too', async () => {
    const conn = await connectThrough(`ws://127.0.0.1:${proxyPort}/v1/127_0_0_1/${daemon.port}`, daemon.id);
    try {
      expect(conn.remoteNodeId).toBe(daemon.id);
      await pingMany(conn, 3);
    } finally {
      conn.close();
    }
  });

  it('refuses a destination outside the allowlist (4003) without dialling it', async () => {
    const other = await startDummyPeer('lightning'); // listening on loopback, but not allowed
    try {
      const c = await connectClient(`ws://127.0.0.1:${proxyPort}/127.0.0.1:${other.port}`);
      c.send(actShaped());
      expect(await c.closed).toEqual({ code: CLOSE.DESTINATION_NOT_ALLOWED.code, reason: CLOSE.DESTINATION_NOT_ALLOWED.reason });
      expect(other.connections).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('refuses bytes that are not a BOLT 8 act one (4100)', async () => {
    const c = await connectClient(`ws://127.0.0.1:${proxyPort}/127.0.0.1:${daemon.port}`);
    c.send(new Uint8Array(50).fill(0x41));
    expect(await c.closed).toEqual({ code: CLOSE.NOT_LIGHTNING.code, reason: CLOSE.NOT_LIGHTNING.reason });
  });

  it('answers plain HTTP with 426', async () => {
    const res = await fetch(`http://127.0.0.1:${proxyPort}/127.0.0.1:${daemon.port}`);
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
  });
});
