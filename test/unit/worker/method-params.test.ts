import { describe, expect, it } from 'vitest';
import { connectParams, decodeParams, orEmpty } from '../../../src/worker/method-params.js';
import { allowedReadOnly, readOnlyRefusal } from '../../../src/worker/read-only.js';

const ID = `02${'aa'.repeat(32)}`;

describe('client method → Core Lightning params', () => {
  it('connect({ id, url }) is connect with host = the WebSocket URL', () => {
    expect(connectParams({ id: ID, url: 'ws://127.0.0.1:9736' })).toEqual({ id: ID, host: 'ws://127.0.0.1:9736' });
    expect(connectParams({ id: ID, url: 'wss://proxy.example/v1/1_2_3_4/9735' })).toEqual({ id: ID, host: 'wss://proxy.example/v1/1_2_3_4/9735' });
  });

  it('a connect string is CLN’s own id form, passed as id', () => {
    expect(connectParams(`${ID}@127.0.0.1:9735`)).toEqual({ id: `${ID}@127.0.0.1:9735` });
  });

  it('decode(string) is decode { string }; params objects and arrays pass through', () => {
    expect(decodeParams('lnbcrt10n1…')).toEqual({ string: 'lnbcrt10n1…' });
    expect(decodeParams({ string: 'x' })).toEqual({ string: 'x' });
    expect(decodeParams(['x'])).toEqual(['x']);
  });

  it('no params means named and empty', () => {
    expect(orEmpty(undefined)).toEqual({});
    const positional = ['a', 1];
    expect(orEmpty(positional)).toBe(positional);
  });
});

describe('read-only view', () => {
  it('allows reads and refuses what would write, send or connect', () => {
    for (const m of ['getinfo', 'listsendpays', 'listpays', 'listinvoices', 'listpeers', 'listpeerchannels', 'decode']) expect(allowedReadOnly(m), m).toBe(true);
    for (const m of ['sendpay', 'delpay', 'connect', 'invoice', 'createonion', 'fundchannel', 'close', 'stop', 'waitsendpay']) expect(allowedReadOnly(m), m).toBe(false);
  });

  it('says why, naming the database', () => {
    const e = readOnlyRefusal('sendpay', 'wallet');
    expect(e.code).toBe(-1);
    expect(e.message).toMatch(/^sendpay is not available in a read-only view: database wallet is open in another tab/);
  });
});
