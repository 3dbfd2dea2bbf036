// The connection driver over in-memory streams with real (short) timers: keepalive pings,
// pong timeout, handshake timeout, close with a warning, send before ready.
import { describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { memoryStreamPair } from '../../../src/net/index.js';
import { NoiseSession, generateSecret } from '../../../src/noise/index.js';
import { PeerConnection, PeerError, type SessionOptions } from '../../../src/peer/index.js';
import { toHex } from '../../../src/util/bytes.js';
import type { NodeId } from '../../../src/types.js';
import { decodeMessage, encodeMessage } from '../../../src/wire/index.js';
import { FEATURES, REGTEST } from './helpers.js';

function session(extra: Partial<SessionOptions> = {}): SessionOptions & { pub: Uint8Array } {
  const localSecret = generateSecret();
  return { localSecret, pub: pubkeyCreate(localSecret), features: FEATURES, chains: [REGTEST], ...extra };
}

describe('PeerConnection driver', () => {
  it('keepalive pings flow both ways and keep the connection up', async () => {
    const [x, y] = memoryStreamPair();
    const timing = { pingIntervalMs: 30, pongTimeoutMs: 500 };
    const b = session({ timing });
    const out = PeerConnection.outbound(x, b.pub, session({ timing }));
    const inn = PeerConnection.inbound(y, b);
    const [oi, ii] = await Promise.all([out.ready, inn.ready]);
    expect(oi.remoteNodeId).toBe(toHex(b.pub));
    expect(ii.direction).toBe('in');
    let pongs = 0;
    out.on('pong', () => pongs++);
    inn.on('pong', () => pongs++);
    await new Promise((r) => setTimeout(r, 250));
    expect(pongs).toBeGreaterThanOrEqual(2);
    expect(out.state).toBe('ready');
    out.close();
    expect(await out.closed).toBeNull();
    expect((await inn.closed)?.code).toBe('CONNECTION_CLOSED');
  });

  it('a peer that never answers our ping is dropped with PING_TIMEOUT', async () => {
    const [x, y] = memoryStreamPair();
    const remoteSecret = generateSecret();
    const raw = NoiseSession.responder({ localSecret: remoteSecret });
    y.on('data', (c) => {
      raw.push(c);
      for (let o = raw.next(); o; o = raw.next()) {
        if (o.type === 'send') y.write(o.data);
        else if (o.type === 'message' && decodeMessage(o.data).type === 'init') {
          y.write(raw.encrypt(encodeMessage({ type: 'init', global_features: new Uint8Array(0), features: FEATURES, tlvs: {} })));
        } // pings are swallowed
      }
    });
    const conn = PeerConnection.outbound(x, pubkeyCreate(remoteSecret), session({ timing: { pingIntervalMs: 20, pongTimeoutMs: 60 } }));
    await conn.ready;
    const err = await conn.closed;
    expect(err?.code).toBe('PING_TIMEOUT');
  });

  it('a silent responder: ready rejects with HANDSHAKE_TIMEOUT and the stream is closed', async () => {
    const [x] = memoryStreamPair();
    const conn = PeerConnection.outbound(x, pubkeyCreate(generateSecret()), session({ timing: { handshakeTimeoutMs: 40 } }));
    await expect(conn.ready).rejects.toMatchObject({ code: 'HANDSHAKE_TIMEOUT' });
    expect(x.closed).toBe(true);
  });

  it('send() and ping() before ready reject with NOT_CONNECTED', async () => {
    const [x] = memoryStreamPair();
    const conn = PeerConnection.outbound(x, pubkeyCreate(generateSecret()), session());
    await expect(conn.send({ type: 'stfu', channel_id: new Uint8Array(32), initiator: 0 })).rejects.toBeInstanceOf(PeerError);
    await expect(conn.ping(1)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    conn.close();
    expect(await conn.closed).toBeNull();
  });

  it('close(warning) tells the peer why', async () => {
    const [x, y] = memoryStreamPair();
    const b = session();
    const out = PeerConnection.outbound(x, b.pub, session());
    const inn = PeerConnection.inbound(y, b);
    await Promise.all([out.ready, inn.ready]);
    const warned = new Promise<string>((r) => inn.on('warning', (w) => r(w.text)));
    out.close('going away');
    expect(await warned).toBe('going away');
  });

  it('a bad node id closes the stream and throws BAD_CONFIG', () => {
    const [x] = memoryStreamPair();
    expect(() => PeerConnection.outbound(x, 'zz' as NodeId, session())).toThrow(PeerError);
    expect(x.closed).toBe(true);
  });
});
