import { describe, expect, it } from 'vitest';
import { HandshakeGate } from '../../../src/proxy/gate.js';

const act = (version: number, prefix: number, len = 50): Uint8Array => {
  const b = new Uint8Array(len).fill(0xab);
  b[0] = version;
  if (len > 1) b[1] = prefix;
  return b;
};
const actThree = (): Uint8Array => {
  const b = new Uint8Array(66).fill(0xcd);
  b[0] = 0;
  return b;
};

describe('HandshakeGate', () => {
  it('passes a well-formed handshake, split anywhere, then relays freely', () => {
    const g = new HandshakeGate();
    const one = act(0, 0x02);
    expect(g.fromClient(one.subarray(0, 1))).toBe('ok');
    expect(g.fromClient(one.subarray(1, 7))).toBe('ok');
    expect(g.fromClient(one.subarray(7))).toBe('ok');
    expect(g.actOneDone).toBe(true);
    const two = act(0, 0x03);
    expect(g.fromServer(two.subarray(0, 30))).toBe('ok');
    expect(g.actTwoDone).toBe(false);
    expect(g.fromServer(two.subarray(30))).toBe('ok');
    expect(g.actTwoDone).toBe(true);
    // act three and the first message in one chunk, as initiators send them
    const three = new Uint8Array(66 + 200);
    three.set(actThree());
    expect(g.fromClient(three)).toBe('ok');
    expect(g.complete).toBe(true);
    expect(g.fromServer(new Uint8Array(100_000).fill(7))).toBe('ok');
    expect(g.fromClient(new Uint8Array(100_000).fill(9))).toBe('ok');
  });

  it.each([
    [act(1, 0x02), 'bad version'],
    [act(0, 0x04), 'bad point prefix'],
    [new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'HTTP'],
    [new Uint8Array([0x16, 0x03, 0x01, 0x02, 0x00]), 'TLS client hello'],
  ])('refuses a client act one with a %s', (first) => {
    expect(new HandshakeGate().fromClient(first)).toBe('violation');
  });

  it('refuses client bytes beyond act one before act two was relayed', () => {
    const g = new HandshakeGate();
    expect(g.fromClient(act(0, 0x02, 51))).toBe('violation');
  });

  it('refuses a bad act three version', () => {
    const g = new HandshakeGate();
    g.fromClient(act(0, 0x02));
    g.fromServer(act(0, 0x02));
    const bad = actThree();
    bad[0] = 1;
    expect(g.fromClient(bad)).toBe('violation');
  });

  it('refuses a server that speaks first, answers the wrong shape or says more than act two', () => {
    expect(new HandshakeGate().fromServer(act(0, 0x02))).toBe('violation');
    const g1 = new HandshakeGate();
    g1.fromClient(act(0, 0x02));
    expect(g1.fromServer(new TextEncoder().encode('SSH-2.0-OpenSSH_9.2\r\n'))).toBe('violation');
    const g2 = new HandshakeGate();
    g2.fromClient(act(0, 0x02));
    expect(g2.fromServer(act(0, 0x02, 51))).toBe('violation');
    const g3 = new HandshakeGate();
    g3.fromClient(act(0, 0x02));
    expect(g3.fromServer(act(0, 0x05))).toBe('violation');
  });
});
