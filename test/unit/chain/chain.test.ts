// The chain sources against local HTTP servers that speak the Esplora REST API and bitcoind's
// JSON-RPC (there is no bitcoind or Esplora here; the HTTP exchange and parsing are real).
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LightningError } from '../../../src/errors.js';
import { BitcoindChain, ChainError, btcToSat, EsploraChain, StaticChain, createChainSource, formatBtc, parseChainFlag } from '../../../src/chain/index.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

// BOLT 3 Appendix B funding tx and its txid.
const FUNDING_TX =
  '0200000001adbb20ea41a8423ea937e76e8151636bf6093b70eaff942930d20576600521fd000000006b48304502210090587b6201e166ad6af0227d3036a9454223d49a1f11839c1a362184340ef0240220577f7cd5cca78719405cbf1de7414ac027f0239ef6e214c90fcaab0454d84b3b012103535b32d5eb0a6ed0982a0479bbadc9868d9836f6ba94dd5a63be16d875069184ffffffff028096980000000000220020c015c4a6be010e21657068fc2e6a9d02b27ebe4d490a25846f7237f104d1a3cd20256d29010000001600143ca33c2e4446f4a305f23c80df8ad1afdcf652f900000000';
const FUNDING_TXID = '8984484a580b825b9972d7adb15050b3ab624ccd731946b3eeddb92f4e7ef6be';

describe('parseChainFlag / createChainSource', () => {
  it('parses the three forms', () => {
    expect(parseChainFlag('static')).toEqual({ static: true });
    expect(parseChainFlag('static:123')).toEqual({ static: 123 });
    expect(parseChainFlag('esplora:https://x/api')).toEqual({ esplora: 'https://x/api' });
    expect(parseChainFlag('bitcoind:http://u:p@127.0.0.1:18443')).toEqual({ bitcoind: 'http://u:p@127.0.0.1:18443' });
  });
  it('rejects bad values with a clear error', () => {
    for (const bad of ['', 'electrum:x', 'static:abc', 'esplora:ftp://x', 'bitcoind:']) {
      expect(() => parseChainFlag(bad)).toThrow(ChainError);
    }
  });
  it('refuses the static chain outside regtest', () => {
    expect(() => createChainSource({ static: true }, 'bitcoin')).toThrow(/only allowed on regtest/);
    expect(createChainSource({ static: 7 }, 'regtest').kind).toBe('static');
  });
});

describe('StaticChain', () => {
  it('has a settable height, announces it, and never confirms', async () => {
    const c = new StaticChain({ height: 100 });
    const seen: number[] = [];
    c.onBlock((h) => seen.push(h));
    c.setHeight(101);
    c.setHeight(101);
    expect(await c.tipHeight()).toBe(101);
    expect(seen).toEqual([101]);
    const txid = await c.broadcast(FUNDING_TX);
    expect(txid).toBe(FUNDING_TXID);
    expect(await c.txStatus(txid)).toEqual({ confirmations: 0 });
    expect(await c.txOutput(txid, 0)).toEqual({ scriptPubKeyHex: '0020c015c4a6be010e21657068fc2e6a9d02b27ebe4d490a25846f7237f104d1a3cd', valueSat: 10_000_000n });
    await expect(c.broadcast('0100000000000000000000')).rejects.toThrow(LightningError);
    expect(await c.txStatus('00'.repeat(32))).toEqual({ confirmations: null });
  });
});

describe('EsploraChain', () => {
  it('reads tip, confirmations with block index, fee estimates and broadcasts', async () => {
    const posted: string[] = [];
    const url = await serve((req, body, res) => {
      const bh = 'b1'.repeat(32);
      const routes: Record<string, () => string> = {
        'GET /blocks/tip/height': () => '810',
        'GET /tx/aa/status': () => JSON.stringify({ confirmed: true, block_height: 800, block_hash: bh }),
        'GET /tx/bb/status': () => JSON.stringify({ confirmed: false }),
        'GET /block-height/800': () => bh,
        [`GET /block/${bh}/txids`]: () => JSON.stringify(['x', 'aa']),
        'GET /fee-estimates': () => JSON.stringify({ '1': 20.5, '6': 10, '144': 1 }),
        'GET /tx/aa': () => JSON.stringify({ vout: [{ scriptpubkey: '0020' + '11'.repeat(32), value: 1000000 }] }),
        'POST /tx': () => {
          posted.push(body);
          return FUNDING_TXID;
        },
      };
      const h = routes[`${req.method} ${req.url}`];
      if (!h) {
        res.writeHead(404).end('Transaction not found');
        return;
      }
      res.writeHead(200).end(h());
    });
    const c = new EsploraChain({ url: `${url}/`, network: 'regtest' });
    expect(await c.tipHeight()).toBe(810);
    expect(await c.txStatus('aa')).toEqual({ confirmations: 11, blockHeight: 800, blockIndex: 1 });
    expect(await c.txStatus('bb')).toEqual({ confirmations: 0 });
    expect(await c.txStatus('dd')).toEqual({ confirmations: null });
    expect(await c.feeratePerKw(6)).toBe(2500);
    expect(await c.feeratePerKw(3)).toBe(5125);
    expect(await c.txOutput('aa', 0)).toEqual({ scriptPubKeyHex: '0020' + '11'.repeat(32), valueSat: 1_000_000n });
    expect(await c.txOutput('aa', 1)).toBeNull();
    expect(await c.txOutput('dd', 0)).toBeNull();
    expect(await c.broadcast('0011')).toBe(FUNDING_TXID);
    expect(posted).toEqual(['0011']);
    c.close();
  });
  it('turns HTTP failures into ChainError', async () => {
    const url = await serve((_req, _body, res) => res.writeHead(500).end('boom'));
    const c = new EsploraChain({ url, network: 'regtest' });
    await expect(c.tipHeight()).rejects.toThrow(ChainError);
    await expect(c.broadcast('00')).rejects.toThrow(/HTTP 500/);
  });
});

describe('BitcoindChain', () => {
  it('speaks JSON-RPC with basic auth and maps errors', async () => {
    const calls: { method: string; params: unknown[]; auth: string | undefined }[] = [];
    const url = await serve((req, body, res) => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      calls.push({ method, params, auth: req.headers.authorization });
      const results: Record<string, unknown> = {
        getblockcount: 120,
        estimatesmartfee: { feerate: 0.0002, blocks: 6 },
        sendrawtransaction: 'ab'.repeat(32),
        getblock: { height: 110, tx: ['cb', 'ee'.repeat(32)] },
      };
      if (method === 'getrawtransaction' && (params[0] as string) === 'ee'.repeat(32)) {
        res.writeHead(200).end(JSON.stringify({ id, result: { confirmations: 11, blockhash: 'b1'.repeat(32) }, error: null }));
        return;
      }
      if (method === 'getrawtransaction' || method === 'gettransaction') {
        res.writeHead(500).end(JSON.stringify({ id, result: null, error: { code: -5, message: 'No such mempool or blockchain transaction' } }));
        return;
      }
      res.writeHead(200).end(JSON.stringify({ id, result: results[method], error: null }));
    });
    const c = new BitcoindChain({ url: url.replace('http://', 'http://alice:s%3Acret@'), network: 'regtest' });
    expect(await c.tipHeight()).toBe(120);
    expect(calls[0]!.auth).toBe(`Basic ${btoa('alice:s:cret')}`);
    expect(await c.feeratePerKw(6)).toBe(5000);
    expect(await c.broadcast('00')).toBe('ab'.repeat(32));
    expect(await c.txStatus('ee'.repeat(32))).toEqual({ confirmations: 11, blockHeight: 110, blockIndex: 1 });
    expect(await c.txStatus('ff'.repeat(32))).toEqual({ confirmations: null });
  });
  it('converts BTC amounts to sats without float error', () => {
    expect(btcToSat(0.1)).toBe(10_000_000n);
    expect(btcToSat('20999999.99999999')).toBe(2_099_999_999_999_999n);
    expect(() => btcToSat('-1')).toThrow(ChainError);
  });
  it('formats BTC amounts exactly', () => {
    expect(formatBtc(1n)).toBe('0.00000001');
    expect(formatBtc(2_100_000_000_000_000n)).toBe('21000000.00000000');
  });
});
