import { describe, expect, it } from 'vitest';
import { parseProxyPath, proxyUrl, routeFor } from '../../../src/net/index.js';

describe('proxy URL dialects', () => {
  const v4 = { host: '127.0.0.1', port: 9735 };
  const v6 = { host: '2001:db8::1', port: 9736 };
  const name = { host: 'node.example.com', port: 9735 };

  it('host:port path (lnsocket style)', () => {
    expect(proxyUrl({ url: 'wss://proxy.example', dialect: 'hostport' }, v4)).toBe('wss://proxy.example/127.0.0.1:9735');
    expect(proxyUrl({ url: 'wss://proxy.example/', dialect: 'hostport' }, v6)).toBe('wss://proxy.example/[2001:db8::1]:9736');
    expect(proxyUrl({ url: 'ws://p:8080/relay/?token=abc', dialect: 'hostport' }, name)).toBe('ws://p:8080/relay/node.example.com:9735?token=abc');
  });

  it('/v1/<host>/<port> (Mutiny), with optional IPv4 underscores', () => {
    expect(proxyUrl({ url: 'wss://p.example', dialect: 'v1' }, v4)).toBe('wss://p.example/v1/127.0.0.1/9735');
    expect(proxyUrl({ url: 'wss://p.example', dialect: 'v1', underscoreIpv4: true }, v4)).toBe('wss://p.example/v1/127_0_0_1/9735');
    expect(proxyUrl({ url: 'wss://p.example', dialect: 'v1', underscoreIpv4: true }, name)).toBe('wss://p.example/v1/node.example.com/9735');
    expect(proxyUrl({ url: 'wss://p.example', dialect: 'v1' }, v6)).toBe('wss://p.example/v1/[2001:db8::1]/9736');
  });

  it('rejects a non-WebSocket proxy base', () => {
    expect(() => proxyUrl({ url: 'https://p.example', dialect: 'v1' }, v4)).toThrow(/ws/);
  });

  it('server side: both dialects parse back, underscores accepted', () => {
    expect(parseProxyPath('/127.0.0.1:9735')).toEqual(v4);
    expect(parseProxyPath('/[2001:db8::1]:9736')).toEqual(v6);
    expect(parseProxyPath('/v1/127_0_0_1/9735')).toEqual(v4);
    expect(parseProxyPath('/v1/127.0.0.1/9735')).toEqual(v4);
    expect(parseProxyPath('/v1/node.example.com/9735/')).toEqual(name);
    expect(parseProxyPath('/v1/[2001:db8::1]/9736')).toEqual(v6);
    expect(parseProxyPath('/v1/2001:db8::1/9736')).toEqual(v6);
    for (const p of ['/', '/host', '/v1/host', '/v1/a/b/c', '/h:0', '/h:99999', '/%zz', '/a/b:1', '/v1/bad host/1']) expect(parseProxyPath(p)).toBeNull();
  });

  it('routing: URL as is, proxy for host:port, TCP when available, else ws://host:port', () => {
    const hp = { kind: 'hostport' as const, ...v4 };
    expect(routeFor({ kind: 'url', url: 'ws://x/' })).toEqual({ kind: 'websocket', url: 'ws://x/' });
    expect(routeFor(hp, { proxy: { url: 'wss://p', dialect: 'v1' }, tcp: true })).toEqual({ kind: 'websocket', url: 'wss://p/v1/127.0.0.1/9735' });
    expect(routeFor(hp, { tcp: true })).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9735 });
    expect(routeFor(hp)).toEqual({ kind: 'websocket', url: 'ws://127.0.0.1:9735' });
  });
});
