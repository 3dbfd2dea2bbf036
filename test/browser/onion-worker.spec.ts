// createonion and decode through the page client into the real node in a Chromium module Worker
// (startLightningWorker: WASM crypto, IndexedDB): the BOLT 4 vector onion byte for byte, Core
// Lightning's errors arriving as RpcError instances with their codes, and BOLT 11 decode results
// (including another network's invoice, which `decode` accepts).
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { Outcome } from './pages/worker-client.js';
import { openWorkerPage, outcomeValue, unique, warmUpWorkerPage } from './support/worker-page.js';
import { loadVector } from '../support/shared.js';
import { sphinxBuildPureJs } from '../support/sphinx-purejs.js';
import { fromHex as unhex, toHex as hex } from '../../src/util/bytes.js';

interface OnionVector {
  onion_test: { generate: { session_key: string; associated_data: string; hops: { pubkey: string; payload: string }[] }; onion: string };
}
const ov = loadVector<OnionVector>('bolt04-onion.json').onion_test;
const bolt11 = loadVector<{ valid: { title: string; invoice: string; payee_pubkey: string; payment_hash: string }[] }>('bolt11-invoices.json').valid;

async function open(context: BrowserContext, dbName: string): Promise<Page> {
  const { page, started } = await openWorkerPage(context, dbName);
  expect(started).toMatchObject({ ok: true });
  return page;
}

test.beforeAll(async ({ browser }) => warmUpWorkerPage(browser));

const value = outcomeValue;

const call = (page: Page, method: string, params: Record<string, unknown>): Promise<Outcome> =>
  page.evaluate((a) => window.lw.call(a.method, a.params as never), { method, params });

test.describe('createonion and decode in the Worker', () => {
  test('createonion returns the BOLT 4 vector onion and its shared secrets', async ({ context }) => {
    const page = await open(context, unique('onion'));
    const g = ov.generate;
    const r = value(await call(page, 'createonion', { hops: g.hops, assocdata: g.associated_data, session_key: g.session_key }));
    expect(r.onion).toBe(ov.onion);
    const pure = sphinxBuildPureJs(unhex(g.session_key), g.hops.map((h) => unhex(h.pubkey)), g.hops.map((h) => unhex(h.payload)), unhex(g.associated_data));
    expect(r.shared_secrets).toEqual(pure.sharedSecrets.map(hex));
    // onion_size is honoured.
    const small = value(await call(page, 'createonion', { hops: g.hops.slice(0, 1), assocdata: '', onion_size: 200 }));
    expect(String(small.onion)).toHaveLength(2 * (1 + 33 + 200 + 32));
  });

  test("createonion errors are RpcErrors with Core Lightning's codes and messages", async ({ context }) => {
    const page = await open(context, unique('onion-errors'));
    const g = ov.generate;
    const thirty = Array.from({ length: 30 }, (_, i) => g.hops[i % 4]!);
    expect(await call(page, 'createonion', { hops: thirty, assocdata: '' })).toMatchObject({
      ok: false,
      rpcError: true,
      code: -32602,
      message: 'Payloads exceed maximum onion packet size.',
    });
    expect(await call(page, 'createonion', { hops: g.hops, assocdata: '', session_key: '00'.repeat(32) })).toMatchObject({
      rpcError: true,
      code: -1,
      message: 'Could not create onion packet',
    });
    expect(await call(page, 'createonion', { hops: [{ pubkey: '02abc', payload: g.hops[0]!.payload }], assocdata: '' })).toMatchObject({
      rpcError: true,
      code: -32602,
      message: `hops: should be a pubkey: invalid token '"02abc"'`,
    });
    expect(await call(page, 'createonion', { hops: g.hops, assocdata: 'qq' })).toMatchObject({
      rpcError: true,
      code: -32602,
      message: `assocdata: should be a hex value: invalid token '"qq"'`,
    });
  });

  test("decode: the node's invoice, another network's invoice, and an invalid string", async ({ context }) => {
    const page = await open(context, unique('decode'));
    const info = value(await page.evaluate(() => window.lw.getinfo()));
    const inv = value(await call(page, 'invoice', { amount_msat: 42_000, label: 'dec', description: 'worker decode' }));
    const d = value(await call(page, 'decode', { string: inv.bolt11 }));
    expect(d).toMatchObject({
      type: 'bolt11 invoice',
      currency: 'bcrt',
      payee: info.id,
      amount_msat: '42000n', // u64 stays bigint across the boundary
      description: 'worker decode',
      payment_hash: inv.payment_hash,
      payment_secret: inv.payment_secret,
      valid: true,
    });
    const mainnet = bolt11.find((x) => x.title.includes('within one week'))!;
    expect(value(await call(page, 'decode', { string: mainnet.invoice }))).toMatchObject({ currency: 'bc', payee: mainnet.payee_pubkey, payment_hash: mainnet.payment_hash, valid: true });
    expect(await call(page, 'decode', { string: 'lnbcrt1nonsense' })).toMatchObject({
      rpcError: true,
      code: -32602,
      message: `string: Bad bech32 string: invalid token '"lnbcrt1nonsense"'`,
    });
  });
});
