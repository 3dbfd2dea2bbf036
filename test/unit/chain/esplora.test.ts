// EsploraChain against a local HTTP server speaking (and mis-speaking) the Esplora REST API:
// every failure of the backend is a typed ChainError, and the tip poller tells listeners of new
// blocks.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChainError, EsploraChain } from '../../../src/chain/index.js';
import { untilTrue } from '../../support/until.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api`;
}

const TXID = 'ab'.repeat(32);

async function rejection(p: Promise<unknown>): Promise<ChainError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ChainError);
  return e as ChainError;
}

describe('EsploraChain errors', () => {
  it('turns HTTP statuses into HTTP errors with the status, 404 into "unknown"', async () => {
    const url = await serve((req, res) => {
      if (req.url === `/api/tx/${TXID}/status` || req.url === `/api/tx/${TXID}`) res.writeHead(404).end('Transaction not found');
      else if (req.url === '/api/tx') res.writeHead(400).end('sendrawtransaction RPC error: {"code":-26,"message":"min relay fee not met"}');
      else res.writeHead(429).end('Too Many Requests');
    });
    const c = new EsploraChain({ url, network: 'signet' });
    expect(await c.txStatus(TXID)).toEqual({ confirmations: null });
    expect(await c.txOutput(TXID, 0)).toBeNull();
    expect(await rejection(c.tipHeight())).toMatchObject({ code: 'HTTP', httpStatus: 429 });
    expect(await rejection(c.feeratePerKw(6))).toMatchObject({ code: 'HTTP', httpStatus: 429 });
    // The reason a broadcast was refused reaches the caller.
    expect(await rejection(c.broadcast('00'))).toMatchObject({ code: 'HTTP', httpStatus: 400, message: expect.stringMatching(/min relay fee not met/) });
  });

  it('names the refusals that are final: inputs missing or spent, already in a block', async () => {
    const answers = [
      'sendrawtransaction RPC error: {"code":-25,"message":"bad-txns-inputs-missingorspent"}',
      'sendrawtransaction RPC error: {"code":-25,"message":"Missing inputs"}',
      'sendrawtransaction RPC error: {"code":-27,"message":"Transaction already in block chain"}',
      'sendrawtransaction RPC error: {"code":-27,"message":"Transaction outputs already in utxo set"}',
      'sendrawtransaction RPC error: {"code":-26,"message":"txn-mempool-conflict"}',
    ];
    let next = 0;
    const url = await serve((_req, res) => res.writeHead(400).end(answers[next++]));
    const c = new EsploraChain({ url, network: 'signet' });
    expect(await rejection(c.broadcast('00'))).toMatchObject({ code: 'INPUTS_MISSING_OR_SPENT', httpStatus: 400, rpcCode: -25 });
    expect(await rejection(c.broadcast('00'))).toMatchObject({ code: 'INPUTS_MISSING_OR_SPENT', rpcCode: -25 });
    expect(await rejection(c.broadcast('00'))).toMatchObject({ code: 'ALREADY_IN_CHAIN', rpcCode: -27 });
    expect(await rejection(c.broadcast('00'))).toMatchObject({ code: 'ALREADY_IN_CHAIN', rpcCode: -27 });
    // A conflict still in the mempool may go away: an ordinary refusal, retried.
    expect(await rejection(c.broadcast('00'))).toMatchObject({ code: 'HTTP', httpStatus: 400, message: expect.stringMatching(/txn-mempool-conflict/) });
  });

  it('turns malformed JSON and wrong shapes into BAD_RESPONSE', async () => {
    const bodies: Record<string, string> = {
      [`/api/tx/${TXID}/status`]: '{"confirmed": tru',
      [`/api/tx/${'cd'.repeat(32)}/status`]: '[]',
      [`/api/tx/${'ef'.repeat(32)}/status`]: '{"confirmed": true}',
      [`/api/tx/${'01'.repeat(32)}/status`]: '{"confirmed": "yes"}',
      [`/api/tx/${TXID}`]: '<html>gateway</html>',
      [`/api/tx/${'cd'.repeat(32)}`]: '{"vout": {"0": {}}}',
      [`/api/tx/${'ef'.repeat(32)}`]: '{"vout": [{"scriptpubkey": "0014zz", "value": 1}]}',
      [`/api/tx/${'01'.repeat(32)}`]: '{"vout": [{"scriptpubkey": "0014", "value": -5}]}',
      '/api/blocks/tip/height': 'eight hundred',
      '/api/fee-estimates': '"fast"',
      '/api/tx': 'accepted',
    };
    const url = await serve((req, res) => res.writeHead(200).end(bodies[req.url ?? ''] ?? 'null'));
    const c = new EsploraChain({ url, network: 'regtest' });
    for (const id of [TXID, 'cd'.repeat(32), 'ef'.repeat(32), '01'.repeat(32)]) {
      expect(await rejection(c.txStatus(id))).toMatchObject({ code: 'BAD_RESPONSE' });
      expect(await rejection(c.txOutput(id, 0))).toMatchObject({ code: 'BAD_RESPONSE' });
    }
    expect(await rejection(c.tipHeight())).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(await rejection(c.feeratePerKw(6))).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(await rejection(c.broadcast('00'))).toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('turns a refused connection and a body cut short into HTTP errors', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"confirmed":');
      res.destroy();
    });
    const c = new EsploraChain({ url, network: 'regtest' });
    expect(await rejection(c.txStatus(TXID))).toMatchObject({ code: 'HTTP' });
    const dead = new EsploraChain({ url: 'http://127.0.0.1:1/api', network: 'regtest' });
    expect(await rejection(dead.tipHeight())).toMatchObject({ code: 'HTTP', message: expect.stringMatching(/^esplora \/blocks\/tip\/height: /) });
  });
});

describe('EsploraChain block polling', () => {
  it('tells listeners of each new tip once, reports failed polls and recovers', async () => {
    let tip = 800;
    let down = false;
    const url = await serve((req, res) => {
      if (down) res.writeHead(503).end('maintenance');
      else if (req.url === '/api/blocks/tip/height') res.writeHead(200).end(String(tip));
      else res.writeHead(404).end();
    });
    const errors: unknown[] = [];
    const c = new EsploraChain({ url, network: 'regtest', pollIntervalMs: 20, onError: (e) => errors.push(e) });
    const a: number[] = [];
    const b: number[] = [];
    const stopA = c.onBlock((h) => a.push(h));
    c.onBlock((h) => b.push(h));
    await untilTrue('a.length === 1', () => a.length === 1);
    tip = 801;
    await untilTrue('a.length === 2', () => a.length === 2);
    down = true;
    await untilTrue('errors.length > 0', () => errors.length > 0);
    expect(errors[0]).toMatchObject({ code: 'HTTP', httpStatus: 503 });
    tip = 803;
    down = false;
    await untilTrue('a.length === 3', () => a.length === 3);
    expect(a).toEqual([800, 801, 803]);
    stopA();
    tip = 804;
    await untilTrue('b.length === 4', () => b.length === 4);
    expect(b).toEqual([800, 801, 803, 804]);
    expect(a).toEqual([800, 801, 803]);
    c.close();
  });
});
