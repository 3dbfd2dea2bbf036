// payer → A → B in one process over TCP loopback: a forwarded payment, and failures at A and at B
// with the right failure code and erring hop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLightningNode, type LightningNodeClient } from '../../src/node.js';
import type { RpcObject } from '../../src/runtime/types.js';
import { RpcError } from '../../src/rpc/errors.js';
import { jsonLineLogger } from '../../src/runtime/log.js';
import { until } from '../support/until.js';

let payer: LightningNodeClient;
let a: LightningNodeClient;
let b: LightningNodeClient;
let payerToA = '';
let aToB = '';

async function normalChannel(n: LightningNodeClient, peer: string): Promise<RpcObject> {
  return until('a CHANNELD_NORMAL channel', async () => {
    const { channels } = (await n.listpeerchannels({ id: peer })) as { channels: RpcObject[] };
    return channels.find((x) => x.state === 'CHANNELD_NORMAL');
  });
}

const log = (who: string) => jsonLineLogger((l) => void (process.env.LW_TEST_LOG && process.stderr.write(`${who} ${l}`)), 'debug');

beforeAll(async () => {
  payer = await createLightningNode({ alias: 'payer', log: log('payer') });
  a = await createLightningNode({ alias: 'A', log: log('A'), listen: { tcp: ['127.0.0.1:0'] }, zeroconfFrom: [payer.id] });
  b = await createLightningNode({ alias: 'B', log: log('B'), listen: { tcp: ['127.0.0.1:0'] }, zeroconfFrom: [a.id] });
  await payer.connect(`${a.id}@127.0.0.1:${a.bindings[0]!.port}`);
  await a.connect(`${b.id}@127.0.0.1:${b.bindings[0]!.port}`);
  await payer.fundchannel({ id: a.id, amount: 1_000_000, mindepth: 0, announce: false });
  await a.fundchannel({ id: b.id, amount: 1_000_000, mindepth: 0, announce: false });
  payerToA = ((await normalChannel(payer, a.id)).alias as RpcObject).local as string;
  const ab = await normalChannel(a, b.id);
  // The scid B knows for the A→B channel is A's alias: what B's invoices put in route hints.
  aToB = (ab.alias as RpcObject).local as string;
}, 60_000);

afterAll(async () => {
  await Promise.all([payer?.close(), a?.close(), b?.close()]);
});

function route(amount: bigint, feeAtA: bigint, opts: { bDelay?: number; aDelay?: number; aToB?: string } = {}) {
  return [
    { id: a.id, channel: payerToA, amount_msat: amount + feeAtA, delay: (opts.aDelay ?? 18 + 34) },
    { id: b.id, channel: opts.aToB ?? aToB, amount_msat: amount, delay: opts.bDelay ?? 18 },
  ];
}

async function invoice(n: LightningNodeClient, amount: bigint, label: string) {
  return (await n.invoice({ amount_msat: amount, label, description: label })) as { payment_hash: string; payment_secret: string; bolt11: string };
}

async function failureOf(hash: string): Promise<RpcError> {
  try {
    await payer.waitsendpay({ payment_hash: hash, timeout: 20 });
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
  throw new Error('payment did not fail');
}

describe('payer → A → B', () => {
  it('forwards a payment (fee 1000 + 10 ppm at A)', async () => {
    const inv = await invoice(b, 10_000_000n, 'ok-1');
    const fee = 1000n + (10_000_000n * 10n) / 1_000_000n;
    await payer.sendpay({ route: route(10_000_000n, fee), payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
    const done = await payer.waitsendpay({ payment_hash: inv.payment_hash, timeout: 20 });
    expect(done.status).toBe('complete');
    const { forwards } = (await a.call('listforwards', {})) as { forwards: RpcObject[] };
    expect(forwards.at(-1)).toMatchObject({ status: 'settled', in_msat: 10_000_000n + fee, out_msat: 10_000_000n, fee_msat: fee });
  });

  it('fee insufficient at A → 204 from erring_index 1', async () => {
    const inv = await invoice(b, 10_000_000n, 'fee-low');
    await payer.sendpay({ route: route(10_000_000n, 1000n), payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
    const e = await failureOf(inv.payment_hash);
    expect(e.code).toBe(204);
    expect(e.data).toMatchObject({ erring_index: 1, failcode: 4108, failcodename: 'WIRE_FEE_INSUFFICIENT', erring_node: a.id });
  });

  it('unknown payment hash at B → 203 from erring_index 2', async () => {
    const inv = await invoice(b, 10_000_000n, 'unknown-hash');
    const fee = 1000n + 100n;
    await payer.sendpay({ route: route(10_000_000n, fee), payment_hash: 'ab'.repeat(32), payment_secret: inv.payment_secret });
    const e = await failureOf('ab'.repeat(32));
    expect(e.code).toBe(203);
    expect(e.data).toMatchObject({ erring_index: 2, failcode: 16399, failcodename: 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS', erring_node: b.id });
  });
});
