// BOLT 8 + BOLT 1 against Electrum 4.3.4 (../shared/interop/bolt8_peer.py): our Node client
// completes the handshake, the init exchange and > 1100 pings (crossing the key rotation at
// nonce 1000 in both directions), directly over TCP, through websockify and through our own
// proxy; and our responder
// accepts Electrum's own initiator (LNTransport).
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../src/crypto/secp256k1.js';
import { generateSecret } from '../../src/noise/index.js';
import { listenTcp, nodeDialer } from '../../src/net/node.js';
import { PeerManager, connectPeer, type PeerConnection } from '../../src/peer/index.js';
import { toHex } from '../../src/util/bytes.js';
import type { NodeId } from '../../src/types.js';
import { chainHash, featureBits } from '../../src/wire/index.js';
import type { NetAddress } from '../../src/net/index.js';
import { INTEROP_DIR, PYTHON } from '../support/shared.js';
import { startBolt8Peer, type Bolt8PeerProcess } from './bolt8-peer-process.js';
import { startProxyServer } from '../../src/proxy/node.js';
import { parseTargetArg } from '../../src/proxy/env-config.js';

// What a wallet like ours offers; Electrum's own feature check must accept it (Electrum 4.3.4
// insists on gossip_queries from every peer).
const FEATURES = featureBits({
  gossip_queries: 'optional',
  option_data_loss_protect: 'required',
  var_onion_optin: 'required',
  option_static_remotekey: 'required',
  payment_secret: 'required',
  basic_mpp: 'optional',
  option_channel_type: 'optional',
});
const ELECTRUM_INIT_FEATURES = '8000000000000000000000000020000802b263';
const PINGS = 1100;

let peer: Bolt8PeerProcess | undefined;
afterEach(async () => {
  await peer?.stop();
  peer = undefined;
});

async function pingMany(conn: PeerConnection): Promise<void> {
  for (let i = 0; i < PINGS; i++) {
    // Vary both sizes so frames of many lengths cross the rotations.
    await conn.ping(i % 7 === 0 ? 1000 : i % 50, i % 3 === 0 ? 16 : 0);
  }
}

async function clientRun(address: NetAddress): Promise<void> {
  const p = peer!;
  const conn = await connectPeer({
    localSecret: generateSecret(),
    features: FEATURES,
    chains: [chainHash('regtest')],
    remoteNodeId: p.nodeId as NodeId,
    address,
    dialer: nodeDialer,
    timing: { pingIntervalMs: 5_000 },
  });
  try {
    expect(conn.remoteNodeId).toBe(p.nodeId);
    expect(toHex(conn.info!.remote.features)).toBe(ELECTRUM_INIT_FEATURES);
    expect(conn.info!.remote.networks?.map(toHex)).toEqual([toHex(chainHash('regtest'))]);
    const init = await p.waitFor((e) => e.event === 'recv' && e['type'] === 'init');
    expect(init['features']).toBe(toHex(FEATURES));
    expect(init['our_chain_listed']).toBe(true);
    expect(init['electrum_reject_reason']).toBeNull();
    expect(init['electrum_would_accept']).toBe(true);
    await pingMany(conn);
    // The peer logs after sending, so its last lines may trail our last pong slightly.
    const count = (type: string, event: string) => p.events.filter((e) => e.event === event && e['type'] === type).length;
    for (let t0 = Date.now(); count('pong', 'sent') < PINGS && Date.now() - t0 < 5000; ) await new Promise((r) => setTimeout(r, 20));
    expect(count('ping', 'recv')).toBe(PINGS);
    expect(count('pong', 'sent')).toBe(PINGS);
    expect(p.events.filter((e) => e.event === 'error')).toEqual([]);
  } finally {
    conn.close();
  }
  const gone = await p.waitFor((e) => e.event === 'disconnect');
  expect(gone['reason']).toBe('closed by peer');
}

function runPython(code: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, ['-c', code, ...args], { cwd: INTEROP_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const t = setTimeout(() => child.kill('SIGTERM'), 50_000);
    child.once('exit', (status) => {
      clearTimeout(t);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('BOLT 8 interop with Electrum (bolt8_peer.py)', () => {
  it(`our client over direct TCP: handshake, init, ${PINGS} pings`, async () => {
    peer = await startBolt8Peer({ seconds: 120 });
    await clientRun({ kind: 'hostport', host: '127.0.0.1', port: peer.port });
  }, 120_000);

  it(`our client through websockify: handshake, init, ${PINGS} pings`, async () => {
    peer = await startBolt8Peer({ seconds: 120, websockify: true });
    expect(peer.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    await clientRun({ kind: 'url', url: peer.wsUrl! });
  }, 120_000);

  it(`our client through our proxy (/<host>:<port> dialect): handshake, init, ${PINGS} pings`, async () => {
    peer = await startBolt8Peer({ seconds: 120 });
    const proxy = await startProxyServer({ host: '127.0.0.1', port: 0, allow: [parseTargetArg('--allow', `127.0.0.1:${peer.port}`)], allowLoopback: true });
    try {
      await clientRun({ kind: 'url', url: `ws://127.0.0.1:${proxy.port}/127.0.0.1:${peer.port}` });
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('Electrum initiating (LNTransport) to our responder: init and ping answered', async () => {
    const secret = generateSecret();
    const id = toHex(pubkeyCreate(secret));
    const m = new PeerManager({ localSecret: secret, features: FEATURES, chains: [chainHash('regtest')], reconnect: false });
    const l = await listenTcp({ port: 0 }, (s) => m.accept(s));
    const connected = new Promise<string>((r) => m.on('connected', (pid) => r(pid)));
    try {
      const script = `
import asyncio, sys, json
from electrum import ecc, constants
from electrum.lntransport import LNTransport
from electrum.lnutil import LNPeerAddr
from electrum.lnmsg import encode_msg, decode_msg
constants.set_regtest()
async def main(port, node):
    key = ecc.ECPrivkey.generate_random_key()
    t = LNTransport(key.get_secret_bytes(), LNPeerAddr("127.0.0.1", port, bytes.fromhex(node)), proxy=None)
    await t.handshake()
    t.send_bytes(encode_msg("init", gflen=0, flen=2, features=0x4202, init_tlvs={"networks": {"chains": constants.net.rev_genesis_bytes()}}))
    got = []
    async for m in t.read_messages():
        name, payload = decode_msg(m)
        got.append({"type": name, "features": payload.get("features", b"").hex() if name == "init" else None,
                    "len": len(payload.get("ignored", b"")) if name == "pong" else None})
        if name == "init":
            t.send_bytes(encode_msg("ping", num_pong_bytes=77, byteslen=5, ignored=bytes(5)))
        if len(got) == 2:
            break
    t.close()
    print(json.dumps({"our_pub": key.get_public_key_hex(compressed=True), "got": got}))
asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
`;
      // Asynchronously: our responder runs on this event loop.
      const r = await runPython(script, [String(l.port), id]);
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { our_pub: string; got: { type: string; features: string | null; len: number | null }[] };
      expect(out.got).toEqual([
        { type: 'init', features: toHex(FEATURES), len: null },
        { type: 'pong', features: null, len: 77 },
      ]);
      expect(await connected).toBe(out.our_pub);
    } finally {
      await m.close();
      await l.close();
    }
  }, 60_000);
});
