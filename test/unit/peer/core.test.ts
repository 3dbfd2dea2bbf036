// The sans-IO peer core, one BOLT 1 / BOLT 8 rule per test.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/util/bytes.js';
import { NoiseError, generateSecret } from '../../../src/noise/index.js';
import { PeerCore } from '../../../src/peer/core.js';
import { PeerError } from '../../../src/peer/errors.js';
import { DEFAULT_TIMING } from '../../../src/peer/timing.js';
import { chainHash, featureBits, featuresFromBits, mergeFeatures } from '../../../src/wire/index.js';
import { FEATURES, REGTEST, RawPeer, apply, config, pair, side } from './helpers.js';

const T = DEFAULT_TIMING;

function closedWith(e: PeerError | null | undefined, code: string): void {
  expect(e).toBeInstanceOf(PeerError);
  expect(e!.code).toBe(code);
}

describe('handshake and init', () => {
  it('our initiator and responder handshake, exchange init and become ready', () => {
    const remoteAddr = Uint8Array.from([1, 203, 0, 113, 5, 0x26, 0x07]);
    const { i, r } = pair(0, {}, { remoteAddr });
    expect(i.core.state).toBe('ready');
    expect(r.core.state).toBe('ready');
    expect(i.events.map((e) => e.type)).toEqual(['handshake', 'ready']);
    expect(r.events.map((e) => e.type)).toEqual(['handshake', 'ready']);
    expect(i.core.remoteNodeId).toBe(toHex(r.pub));
    expect(r.core.remoteNodeId).toBe(toHex(i.pub));
    const ready = i.events[1]!;
    expect(ready.type === 'ready' && toHex(ready.remote.features)).toBe(toHex(FEATURES));
    expect(i.core.remoteInit?.networks?.map(toHex)).toEqual([toHex(REGTEST)]);
    expect(toHex(i.core.remoteInit!.remoteAddr!)).toBe(toHex(remoteAddr));
    expect(r.core.remoteInit?.remoteAddr).toBeUndefined();
  });

  it('we send init with our features and networks right after the handshake', () => {
    const raw = new RawPeer('initiator');
    expect(raw.us.core.state).toBe('init');
    const init = raw.received[0]!;
    expect(init.type).toBe('init');
    if (init.type !== 'init') return;
    expect(toHex(init.features)).toBe(toHex(FEATURES));
    expect(init.tlvs.networks?.map(toHex)).toEqual([toHex(REGTEST)]);
    raw.init();
    expect(raw.us.core.state).toBe('ready');
  });

  it('global_features and features are merged', () => {
    const raw = new RawPeer('initiator');
    const g = featuresFromBits([13]);
    raw.send({ type: 'init', global_features: g, features: featuresFromBits([9, 15]), tlvs: {} });
    expect(toHex(raw.us.core.remoteInit!.features)).toBe(toHex(mergeFeatures(g, featuresFromBits([9, 15]))));
  });

  it('handshake timeout: no act two in time is a connect failure', () => {
    const secret = generateSecret();
    const us = side(new PeerCore(config('initiator', secret, { remoteNodeId: side(new PeerCore(config('responder', generateSecret()), 0), generateSecret()).pub }), 1000), secret);
    apply(us, us.core.start(), undefined, 1000);
    expect(us.core.nextDeadline()).toBe(1000 + T.handshakeTimeoutMs);
    apply(us, us.core.tick(1000 + T.handshakeTimeoutMs - 1), undefined, 0);
    expect(us.closed).toBeUndefined();
    apply(us, us.core.tick(1000 + T.handshakeTimeoutMs), undefined, 0);
    closedWith(us.closed, 'HANDSHAKE_TIMEOUT');
    expect(us.core.nextDeadline()).toBeUndefined();
  });

  it('init timeout', () => {
    const raw = new RawPeer('initiator', {}, 0);
    raw.tick(T.initTimeoutMs - 1);
    expect(raw.us.closed).toBeUndefined();
    raw.tick(T.initTimeoutMs);
    closedWith(raw.us.closed, 'INIT_TIMEOUT');
  });

  it('a stream closing during the handshake is HANDSHAKE_FAILED (act two read failed)', () => {
    const raw = new RawPeer('initiator');
    const secret = generateSecret();
    const us = side(new PeerCore(config('initiator', secret, { remoteNodeId: raw.pub }), 0), secret);
    us.core.start();
    apply(us, us.core.streamClosed('remote closed'), undefined, 0);
    closedWith(us.closed, 'HANDSHAKE_FAILED');
    expect((us.closed!.cause as NoiseError).code).toBe('ACT2_READ_FAILED');
  });

  it('dialing the wrong node id fails at the responder; the initiator never connects', () => {
    const { r } = pair();
    const secret = generateSecret();
    const us = side(new PeerCore(config('initiator', secret, { remoteNodeId: side(new PeerCore(config('responder', generateSecret()), 0), generateSecret()).pub }), 0), secret);
    const responderSecret = generateSecret();
    const them = side(new PeerCore(config('responder', responderSecret), 0), responderSecret);
    apply(us, us.core.start(), them, 0);
    closedWith(them.closed, 'HANDSHAKE_FAILED');
    expect((them.closed!.cause as NoiseError).code).toBe('ACT1_BAD_TAG');
    expect(us.core.state).toBe('handshake');
    expect(us.events).toEqual([]);
    expect(r.core.state).toBe('ready');
  });

  it('an unknown required feature bit: warning, then INCOMPATIBLE_FEATURES', () => {
    const raw = new RawPeer('initiator');
    raw.init(mergeFeatures(FEATURES, featuresFromBits([200])));
    closedWith(raw.us.closed, 'INCOMPATIBLE_FEATURES');
    expect(raw.us.closed!.message).toContain('200');
    expect(raw.received.map((m) => m.type)).toEqual(['init', 'warning']);
  });

  it('an unknown odd feature bit is fine', () => {
    const raw = new RawPeer('initiator');
    raw.init(mergeFeatures(FEATURES, featuresFromBits([201, 151])));
    expect(raw.us.core.state).toBe('ready');
  });

  it('a feature without its dependency: INCOMPATIBLE_FEATURES', () => {
    const raw = new RawPeer('initiator');
    raw.init(featureBits({ basic_mpp: 'optional' }));
    closedWith(raw.us.closed, 'INCOMPATIBLE_FEATURES');
    expect(raw.us.closed!.message).toContain('payment_secret');
  });

  it('no common network: NO_COMMON_NETWORK; an absent networks TLV is accepted', () => {
    const raw = new RawPeer('initiator');
    raw.init(FEATURES, { networks: [chainHash('bitcoin')] });
    closedWith(raw.us.closed, 'NO_COMMON_NETWORK');
    expect(raw.us.closed!.message).toContain('bitcoin');
    const ok = new RawPeer('initiator');
    ok.init(FEATURES, {});
    expect(ok.us.core.state).toBe('ready');
    const multi = new RawPeer('initiator');
    multi.init(FEATURES, { networks: [chainHash('bitcoin'), REGTEST] });
    expect(multi.us.core.state).toBe('ready');
  });

  it('a first message other than init: UNEXPECTED_MESSAGE', () => {
    const raw = new RawPeer('initiator');
    raw.send({ type: 'ping', num_pong_bytes: 1, ignored: new Uint8Array(0) });
    closedWith(raw.us.closed, 'UNEXPECTED_MESSAGE');
  });

  it('a second init: UNEXPECTED_MESSAGE', () => {
    const raw = new RawPeer('initiator');
    raw.init();
    raw.init();
    closedWith(raw.us.closed, 'UNEXPECTED_MESSAGE');
  });

  it('nothing but init may be sent before the peer init arrives', () => {
    const raw = new RawPeer('initiator');
    expect(() => raw.us.core.send({ type: 'update_fee', channel_id: new Uint8Array(32), feerate_per_kw: 253 })).toThrow(PeerError);
  });

  it('our responder sends remote_addr only when configured', () => {
    const addr = Uint8Array.from([1, 8, 8, 8, 8, 0x26, 0x07]);
    const raw = new RawPeer('responder', { remoteAddr: addr });
    const init = raw.received[0]!;
    expect(init.type === 'init' && toHex(init.tlvs.remote_addr!)).toBe(toHex(addr));
  });
});

describe('steady state', () => {
  function ready(now = 0): RawPeer {
    const raw = new RawPeer('initiator', {}, now);
    raw.init(FEATURES, { networks: [REGTEST] }, now);
    raw.received.length = 0;
    return raw;
  }

  it('every ping is answered with num_pong_bytes zero bytes; none at 65532 or more', () => {
    const raw = ready();
    raw.send({ type: 'ping', num_pong_bytes: 0, ignored: new Uint8Array(0) });
    raw.send({ type: 'ping', num_pong_bytes: 1000, ignored: new Uint8Array(10) });
    raw.send({ type: 'ping', num_pong_bytes: 65531, ignored: new Uint8Array(0) });
    raw.send({ type: 'ping', num_pong_bytes: 65532, ignored: new Uint8Array(0) });
    raw.send({ type: 'ping', num_pong_bytes: 65535, ignored: new Uint8Array(0) });
    const pongs = raw.received.map((m) => (m.type === 'pong' ? m.ignored.length : -1));
    expect(pongs).toEqual([0, 1000, 65531]);
    expect(raw.received.every((m) => m.type === 'pong' && m.ignored.every((b) => b === 0))).toBe(true);
  });

  it('keepalive ping after pingInterval of silence; its pong clears the timer', () => {
    const raw = ready(0);
    expect(raw.us.core.nextDeadline()).toBe(T.pingIntervalMs);
    raw.tick(T.pingIntervalMs - 1);
    expect(raw.received).toEqual([]);
    raw.tick(T.pingIntervalMs);
    expect(raw.received.map((m) => m.type)).toEqual(['ping']);
    expect(raw.us.core.nextDeadline()).toBe(T.pingIntervalMs + T.pongTimeoutMs);
    const t = T.pingIntervalMs + 100;
    raw.send({ type: 'pong', ignored: new Uint8Array(0) }, t);
    const pong = raw.us.events.find((e) => e.type === 'pong');
    expect(pong && pong.type === 'pong' && pong.rttMs).toBe(100);
    expect(raw.us.core.nextDeadline()).toBe(t + T.pingIntervalMs);
    raw.tick(t + T.pongTimeoutMs + 1);
    expect(raw.us.closed).toBeUndefined();
  });

  it('traffic from the peer postpones the keepalive ping', () => {
    const raw = ready(0);
    raw.send({ type: 'warning', channel_id: new Uint8Array(32), data: new Uint8Array(0) }, 20_000);
    raw.tick(T.pingIntervalMs);
    expect(raw.received).toEqual([]);
    expect(raw.us.core.nextDeadline()).toBe(20_000 + T.pingIntervalMs);
  });

  it('no pong in time: PING_TIMEOUT', () => {
    const raw = ready(0);
    raw.tick(T.pingIntervalMs);
    raw.tick(T.pingIntervalMs + T.pongTimeoutMs - 1);
    expect(raw.us.closed).toBeUndefined();
    raw.tick(T.pingIntervalMs + T.pongTimeoutMs);
    closedWith(raw.us.closed, 'PING_TIMEOUT');
  });

  it('explicit pings: pongs matched in order, a wrong-length pong is only a diagnostic', () => {
    const raw = ready(0);
    const a = raw.us.core.sendPing(5, 3, 10);
    const b = raw.us.core.sendPing(7, 0, 20);
    raw.feed(a.actions);
    raw.feed(b.actions);
    expect(raw.received.map((m) => (m.type === 'ping' ? [m.num_pong_bytes, m.ignored.length] : null))).toEqual([
      [5, 3],
      [7, 0],
    ]);
    raw.send({ type: 'pong', ignored: new Uint8Array(6) }, 30);
    raw.send({ type: 'pong', ignored: new Uint8Array(5) }, 40);
    raw.send({ type: 'pong', ignored: new Uint8Array(7) }, 50);
    const evs = raw.us.events.filter((e) => e.type === 'pong' || e.type === 'diagnostic');
    expect(evs).toEqual([
      { type: 'diagnostic', message: 'unsolicited pong of 6 bytes' },
      { type: 'pong', id: a.id, rttMs: 30 },
      { type: 'pong', id: b.id, rttMs: 30 },
    ]);
    expect(raw.us.closed).toBeUndefined();
  });

  it('warnings are surfaced; printable text verbatim, other data as hex', () => {
    const raw = ready();
    raw.send({ type: 'warning', channel_id: new Uint8Array(32), data: new TextEncoder().encode('fee too low') });
    raw.send({ type: 'warning', channel_id: new Uint8Array(32).fill(1), data: Uint8Array.from([0, 0xff, 10]) });
    const texts = raw.us.events.filter((e) => e.type === 'warning').map((e) => (e.type === 'warning' ? e.text : ''));
    expect(texts).toEqual(['fee too low', '0x00ff0a']);
    expect(raw.us.core.state).toBe('ready');
  });

  it('a channel error is surfaced and the connection stays; an all-channels error closes it', () => {
    const raw = ready();
    const cid = new Uint8Array(32).fill(7);
    raw.send({ type: 'error', channel_id: cid, data: new TextEncoder().encode('bad sig') });
    const e1 = raw.us.events.find((e) => e.type === 'error');
    expect(e1).toMatchObject({ type: 'error', allChannels: false, text: 'bad sig' });
    expect(raw.us.core.state).toBe('ready');
    raw.send({ type: 'error', channel_id: new Uint8Array(32), data: new TextEncoder().encode('go away') });
    expect(raw.us.events.filter((e) => e.type === 'error').pop()).toMatchObject({ allChannels: true, text: 'go away' });
    closedWith(raw.us.closed, 'REMOTE_ERROR');
    expect(raw.us.closed!.message).toContain('go away');
  });

  it('unknown odd messages are ignored; unknown even ones close the connection', () => {
    const raw = ready();
    raw.send({ type: 'unknown', type_num: 32769, payload: Uint8Array.from([1, 2]) });
    expect(raw.us.core.state).toBe('ready');
    expect(raw.us.events.some((e) => e.type === 'diagnostic' && e.message.includes('32769'))).toBe(true);
    raw.send({ type: 'unknown', type_num: 32768, payload: new Uint8Array(0) });
    closedWith(raw.us.closed, 'UNKNOWN_EVEN_MESSAGE');
    expect(raw.received.map((m) => m.type)).toEqual(['warning']);
  });

  it('other messages go to the owner; sending works once ready', () => {
    const raw = ready();
    raw.send({ type: 'update_fee', channel_id: new Uint8Array(32).fill(2), feerate_per_kw: 253 });
    const m = raw.us.events.find((e) => e.type === 'message');
    expect(m && m.type === 'message' && m.message).toMatchObject({ type: 'update_fee', feerate_per_kw: 253 });
    raw.feed(raw.us.core.send({ type: 'stfu', channel_id: new Uint8Array(32), initiator: 1 }));
    expect(raw.received.map((x) => x.type)).toEqual(['stfu']);
  });

  it('a malformed known message: warning, then MALFORMED_MESSAGE', () => {
    const raw = ready();
    raw.sendRaw(Uint8Array.from([0, 134, 1, 2, 3])); // update_fee cut short
    closedWith(raw.us.closed, 'MALFORMED_MESSAGE');
    expect(raw.received.map((m) => m.type)).toEqual(['warning']);
  });

  it('a corrupted frame after the handshake: TRANSPORT_FAILED', () => {
    const raw = ready();
    const frame = raw.session.encrypt(Uint8Array.from([0, 19, 0, 0]));
    frame[5]! ^= 1;
    raw.toUs(frame);
    closedWith(raw.us.closed, 'TRANSPORT_FAILED');
    expect((raw.us.closed!.cause as NoiseError).code).toBe('BAD_MAC');
  });

  it('a stream cut mid-frame is TRANSPORT_FAILED, at a boundary CONNECTION_CLOSED', () => {
    const raw = ready();
    raw.toUs(raw.session.encrypt(Uint8Array.from([0, 19, 0, 0])).subarray(0, 7));
    raw.feed(raw.us.core.streamClosed('eof'));
    closedWith(raw.us.closed, 'TRANSPORT_FAILED');
    const clean = ready();
    clean.feed(clean.us.core.streamClosed('eof'));
    closedWith(clean.us.closed, 'CONNECTION_CLOSED');
  });

  it('disconnect() sends an optional warning and closes cleanly; later input is ignored', () => {
    const raw = ready();
    raw.feed(raw.us.core.disconnect('shutting down'));
    expect(raw.us.closed).toBeNull();
    expect(raw.received.map((m) => m.type)).toEqual(['warning']);
    expect(raw.us.core.receive(new Uint8Array(10), 0)).toEqual([]);
    expect(raw.us.core.tick(1e12)).toEqual([]);
    expect(() => raw.us.core.send({ type: 'stfu', channel_id: new Uint8Array(32), initiator: 0 })).toThrow(PeerError);
  });

  it('bytes after a closing message are not acted on', () => {
    const raw = ready();
    const a = raw.session.encrypt(Uint8Array.from([0, 32])); // unknown even type 32? no: open_channel, malformed
    const b = raw.session.encrypt(Uint8Array.from([0, 18, 0, 4, 0, 0])); // ping
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    raw.toUs(both);
    closedWith(raw.us.closed, 'MALFORMED_MESSAGE');
    expect(raw.received.map((m) => m.type)).toEqual(['warning']); // no pong for the ping
  });

  it('rejects a config without the remote node id or with a bad key', () => {
    expect(() => new PeerCore(config('initiator', generateSecret()), 0)).toThrow(PeerError);
    expect(() => new PeerCore(config('responder', new Uint8Array(32)), 0)).toThrow(PeerError);
  });
});
