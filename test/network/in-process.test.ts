// Two nodes in one process over real TCP loopback: connect, zero-conf channel, invoice, pay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLightningNode, type LightningNodeClient } from '../../src/node.js';
import type { RpcObject } from '../../src/runtime/types.js';
import { jsonLineLogger } from '../../src/runtime/log.js';
import { until } from '../support/until.js';

let alice: LightningNodeClient;
let bob: LightningNodeClient;

beforeAll(async () => {
  const log = (who: string) => jsonLineLogger((l) => process.env.LW_TEST_LOG && process.stderr.write(`${who} ${l}`), 'debug');
  alice = await createLightningNode({ alias: 'alice', log: log('alice') });
  bob = await createLightningNode({ alias: 'bob', log: log('bob'), listen: { tcp: ['127.0.0.1:0'] }, zeroconfFrom: [alice.id] });
});
afterAll(async () => {
  await alice?.close();
  await bob?.close();
});

describe('two nodes in one process', () => {
  it('connects, opens a zero-conf channel and pays an invoice', async () => {
    const port = bob.bindings[0]!.port;
    const c = await alice.connect(`${bob.id}@127.0.0.1:${port}`);
    expect(c.id).toBe(bob.id);
    const f = await alice.fundchannel({ id: bob.id, amount: 1_000_000, mindepth: 0, announce: false });
    expect(typeof f.channel_id).toBe('string');
    const chan = await until('a normal channel', async () => {
      const { channels } = (await alice.listpeerchannels()) as { channels: RpcObject[] };
      return channels.find((x) => x.state === 'CHANNELD_NORMAL');
    });
    const inv = (await bob.invoice({ amount_msat: 50_000_000, label: 'first', description: 'coffee' })) as { bolt11: string; payment_hash: string; payment_secret: string };
    const alias = (chan.alias as RpcObject).local as string;
    const route = [{ id: bob.id, channel: alias, amount_msat: 50_000_000, delay: 18 }];
    const sent = await alice.sendpay({ route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, bolt11: inv.bolt11 });
    expect(sent.status).toBe('pending');
    const done = await alice.waitsendpay({ payment_hash: inv.payment_hash, timeout: 20 });
    expect(done.status).toBe('complete');
    const { invoices } = (await bob.listinvoices({ label: 'first' })) as { invoices: RpcObject[] };
    expect(invoices[0]!.status).toBe('paid');
    expect(invoices[0]!.payment_preimage).toBe(done.payment_preimage);
  });
});
