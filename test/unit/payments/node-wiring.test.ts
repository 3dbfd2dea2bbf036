// The payments service as LightningNode wires it (in process, memory store, static regtest chain):
// listsendpays/listpays decode `bolt11` for this node's chain only, and a failed payments commit
// stops the node the way a failed channel commit does.
import { describe, expect, it, vi } from 'vitest';
import { createLightningNode, RpcError } from '../../../src/node.js';
import { encodeInvoice } from '../../../src/invoice/encode.js';
import { openMemoryStore } from '../../../src/store/memory.js';
import { NODE_SCHEMA } from '../../../src/runtime/schema.js';
import { fromHex } from '../../../src/util/bytes.js';

type Invoice = { bolt11: string; payment_hash: string; payment_secret: string };

async function node() {
  const faults = { failCommits: false };
  const store = await openMemoryStore({
    name: 'node-wiring',
    schema: NODE_SCHEMA,
    onCommit: () => {
      if (faults.failCommits) throw new Error('disk full');
    },
  });
  const stops: string[] = [];
  const client = await createLightningNode({ store, onStop: (r) => stops.push(r) });
  const invoice = async (label: string) => (await client.node.rpc('invoice', { amount_msat: 5000, label, description: 'd' })) as Invoice;
  const payself = (inv: Invoice) =>
    client.node.rpc('sendpay', { route: [], payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, amount_msat: 5000, bolt11: inv.bolt11 });
  return { client, faults, stops, invoice, payself };
}

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(e)}`);
  return e;
}

describe('LightningNode payments wiring', () => {
  it('listsendpays bolt11: our regtest invoice selects its rows; a mainnet invoice is refused (-32602)', async () => {
    const { client, invoice, payself } = await node();
    try {
      const inv = await invoice('a');
      expect(await client.node.rpc('listsendpays', { bolt11: inv.bolt11 })).toEqual({ payments: [] });
      await payself(inv);
      const listed = (await client.node.rpc('listsendpays', { bolt11: `LIGHTNING:${inv.bolt11.toUpperCase()}` })) as { payments: { status: string }[] };
      expect(listed.payments.map((p) => p.status)).toEqual(['complete']);

      const mainnet = encodeInvoice(
        { network: 'bitcoin', amount_msat: 5000n, payment_hash: fromHex(inv.payment_hash), payment_secret: fromHex(inv.payment_secret), description: 'd' },
        new Uint8Array(32).fill(7),
      );
      for (const method of ['listsendpays', 'listpays']) {
        const e = await rejection(client.node.rpc(method, { bolt11: mainnet }));
        expect(e.code).toBe(-32602);
        expect(e.message).toBe('Invalid invstring: invoice is for bitcoin (lnbc), this node runs on regtest (lnbcrt)');
      }
      const b12 = await rejection(client.node.rpc('listsendpays', { bolt11: 'lno1qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzrc' }));
      expect(b12.message).toBe('Invalid invstring: a BOLT 12 offer, not an invoice: this node cannot decode BOLT 12');
    } finally {
      await client.close();
    }
  });

  it('a failed payments commit stops the node: onStop says why, later payments are refused', async () => {
    const { client, faults, stops, invoice, payself } = await node();
    const inv = await invoice('b');
    faults.failCommits = true;
    const e = await rejection(payself(inv));
    expect(e.code).toBe(-1);
    expect(e.message).toContain('disk full');
    await vi.waitFor(() => expect(stops).toHaveLength(1));
    expect(stops[0]).toBe('store write failed, node stopped: write failed: disk full');
    const again = await rejection(payself(inv));
    expect([again.code, again.message]).toEqual([-5, 'lightning-worker stopped: store write failed, node stopped: write failed: disk full']);
    expect(stops).toHaveLength(1);
    await client.close().catch((x: unknown) => expect(String(x)).toMatch(/failed|closed/i));
  });

  it('stopping answers blocked waits with -5 and refuses later calls; nothing is written', async () => {
    const { client, invoice, payself } = await node();
    const inv = await invoice('c');
    await payself(inv);
    const sendpays = client.node.rpc('wait', { subsystem: 'sendpays', indexname: 'created', nextvalue: 5 });
    const invoices = client.node.rpc('wait', { subsystem: 'invoices', indexname: 'created', nextvalue: 9 });
    const before = await client.node.rpc('listsendpays', {});
    await client.node.stop('stop command');
    for (const p of [sendpays, invoices]) {
      const e = await rejection(p);
      expect([e.code, e.message]).toEqual([-5, 'lightning-worker stopped: stop command']);
    }
    const later = await rejection(client.node.rpc('listsendpays', {}));
    expect([later.code, later.message]).toEqual([-5, 'lightning-worker stopped: stop command']);
    await client.close();
    expect((before as { payments: unknown[] }).payments).toHaveLength(1);
  });
});
