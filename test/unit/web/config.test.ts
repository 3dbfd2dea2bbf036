import { describe, expect, it } from 'vitest';
import { ConfigError, loadDemoConfig, parseDemoConfig, settingsFromConfig, startOptions } from '../../../web/config.js';

const HUB = `02${'aa'.repeat(32)}`;
const SHOP = `03${'bb'.repeat(32)}`;
const DEMO = {
  network: 'regtest',
  chain: { static: 110 },
  hub: { id: HUB, ws_url: 'ws://127.0.0.1:4001', tcp: '127.0.0.1:4000' },
  shop: { id: SHOP },
  proxy: { url: 'ws://127.0.0.1:4002' },
};

describe('parseDemoConfig', () => {
  it('reads the demo server config', () => {
    expect(parseDemoConfig(DEMO)).toEqual({
      network: 'regtest',
      chain: { static: 110 },
      hub: { id: HUB, ws_url: 'ws://127.0.0.1:4001/', tcp: '127.0.0.1:4000' },
      shop: { id: SHOP },
      proxy: { url: 'ws://127.0.0.1:4002/' },
    });
    expect(parseDemoConfig({ network: 'signet', chain: { esplora: 'https://mempool.space/signet/api' } })).toEqual({ network: 'signet', chain: { esplora: 'https://mempool.space/signet/api' } });
  });

  it('names the first bad field', () => {
    const bad = (v: unknown): string => {
      try {
        parseDemoConfig(v);
      } catch (e) {
        if (e instanceof ConfigError) return e.message;
        throw e;
      }
      throw new Error('accepted');
    };
    expect(bad([])).toBe('the config is not a JSON object');
    expect(bad({ ...DEMO, network: 'mainnet' })).toMatch(/^network must be one of/);
    expect(bad({ ...DEMO, chain: { static: -1 } })).toMatch(/^chain must be/);
    expect(bad({ ...DEMO, hub: { ...DEMO.hub, id: '04' + 'aa'.repeat(32) } })).toMatch(/^hub\.id is not a node id/);
    expect(bad({ ...DEMO, hub: { ...DEMO.hub, ws_url: 'http://x' } })).toBe('hub.ws_url must be a ws:// or wss:// URL');
    expect(bad({ ...DEMO, hub: { ...DEMO.hub, tcp: 'x:y' } })).toBe('hub.tcp must be host:port');
    expect(bad({ ...DEMO, shop: 'x' })).toBe('shop must be an object');
    expect(bad({ ...DEMO, proxy: { url: 7 } })).toBe('proxy.url must be a ws:// or wss:// URL');
  });

  it('starts the Worker as the demo asks: db "demo", static chain, zero-conf from the hub', () => {
    expect(startOptions(settingsFromConfig(parseDemoConfig(DEMO)))).toEqual({ network: 'regtest', dbName: 'demo', chain: { static: 110 }, zeroconfFrom: [HUB] });
    expect(startOptions(settingsFromConfig(parseDemoConfig({ network: 'regtest' })))).toEqual({ network: 'regtest', dbName: 'demo', zeroconfFrom: [] });
  });
});

describe('loadDemoConfig', () => {
  const respond = (status: number, body: string): typeof fetch => () => Promise.resolve(new Response(body, { status }));
  it('is undefined when the page is not served by the demo server', async () => {
    expect(await loadDemoConfig(respond(404, 'not found'))).toBeUndefined();
    expect(await loadDemoConfig(respond(200, '<!doctype html>'))).toBeUndefined();
    expect(await loadDemoConfig(() => Promise.reject(new TypeError('offline')))).toBeUndefined();
  });
  it('parses and validates the served config', async () => {
    expect(await loadDemoConfig(respond(200, JSON.stringify(DEMO)))).toMatchObject({ network: 'regtest', hub: { id: HUB } });
    await expect(loadDemoConfig(respond(200, '{"network":"x"}'))).rejects.toThrow(ConfigError);
  });
});
