import { describe, expect, it } from 'vitest';
import { formatTarget, parseHostPort, parseTargetSegments, pathSegments, type Target } from '../../../src/proxy/target.js';

function seg(path: string): Target | null {
  const s = pathSegments(path);
  return s ? parseTargetSegments(s) : null;
}
const show = (t: Target | null): string | null => (t ? formatTarget(t) : null);

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:9735', '127.0.0.1:9735'],
    ['[::1]:9735', '[::1]:9735'],
    ['[2001:DB8:0::1]:9736', '[2001:db8::1]:9736'],
    ['Node.Example.COM.:9735', 'node.example.com:9735'],
    ['localhost:1', 'localhost:1'],
    ['a-b.c:65535', 'a-b.c:65535'],
  ])('%s → %s', (s, out) => expect(show(parseHostPort(s))).toBe(out));

  it.each([
    '::1:9735', // unbracketed IPv6 is ambiguous
    '127.0.0.1',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    '127.0.0.1:+1',
    'host:09735x',
    ':9735',
    'exa mple.com:9735',
    '-bad.com:9735',
    'under_score.com:9735',
    '2130706433:9735', // numeric host: libc would read it as an IPv4 number
    '0x7f000001:9735',
    '127.1:9735',
    'a..b:9735',
    '[127.0.0.1]:9735',
    `${'a'.repeat(64)}.com:9735`,
  ])('refuses %j', (s) => expect(parseHostPort(s)).toBeNull());

  it('marks IP literals so they are dialled without a lookup', () => {
    expect(parseHostPort('10.0.0.1:9735')!.ip?.version).toBe(4);
    expect(parseHostPort('[::1]:9735')!.ip?.version).toBe(6);
    expect(parseHostPort('example.com:9735')!.ip).toBeUndefined();
  });
});

describe('URL dialects', () => {
  it('lnsocket style /<host>:<port>', () => {
    expect(show(seg('/127.0.0.1:9735'))).toBe('127.0.0.1:9735');
    expect(show(seg('/[::1]:9735'))).toBe('[::1]:9735');
    expect(show(seg('/%5B::1%5D:9735'))).toBe('[::1]:9735');
    expect(show(seg('/node.example.com:9735/'))).toBe('node.example.com:9735');
  });
  it('Mutiny style /v1/<host>/<port>, with underscores for IPv4 dots', () => {
    expect(show(seg('/v1/127_0_0_1/9735'))).toBe('127.0.0.1:9735');
    expect(show(seg('/v1/127.0.0.1/9735'))).toBe('127.0.0.1:9735');
    expect(show(seg('/v1/node.example.com/9735'))).toBe('node.example.com:9735');
    expect(show(seg('/v1/[::1]/9735'))).toBe('[::1]:9735');
    expect(show(seg('/v1/::1/9735'))).toBe('[::1]:9735');
  });
  it.each(['/', '/v1/127_0_0_1', '/v1/1_2_3/9735', '/v1/300_0_0_1/9735', '/v1/host/port', '/a/b', '/x/127.0.0.1:9735', '/%zz:1', '/v2/127.0.0.1/9735'])(
    'refuses %j',
    (p) => expect(seg(p)).toBeNull(),
  );
});
