import { describe, expect, it } from 'vitest';
import { parseProxyArgs, proxyCommand } from '../../../src/cli/proxy.js';
import { parseRate } from '../../../src/proxy/env-config.js';
import { ProxyError } from '../../../src/proxy/errors.js';
import { formatTarget } from '../../../src/proxy/target.js';

describe('parseRate', () => {
  it.each([
    ['30', 30, 60_000],
    ['30/min', 30, 60_000],
    ['5/s', 5, 1000],
    ['100/h', 100, 3_600_000],
    ['10/5min', 10, 300_000],
  ])('%s', (s, count, windowMs) => expect(parseRate(s)).toEqual({ count, windowMs }));
  it.each(['0', '-1', '3/', '3/day', 'x', '3/0s'])('refuses %j', (s) => expect(() => parseRate(s)).toThrow(ProxyError));
});

describe('parseProxyArgs', () => {
  it('maps every flag', () => {
    const o = parseProxyArgs([
      '--listen', '0.0.0.0:0',
      '--allow', 'node.example:9735', '--allow', '[::1]:9736',
      '--allow-public-lightning-ports', '--lightning-port', '19735',
      '--allow-loopback', '--allow-private',
      '--token', 'abc',
      '--origin', 'https://a.example', '--origin', 'https://b.example',
      '--max-conns-per-ip', '4', '--max-conn-rate-per-ip', '10/min',
      '--idle-timeout', '90', '--trust-proxy',
    ]);
    if (o === 'help') throw new Error('unexpected help');
    expect(o.host).toBe('0.0.0.0');
    expect(o.port).toBe(0);
    expect(o.allow?.map(formatTarget)).toEqual(['node.example:9735', '[::1]:9736']);
    expect(o.allowPublicLightningPorts).toBe(true);
    expect(o.lightningPorts).toEqual([9735, 19735]);
    expect(o.allowLoopback && o.allowPrivate && o.trustProxy).toBe(true);
    expect(o.token).toBe('abc');
    expect(o.origins).toEqual(['https://a.example', 'https://b.example']);
    expect(o.maxConnsPerIp).toBe(4);
    expect(o.maxConnRatePerIp).toEqual({ count: 10, windowMs: 60_000 });
    expect(o.idleTimeoutMs).toBe(90_000);
    expect(o.logger).toBeUndefined(); // quiet by default
  });
  it('defaults: loopback listener on 9736, nothing private allowed', () => {
    const o = parseProxyArgs(['--target', '127.0.0.1:9735']);
    if (o === 'help') throw new Error('unexpected help');
    expect([o.host, o.port]).toEqual(['127.0.0.1', 9736]);
    expect(formatTarget(o.target!)).toBe('127.0.0.1:9735');
    expect(o.allowLoopback).toBe(false);
  });
  it('takes the token from LW_PROXY_TOKEN', () => {
    const o = parseProxyArgs(['--target', '127.0.0.1:9735'], { LW_PROXY_TOKEN: 'envtok' });
    expect(o !== 'help' && o.token).toBe('envtok');
  });
  it.each([
    ['--listen', '127.0.0.1'],
    ['--listen', '::1:80'],
    ['--allow', 'nohost'],
    ['--target', '[::1]'],
    ['--max-conns-per-ip', '0'],
    ['--idle-timeout', '1.5'],
    ['--lightning-port', '70000'],
    ['--log-level', 'chatty'],
    ['--bogus'],
    ['positional'],
  ])('refuses %j', (...args) => expect(() => parseProxyArgs(args)).toThrow(ProxyError));
  it('--help', () => expect(parseProxyArgs(['--help'])).toBe('help'));
});

describe('proxyCommand usage errors', () => {
  it('exits 2 with a message for bad flags and for a configuration allowing nothing', async () => {
    const err: string[] = [];
    expect(await proxyCommand(['--nope'], { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
    expect(err[0]).toMatch(/^lightning-worker proxy: /);
    err.length = 0;
    expect(await proxyCommand(['--listen', '127.0.0.1:0'], { out: () => undefined, err: (l) => err.push(l), env: {} })).toBe(2);
    expect(err[0]).toMatch(/no destination allowed/);
  });
  it('prints usage for --help', async () => {
    const out: string[] = [];
    expect(await proxyCommand(['--help'], { out: (l) => out.push(l) })).toBe(0);
    expect(out[0]).toMatch(/^usage: lightning-worker proxy/);
  });
});
