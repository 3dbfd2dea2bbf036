import { describe, expect, it } from 'vitest';
import { NetError, formatNetAddress, isIPv6, parseHostPort, parsePeerAddress, type PeerAddressInput } from '../../../src/net/index.js';

const ID = '02' + '11'.repeat(32);

function bad(input: PeerAddressInput): void {
  expect(() => parsePeerAddress(input)).toThrow(NetError);
}

describe('peer address parsing', () => {
  it('id@ipv4:port, hostname, default port 9735', () => {
    expect(parsePeerAddress(`${ID}@127.0.0.1:19735`)).toEqual({ id: ID, address: { kind: 'hostport', host: '127.0.0.1', port: 19735 } });
    expect(parsePeerAddress(`${ID}@node.example.com`)).toEqual({ id: ID, address: { kind: 'hostport', host: 'node.example.com', port: 9735 } });
    expect(parsePeerAddress(`${ID.toUpperCase().replace('02', '02')}@Example.COM:1`).address).toEqual({ kind: 'hostport', host: 'example.com', port: 1 });
    expect(parsePeerAddress(`${ID.toUpperCase()}@h:2`).id).toBe(ID);
  });

  it('[IPv6]:port, [IPv6], bare IPv6', () => {
    expect(parsePeerAddress(`${ID}@[::1]:9736`).address).toEqual({ kind: 'hostport', host: '::1', port: 9736 });
    expect(parsePeerAddress(`${ID}@[2001:db8::7]`).address).toEqual({ kind: 'hostport', host: '2001:db8::7', port: 9735 });
    expect(parsePeerAddress(`${ID}@2001:db8::7`).address).toEqual({ kind: 'hostport', host: '2001:db8::7', port: 9735 });
    expect(formatNetAddress(parsePeerAddress(`${ID}@[::1]:9736`).address)).toBe('[::1]:9736');
  });

  it('ws:// and wss:// URLs and objects', () => {
    expect(parsePeerAddress(`${ID}@ws://127.0.0.1:9736`).address).toEqual({ kind: 'url', url: 'ws://127.0.0.1:9736/' });
    expect(parsePeerAddress({ id: ID, url: 'wss://proxy.example/v1/1_2_3_4/9735' }).address).toEqual({ kind: 'url', url: 'wss://proxy.example/v1/1_2_3_4/9735' });
    expect(parsePeerAddress({ id: ID, host: '10.0.0.1', port: 9 }).address).toEqual({ kind: 'hostport', host: '10.0.0.1', port: 9 });
    expect(parsePeerAddress({ id: ID, host: '10.0.0.1' }).address).toEqual({ kind: 'hostport', host: '10.0.0.1', port: 9735 });
  });

  it('rejects malformed input with NetError BAD_ADDRESS', () => {
    bad('127.0.0.1:9735');
    bad(`${ID.slice(2)}@host`);
    bad(`04${ID.slice(2)}@host`);
    bad(`${ID}@`);
    bad(`${ID}@host:0`);
    bad(`${ID}@host:65536`);
    bad(`${ID}@host:12x`);
    bad(`${ID}@[::1`);
    bad(`${ID}@[::1]x`);
    bad(`${ID}@[nothex]:1`);
    bad(`${ID}@bad host`);
    bad(`${ID}@1:2:3`);
    bad({ id: ID, url: 'http://x' });
    bad({ id: ID, url: 'not a url' });
    bad({ id: ID });
    bad({ id: ID, host: 'h:1', port: 2 });
    bad({ id: ID, host: 'h', port: 70000 });
    bad({ id: 5 } as unknown as PeerAddressInput);
    bad(null as unknown as PeerAddressInput);
    try {
      parsePeerAddress('x');
    } catch (e) {
      expect((e as NetError).code).toBe('BAD_ADDRESS');
    }
  });

  it('IPv6 validation', () => {
    for (const ok of ['::', '::1', '1:2:3:4:5:6:7:8', 'fe80::1', '::ffff:1.2.3.4', '2001:db8::']) expect(isIPv6(ok)).toBe(true);
    for (const no of ['1:2', ':::', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '::1.2.3']) expect(isIPv6(no)).toBe(false);
    expect(parseHostPort('1.2.3.4')).toEqual({ host: '1.2.3.4', port: 9735 });
  });
});
