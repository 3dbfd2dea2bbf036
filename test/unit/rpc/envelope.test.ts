import { describe, expect, it } from 'vitest';
import {
  RpcError,
  defineMethod,
  dispatchText,
  dispatchValues,
  errorResponseText,
  methodTable,
  ok,
  fail,
  optDef,
  paramU64,
  parseRequestText,
  req,
  paramSha256,
  PAY_IN_PROGRESS,
  JSONRPC2_INVALID_PARAMS,
} from '../../../src/rpc/index.js';
import { LightningError } from '../../../src/errors.js';

const HASH = '00'.repeat(32);

const echo = defineMethod({
  name: 'echo',
  params: [req('payment_hash', paramSha256), optDef('partid', paramU64, 0n)] as const,
  handler: (p: { payment_hash: string; partid: bigint }) => ok({ payment_hash: p.payment_hash, partid: p.partid }),
});
const boom = defineMethod({
  name: 'boom',
  params: [] as const,
  handler: () => fail(PAY_IN_PROGRESS, 'Timed out while waiting'),
});
const thrower = defineMethod({
  name: 'thrower',
  params: [] as const,
  handler: () => {
    throw new RpcError(208, 'nope', { a: 1n });
  },
});
const table = methodTable<null>([echo, boom, thrower]);

describe('request envelope (spec §0.1)', () => {
  const err = (text: string) => {
    const r = parseRequestText(text);
    if (r.ok) throw new Error('expected failure');
    return [r.error.code, r.error.message, r.id?.full ?? null];
  };

  it('accepts a well-formed request and tolerates filter', () => {
    const r = parseRequestText('{"jsonrpc":"2.0","id":"x1","method":"echo","params":{},"filter":{"a":true}}');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.request.method).toBe('echo');
      expect(r.request.id.full).toBe('"x1"');
      expect(r.request.filter?.full).toBe('{"a":true}');
    }
  });

  it('No params / No method', () => {
    expect(err('{"jsonrpc":"2.0","id":1,"method":"echo"}')).toEqual([-32600, 'No params', '1']);
    expect(err('{"jsonrpc":"2.0","id":1,"params":[]}')).toEqual([-32600, 'No method', '1']);
    expect(err('{"jsonrpc":"2.0","id":1}')).toEqual([-32600, 'No method', '1']);
  });

  it('other malformed requests', () => {
    expect(err('[1]')).toEqual([-32600, 'Expected {} for json command', null]);
    expect(err('{"jsonrpc":"2.0","method":"echo","params":[]}')).toEqual([-32600, 'No id', null]);
    expect(err('{"jsonrpc":"2.0","id":{},"method":"echo","params":[]}')).toEqual([-32600, 'Expected string/primitive for id', null]);
    expect(err('{"id":1,"method":"echo","params":[]}')).toEqual([-32600, 'jsonrpc: "2.0" must be specified in the request', '1']);
    expect(err('{"jsonrpc":"2.0","id":1,"method":5,"params":[]}')).toEqual([-32600, 'Expected string for method', '1']);
    expect(err('{"jsonrpc":')).toEqual([-32600, `Invalid token in json input: '{"jsonrpc":'`, null]);
  });
});

describe('dispatch', () => {
  it('answers with the id echoed verbatim and bigint results as integers', async () => {
    const out = await dispatchText(
      table,
      `{"jsonrpc":"2.0","id":1.50,"method":"echo","params":["${HASH}", 18446744073709551615]}`,
      null,
    );
    expect(out).toBe(`{"jsonrpc":"2.0","id":1.50,"result":{"payment_hash":"${HASH}","partid":18446744073709551615}}`);
  });

  it('params must be array or object (-32602)', async () => {
    const out = await dispatchText(table, '{"jsonrpc":"2.0","id":"a","method":"echo","params":"x"}', null);
    expect(out).toBe('{"jsonrpc":"2.0","id":"a","error":{"code":-32602,"message":"Expected array or object for params"}}');
  });

  it('unknown method (-32601)', async () => {
    const out = await dispatchText(table, '{"jsonrpc":"2.0","id":2,"method":"nope","params":[]}', null);
    expect(out).toBe(`{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"Unknown command 'nope'"}}`);
  });

  it('handler errors and thrown RpcErrors become error responses with data', async () => {
    expect(await dispatchText(table, '{"jsonrpc":"2.0","id":3,"method":"boom","params":[]}', null)).toBe(
      '{"jsonrpc":"2.0","id":3,"error":{"code":200,"message":"Timed out while waiting"}}',
    );
    expect(await dispatchText(table, '{"jsonrpc":"2.0","id":4,"method":"thrower","params":{}}', null)).toBe(
      '{"jsonrpc":"2.0","id":4,"error":{"code":208,"message":"nope","data":{"a":1}}}',
    );
  });

  it('unparseable text yields an id-null -32600', async () => {
    expect(await dispatchText(table, 'xx', null)).toBe(
      `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid token in json input: 'xx'"}}`,
    );
  });

  it('JS values go through the same token path as JSON text', async () => {
    expect(await dispatchValues(table, 'echo', { payment_hash: HASH, partid: 5n }, null)).toEqual({
      ok: true,
      value: { payment_hash: HASH, partid: 5n },
    });
    const bad = await dispatchValues(table, 'echo', { payment_hash: HASH, partid: -1 }, null);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toBe("partid: should be an unsigned 64 bit integer: invalid token '-1'");
    const unknown = await dispatchValues(table, 'nope', [], null);
    expect(unknown.ok).toBe(false);
  });
});

describe('RpcError', () => {
  it('is a LightningError with a numeric code and optional data', () => {
    const e = new RpcError(JSONRPC2_INVALID_PARAMS, 'm');
    expect(e).toBeInstanceOf(LightningError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe(-32602);
    expect(e.name).toBe('RpcError');
    expect('data' in e).toBe(false);
    expect(e.toJSON()).toEqual({ code: -32602, message: 'm' });
    expect(errorResponseText(null, new RpcError(204, 'x', { n: 1n }))).toBe(
      '{"jsonrpc":"2.0","id":null,"error":{"code":204,"message":"x","data":{"n":1}}}',
    );
  });
});
