// `decode` of BOLT 11 strings through a whole in-process node (regtest, memory store): Core
// Lightning's result fields in its order, its parameter error for undecodable strings (the
// decoder's own words, the token quoted as written), and another network's invoice, which CLN's
// `decode` accepts (it passes no chain to its decoder) and labels by `currency`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLightningNode, type LightningNodeClient } from '../../../src/node.js';
import { RpcError } from '../../../src/rpc/errors.js';
import { loadVector } from '../../support/shared.js';
import { rpcRejection } from '../../support/until.js';

interface Bolt11Vector {
  valid: { title: string; invoice: string; payee_pubkey: string; payment_hash: string; amount_msat: string | null; timestamp: number }[];
  invalid: { title: string; invoice: string }[];
}
const vec = loadVector<Bolt11Vector>('bolt11-invoices.json');
const byTitle = <T extends { title: string }>(xs: T[], part: string): T => xs.find((x) => x.title.includes(part))!;

let ln: LightningNodeClient;
beforeAll(async () => {
  ln = await createLightningNode({ alias: 'decode-rpc', network: 'regtest' });
});
afterAll(async () => {
  await ln?.close();
});

describe('decode (in-process node)', () => {
  it("decodes the node's own invoice with Core Lightning's fields, in its order", async () => {
    const inv = await ln.invoice({ amount_msat: 123_456, label: 'dec-1', description: 'tea', expiry: 600 });
    const d = await ln.decode(inv.bolt11 as string);
    expect(Object.keys(d)).toEqual([
      'type',
      'currency',
      'created_at',
      'expiry',
      'payee',
      'amount_msat',
      'description',
      'min_final_cltv_expiry',
      'payment_secret',
      'features',
      'payment_hash',
      'signature',
      'valid',
    ]);
    expect(d).toMatchObject({
      type: 'bolt11 invoice',
      currency: 'bcrt',
      expiry: 600,
      payee: ln.id,
      amount_msat: 123_456n,
      description: 'tea',
      payment_secret: inv.payment_secret,
      payment_hash: inv.payment_hash,
      valid: true,
    });
    expect(typeof d.created_at).toBe('number');
    expect(Math.abs((d.created_at as number) - Math.floor(Date.now() / 1000))).toBeLessThan(600);
    expect(d.signature as string).toMatch(/^30[0-9a-f]+$/);
    // Same answer by name, positionally, with CLN's URI prefix, and upper case.
    expect(await ln.call('decode', [inv.bolt11 as string])).toEqual(d);
    expect(await ln.decode({ string: `lightning:${inv.bolt11 as string}` })).toEqual(d);
    expect(await ln.decode((inv.bolt11 as string).toUpperCase())).toEqual(d);
  });

  it("decodes another network's invoice (mainnet on this regtest node) and says which in currency", async () => {
    const x = byTitle(vec.valid, 'within one week');
    const d = await ln.decode(x.invoice);
    expect(d).toMatchObject({ type: 'bolt11 invoice', currency: 'bc', payee: x.payee_pubkey, payment_hash: x.payment_hash, created_at: x.timestamp, valid: true });
    expect(d.amount_msat).toBe(BigInt(x.amount_msat!));
    expect((d.routes as unknown[][])[0]).toHaveLength(1);
    const t = byTitle(vec.valid, 'on testnet');
    expect((await ln.decode(t.invoice)).currency).toBe('tb');
  });

  it('an undecodable string is -32602 "string: <reason>: invalid token" with the token quoted', async () => {
    expect(await rpcRejection(ln.decode('lnbc1invalid'))).toEqual({ code: -32602, message: `string: Bad bech32 string: invalid token '"lnbc1invalid"'` });
    expect(await rpcRejection(ln.decode('hello'))).toEqual({ code: -32602, message: `string: Bad bech32 string: invalid token '"hello"'` });
    // The daemon's text path quotes the token exactly as the request wrote it.
    const text = await ln.node.rpcText('{"jsonrpc":"2.0","id":1,"method":"decode","params":{"string":"lnbc1\\u0030x"}}');
    expect(JSON.parse(text)).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: `string: Bad bech32 string: invalid token '"lnbc1\\u0030x"'` } });
  });

  it("uses Core Lightning's decoder wording for the spec's invalid examples", async () => {
    const cases: [string, string][] = [
      ['checksum is invalid', 'Bad bech32 string'],
      ['mixed case', 'Bad bech32 string'],
      ['Invalid multiplier', "Invalid amount postfix 'x'"],
      ['sub-millisatoshi', "Invalid sub-millisatoshi amount '2500000001p'"],
      ['unknown feature 100', '9: unknown feature bit 100'],
      ['high-S', 'invalid signature'],
    ];
    for (const [title, reason] of cases) {
      const x = byTitle(vec.invalid, title);
      expect(await rpcRejection(ln.decode(x.invoice))).toEqual({ code: -32602, message: `string: ${reason}: invalid token '"${x.invoice}"'` });
    }
  });

  it('a missing string is CLN\'s missing-parameter error', async () => {
    expect(await rpcRejection(ln.call('decode', {}))).toEqual({ code: -32602, message: 'missing required parameter: string' });
  });
});
