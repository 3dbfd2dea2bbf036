import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../../src/proxy/close-codes.js';
import { resolveConfig, type ProxyConfigInput } from '../../../src/proxy/config.js';
import { ProxyError } from '../../../src/proxy/errors.js';
import { chooseAddresses } from '../../../src/proxy/policy.js';
import { admit, type UpgradeRequest } from '../../../src/proxy/request.js';
import { formatTarget, parseHostPort } from '../../../src/proxy/target.js';

const hp = (s: string) => parseHostPort(s)!;
const cfg = (c: ProxyConfigInput) => resolveConfig(c);
function target(c: ProxyConfigInput, req: UpgradeRequest): string | number {
  const a = admit(cfg(c), req);
  return a.ok ? formatTarget(a.target) : a.close.code;
}

describe('admit: allowlist', () => {
  it('admits an exact allowlisted host:port in both dialects and refuses others', () => {
    const c = { allow: [hp('node.example.com:9735'), hp('[2001:db8::1]:9736')] };
    expect(target(c, { url: '/node.example.com:9735' })).toBe('node.example.com:9735');
    expect(target(c, { url: '/v1/NODE.example.com/9735' })).toBe('node.example.com:9735');
    expect(target(c, { url: '/[2001:db8:0:0::1]:9736' })).toBe('[2001:db8::1]:9736');
    expect(target(c, { url: '/node.example.com:9736' })).toBe(CLOSE.DESTINATION_NOT_ALLOWED.code);
    expect(target(c, { url: '/other.example.com:9735' })).toBe(CLOSE.DESTINATION_NOT_ALLOWED.code);
  });
  it('public Lightning ports: 9735 and the configured extra ports only', () => {
    const c = { allowPublicLightningPorts: true, lightningPorts: [9735, 19735] };
    expect(target(c, { url: '/a.example:9735' })).toBe('a.example:9735');
    expect(target(c, { url: '/a.example:19735' })).toBe('a.example:19735');
    expect(target(c, { url: '/a.example:22' })).toBe(CLOSE.DESTINATION_NOT_ALLOWED.code);
    expect(target({ allowPublicLightningPorts: true }, { url: '/1.2.3.4:9735' })).toBe('1.2.3.4:9735');
  });
  it('bad paths are 4000', () => {
    const c = { allowPublicLightningPorts: true };
    for (const url of ['/', '/nothing', '/v1/x', '/%E0%A4%A:9735', '/a:b:c']) expect(target(c, { url })).toBe(CLOSE.BAD_TARGET.code);
  });
  it('fixed-target mode ignores the path', () => {
    const c = { target: hp('127.0.0.1:9735') };
    expect(target(c, { url: '/' })).toBe('127.0.0.1:9735');
    expect(target(c, { url: '/whatever/else?x=1' })).toBe('127.0.0.1:9735');
  });
});

describe('admit: token and Origin', () => {
  const c = { allowPublicLightningPorts: true, token: 's3cret' };
  it('accepts the token as a query parameter, a first path segment or a bearer header', () => {
    expect(target(c, { url: '/h.example:9735?token=s3cret' })).toBe('h.example:9735');
    expect(target(c, { url: '/s3cret/h.example:9735' })).toBe('h.example:9735');
    expect(target(c, { url: '/s3cret/v1/h.example/9735' })).toBe('h.example:9735');
    expect(target(c, { url: '/h.example:9735', authorization: 'Bearer s3cret' })).toBe('h.example:9735');
  });
  it('refuses a missing or wrong token with 4001, before looking at the target', () => {
    expect(target(c, { url: '/h.example:9735' })).toBe(CLOSE.UNAUTHORIZED.code);
    expect(target(c, { url: '/h.example:9735?token=s3cre' })).toBe(CLOSE.UNAUTHORIZED.code);
    expect(target(c, { url: '/s3cretx/h.example:9735' })).toBe(CLOSE.UNAUTHORIZED.code);
    expect(target(c, { url: '/garbage' })).toBe(CLOSE.UNAUTHORIZED.code);
    expect(target(c, { url: '/h.example:9735', authorization: 'Basic s3cret' })).toBe(CLOSE.UNAUTHORIZED.code);
  });
  it('token in fixed-target mode', () => {
    const f = { target: hp('127.0.0.1:9735'), token: 't' };
    expect(target(f, { url: '/t' })).toBe('127.0.0.1:9735');
    expect(target(f, { url: '/?token=t' })).toBe('127.0.0.1:9735');
    expect(target(f, { url: '/' })).toBe(CLOSE.UNAUTHORIZED.code);
  });
  it('Origin allowlist: listed origins and requests without Origin pass', () => {
    const o = { allowPublicLightningPorts: true, origins: ['https://wallet.example'] };
    expect(target(o, { url: '/h.example:9735', origin: 'https://wallet.example' })).toBe('h.example:9735');
    expect(target(o, { url: '/h.example:9735', origin: 'HTTPS://Wallet.Example/' })).toBe('h.example:9735');
    expect(target(o, { url: '/h.example:9735' })).toBe('h.example:9735');
    expect(target(o, { url: '/h.example:9735', origin: 'https://evil.example' })).toBe(CLOSE.ORIGIN_NOT_ALLOWED.code);
  });
});

describe('chooseAddresses', () => {
  const pub = { allowLoopback: false, allowPrivate: false };
  it('keeps only dialable addresses, in resolver order', () => {
    const r = chooseAddresses(pub, ['10.0.0.1', '1.1.1.1', '::1', '2606:4700::1']);
    expect(r.ok && r.addresses.map((a) => a.version)).toEqual([4, 6]);
  });
  it('4004 when every address is refused, 4005 when there is none', () => {
    expect(chooseAddresses(pub, ['127.0.0.1', '::1'])).toEqual({ ok: false, close: CLOSE.ADDRESS_NOT_ALLOWED });
    expect(chooseAddresses(pub, ['10.1.2.3'])).toEqual({ ok: false, close: CLOSE.ADDRESS_NOT_ALLOWED });
    expect(chooseAddresses(pub, [])).toEqual({ ok: false, close: CLOSE.HOST_NOT_FOUND });
    expect(chooseAddresses(pub, ['not-an-ip'])).toEqual({ ok: false, close: CLOSE.HOST_NOT_FOUND });
  });
  it('flags open loopback and private ranges, never metadata, mapped or multicast', () => {
    expect(chooseAddresses({ allowLoopback: true, allowPrivate: false }, ['127.0.0.1']).ok).toBe(true);
    expect(chooseAddresses({ allowLoopback: true, allowPrivate: false }, ['10.0.0.1']).ok).toBe(false);
    const all = { allowLoopback: true, allowPrivate: true };
    for (const a of ['10.0.0.1', '192.168.0.1', '100.64.1.1', 'fd00::1', 'fe80::1', '169.254.0.5']) expect(chooseAddresses(all, [a]).ok).toBe(true);
    for (const a of ['169.254.169.254', 'fd00:ec2::254', '::ffff:127.0.0.1', '224.0.0.1', '0.0.0.0', '::', '255.255.255.255', '192.0.2.1']) {
      expect(chooseAddresses(all, [a])).toEqual({ ok: false, close: CLOSE.ADDRESS_NOT_ALLOWED });
    }
  });
});

describe('resolveConfig', () => {
  it('refuses a configuration that allows no destination', () => {
    expect(() => resolveConfig({})).toThrow(ProxyError);
  });
  it('fills defaults (idle above the client ping interval, caps on)', () => {
    const c = resolveConfig({ allowPublicLightningPorts: true });
    expect(c.idleTimeoutMs).toBeGreaterThan(60_000);
    expect(c.lightningPorts).toEqual([9735]);
    expect(c.allowLoopback).toBe(false);
    expect(c.maxConnsPerIp).toBeGreaterThan(0);
  });
  it('rejects nonsense numbers', () => {
    expect(() => resolveConfig({ allowPublicLightningPorts: true, maxConnsPerIp: 0 })).toThrow(ProxyError);
    expect(() => resolveConfig({ allowPublicLightningPorts: true, idleTimeoutMs: Number.NaN })).toThrow(ProxyError);
    expect(() => resolveConfig({ allowPublicLightningPorts: true, token: '' })).toThrow(ProxyError);
  });
});
