// Interop: Electrum's BOLT 8 responder (../shared/interop/bolt8_peer.py, Electrum 4.3.4's own
// LNResponderTransport) behind our proxy. A client with our noise layer sends a genuine act one
// through the proxy, gets a genuine act two (its tag verifies against Electrum's key), completes
// the handshake and exchanges init and ping/pong over the free relay.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../src/crypto/secp256k1.js';
import { generateSecret, NoiseSession } from '../../src/noise/index.js';
import { CLOSE } from '../../src/proxy/close-codes.js';
import { startProxyServer, type ProxyServer } from '../../src/proxy/node.js';
import { parseHostPort } from '../../src/proxy/target.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { INTEROP_DIR, PYTHON } from '../support/shared.js';
import { connectClient } from './proxy-support.js';

interface PeerEvent {
  event: string;
  [k: string]: unknown;
}

let electrum: ChildProcessWithoutNullStreams;
const events: PeerEvent[] = [];
let eventWaiters: (() => void)[] = [];
let proxy: ProxyServer;
let nodeId: string;
let peerPort: number;

function waitEvent(pred: (e: PeerEvent) => boolean, ms = 15_000): Promise<PeerEvent> {
  return new Promise((resolveEvent, reject) => {
    const timer = setTimeout(() => reject(new Error(`Electrum event not seen; got ${JSON.stringify(events)}`)), ms);
    const check = (): boolean => {
      const e = events.find(pred);
      if (!e) return false;
      clearTimeout(timer);
      resolveEvent(e);
      return true;
    };
    if (!check()) eventWaiters.push(() => void check());
  });
}

beforeAll(async () => {
  electrum = spawn(PYTHON, [resolve(INTEROP_DIR, 'bolt8_peer.py'), '--port', '0', '--seconds', '20'], { stdio: ['pipe', 'pipe', 'pipe'] });
  electrum.stderr.resume();
  createInterface({ input: electrum.stdout }).on('line', (line) => {
    events.push(JSON.parse(line) as PeerEvent);
    const ws = eventWaiters;
    eventWaiters = [];
    ws.forEach((w) => w());
  });
  const listening = await waitEvent((e) => e.event === 'listening');
  nodeId = String(listening.node_id);
  peerPort = Number(listening.port);
  proxy = await startProxyServer({ host: '127.0.0.1', port: 0, allow: [parseHostPort(`127.0.0.1:${peerPort}`)!], allowLoopback: true });
});

afterAll(async () => {
  await proxy?.close();
  electrum?.stdin.end('shutdown\n');
  if (electrum && electrum.exitCode === null) await new Promise((r) => electrum.once('exit', r));
});

function u16(n: number): number[] {
  return [n >> 8, n & 0xff];
}

function be16(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(at);
}

describe('proxy interop with Electrum', () => {
  it('relays a genuine BOLT 8 handshake, init and ping/pong between our client and Electrum', async () => {
    const localSecret = generateSecret();
    const session = NoiseSession.initiator({ localSecret, remoteStatic: fromHex(nodeId, 33) });
    const c = await connectClient(`ws://127.0.0.1:${proxy.port}/127.0.0.1:${peerPort}`);
    const messages: Uint8Array[] = [];
    let authenticated: Uint8Array | undefined;
    let gotMessage: () => void = () => undefined;

    c.ws.on('message', (data: Buffer) => {
      session.push(new Uint8Array(data));
      for (let out = session.next(); out; out = session.next()) {
        if (out.type === 'send') c.ws.send(out.data);
        else if (out.type === 'handshake') {
          authenticated = out.remoteStatic;
          // init: no global features, no features, no TLVs
          c.ws.send(session.encrypt(new Uint8Array([...u16(16), ...u16(0), ...u16(0)])));
        } else {
          messages.push(out.data);
          gotMessage();
        }
      }
    });
    const nextMessage = (): Promise<Uint8Array> =>
      messages.length > 0 ? Promise.resolve(messages.shift()!) : new Promise((r) => (gotMessage = () => r(messages.shift()!)));

    const actOne = session.start()!;
    expect(actOne.length).toBe(50);
    c.ws.send(actOne);

    const init = await nextMessage();
    expect(toHex(authenticated!)).toBe(nodeId); // act two verified against Electrum's key
    expect(be16(init, 0)).toBe(16);

    c.ws.send(session.encrypt(new Uint8Array([...u16(18), ...u16(4), ...u16(0)]))); // ping asking for 4 bytes
    const pong = await nextMessage();
    expect(be16(pong, 0)).toBe(19);
    expect(be16(pong, 2)).toBe(4); // byteslen

    const hs = await waitEvent((e) => e.event === 'handshake');
    expect(hs.remote_node_id).toBe(toHex(pubkeyCreate(localSecret)));
    await waitEvent((e) => e.event === 'recv' && e.type === 'ping');
    c.ws.close();
    await c.closed;
  });

  it('refuses Electrum behind the proxy to a client whose first bytes are not act one', async () => {
    const c = await connectClient(`ws://127.0.0.1:${proxy.port}/127.0.0.1:${peerPort}`);
    c.send(new Uint8Array(50).fill(0x41));
    expect(await c.closed).toEqual({ code: CLOSE.NOT_LIGHTNING.code, reason: CLOSE.NOT_LIGHTNING.reason });
  });
});
