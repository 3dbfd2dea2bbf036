import { describe, expect, it } from 'vitest';
import { planConnection, isDialect } from '../../../web/peer-input.js';
import { demoPeerAddress, type DemoConfig } from '../../../web/config.js';

const ID = `02${'11'.repeat(32)}`;

describe('planConnection', () => {
  it('dials host:port directly as ws://host:port', () => {
    expect(planConnection({ address: `${ID}@127.0.0.1:9736`, dialect: 'direct', proxyUrl: '' })).toEqual({ ok: true, target: { id: ID, url: 'ws://127.0.0.1:9736' } });
    expect(planConnection({ address: `  ${ID.toUpperCase()}@[::1]:9736 `, dialect: 'direct', proxyUrl: '' })).toEqual({ ok: true, target: { id: ID, url: 'ws://[::1]:9736' } });
  });

  it('uses a ws(s) URL as it is', () => {
    expect(planConnection({ address: `${ID}@wss://node.example/ln`, dialect: 'direct', proxyUrl: '' })).toEqual({ ok: true, target: { id: ID, url: 'wss://node.example/ln' } });
    expect(planConnection({ address: `${ID}@ws://127.0.0.1:1`, dialect: 'v1', proxyUrl: 'wss://p.example' })).toEqual({
      ok: true,
      target: { id: ID, url: 'ws://127.0.0.1:1/' },
      note: 'A ws:// URL is dialled as it is; the proxy is not used.',
    });
  });

  it('builds both proxy dialects, keeping the proxy path and query', () => {
    expect(planConnection({ address: `${ID}@10.0.0.5:9735`, dialect: 'hostport', proxyUrl: 'wss://proxy.example' })).toEqual({
      ok: true,
      target: { id: ID, url: 'wss://proxy.example/10.0.0.5:9735' },
    });
    expect(planConnection({ address: `${ID}@node.example`, dialect: 'v1', proxyUrl: 'wss://proxy.example/relay/?token=x' })).toEqual({
      ok: true,
      target: { id: ID, url: 'wss://proxy.example/relay/v1/node.example/9735?token=x' },
    });
  });

  it('explains what is wrong', () => {
    expect(planConnection({ address: '', dialect: 'direct', proxyUrl: '' })).toEqual({ ok: false, reason: "Enter the peer's address as <node id>@<host>:<port> or <node id>@ws://…" });
    expect(planConnection({ address: '127.0.0.1:9735', dialect: 'direct', proxyUrl: '' })).toMatchObject({ ok: false, reason: expect.stringMatching(/expected <node id>@<host>/) });
    expect(planConnection({ address: '02abc@127.0.0.1:9735', dialect: 'direct', proxyUrl: '' })).toMatchObject({ ok: false, reason: expect.stringMatching(/node id must be 33 bytes/) });
    expect(planConnection({ address: `${ID}@127.0.0.1:99999`, dialect: 'direct', proxyUrl: '' })).toMatchObject({ ok: false, reason: expect.stringMatching(/port out of range/) });
    expect(planConnection({ address: `${ID}@127.0.0.1:9735`, dialect: 'hostport', proxyUrl: ' ' })).toEqual({ ok: false, reason: "Enter the proxy's base URL (ws:// or wss://)." });
    expect(planConnection({ address: `${ID}@127.0.0.1:9735`, dialect: 'hostport', proxyUrl: 'https://proxy' })).toMatchObject({ ok: false, reason: expect.stringMatching(/ws:\/\/ or wss:\/\//) });
  });

  it('knows the dialects', () => {
    expect(['direct', 'hostport', 'v1', 'v2'].map(isDialect)).toEqual([true, true, true, false]);
  });
});

describe('demoPeerAddress', () => {
  const cfg: DemoConfig = { network: 'regtest', hub: { id: ID, ws_url: 'ws://127.0.0.1:4001/', tcp: '127.0.0.1:4000' } };
  it('offers the hub on its WebSocket port directly and its TCP port through a proxy', () => {
    expect(demoPeerAddress(cfg, 'direct')).toBe(`${ID}@ws://127.0.0.1:4001/`);
    expect(demoPeerAddress(cfg, 'hostport')).toBe(`${ID}@127.0.0.1:4000`);
    expect(demoPeerAddress(cfg, 'v1')).toBe(`${ID}@127.0.0.1:4000`);
    expect(demoPeerAddress({ network: 'regtest' }, 'direct')).toBeUndefined();
  });
});
