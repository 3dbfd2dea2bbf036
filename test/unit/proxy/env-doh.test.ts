import { describe, expect, it } from 'vitest';
import { addressesFromDnsJson, dohResolver } from '../../../src/proxy/doh.js';
import { configFromEnv } from '../../../src/proxy/env-config.js';
import { ProxyError } from '../../../src/proxy/errors.js';
import { formatTarget } from '../../../src/proxy/target.js';

describe('configFromEnv', () => {
  it('reads LW_PROXY_* variables', () => {
    const c = configFromEnv({
      LW_PROXY_ALLOW: 'a.example:9735, [::1]:9736',
      LW_PROXY_ALLOW_PUBLIC_LIGHTNING_PORTS: 'true',
      LW_PROXY_LIGHTNING_PORTS: '9735,19735',
      LW_PROXY_ALLOW_PRIVATE: '1',
      LW_PROXY_TOKEN: 't',
      LW_PROXY_ORIGINS: 'https://a.example,https://b.example',
      LW_PROXY_MAX_CONNS_PER_IP: '3',
      LW_PROXY_MAX_CONN_RATE_PER_IP: '20/min',
      LW_PROXY_IDLE_TIMEOUT: '90',
      LW_PROXY_TRUST_PROXY: 'yes',
      UNRELATED: 42,
    });
    expect(c.allow?.map(formatTarget)).toEqual(['a.example:9735', '[::1]:9736']);
    expect(c.allowPublicLightningPorts).toBe(true);
    expect(c.lightningPorts).toEqual([9735, 19735]);
    expect(c.allowPrivate).toBe(true);
    expect(c.allowLoopback).toBe(false);
    expect(c.token).toBe('t');
    expect(c.origins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.maxConnsPerIp).toBe(3);
    expect(c.maxConnRatePerIp).toEqual({ count: 20, windowMs: 60_000 });
    expect(c.idleTimeoutMs).toBe(90_000);
    expect(c.trustProxy).toBe(true);
    expect(c.logger).toBeUndefined();
  });
  it('fixed target and log level', () => {
    const lines: string[] = [];
    const c = configFromEnv({ LW_PROXY_TARGET: '127.0.0.1:9735', LW_PROXY_LOG_LEVEL: 'info' }, (l) => lines.push(l));
    expect(formatTarget(c.target!)).toBe('127.0.0.1:9735');
    c.logger!.log('info', 'x', { a: 1 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', event: 'x', a: 1 });
  });
  it.each([{ LW_PROXY_ALLOW: 'nohost' }, { LW_PROXY_LIGHTNING_PORTS: 'x' }, { LW_PROXY_MAX_CONNS_PER_IP: '-1' }, { LW_PROXY_LOG_LEVEL: 'loud' }])(
    'refuses %j',
    (env) => expect(() => configFromEnv(env)).toThrow(ProxyError),
  );
});

describe('DNS-over-HTTPS', () => {
  it('takes A and AAAA data, skips CNAMEs and malformed records', () => {
    expect(
      addressesFromDnsJson({
        Status: 0,
        Answer: [
          { name: 'x', type: 5, data: 'y.' },
          { name: 'y', type: 1, data: '203.0.113.5' },
          { name: 'y', type: 28, data: '2001:db8::5' },
          { type: 1, data: 7 },
          null,
        ],
      }),
    ).toEqual(['203.0.113.5', '2001:db8::5']);
    expect(addressesFromDnsJson({ Status: 3 })).toEqual([]);
    expect(addressesFromDnsJson('nonsense')).toEqual([]);
    expect(addressesFromDnsJson({ Status: 0, Answer: 'x' })).toEqual([]);
  });

  it('queries A and AAAA with the dns-json media type and merges them, IPv4 first', async () => {
    const urls: string[] = [];
    const resolver = dohResolver(async (url, init) => {
      urls.push(url);
      expect(init.headers.accept).toBe('application/dns-json');
      const type = new URL(url).searchParams.get('type');
      if (type === 'AAAA') throw new Error('network down'); // one failing query does not sink the other
      return { ok: true, json: async () => ({ Status: 0, Answer: [{ type: 1, data: '198.51.100.1' }] }) };
    }, 'https://doh.example/dns-query');
    expect(await resolver.resolve('node.example', new AbortController().signal)).toEqual(['198.51.100.1']);
    expect(urls.sort()).toEqual(['https://doh.example/dns-query?name=node.example&type=A', 'https://doh.example/dns-query?name=node.example&type=AAAA']);
  });
});
