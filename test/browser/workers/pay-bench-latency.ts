// Payment latency as a page sees it (run by bench/suites/payments.mjs in the harness's module
// Worker, which here plays the page): startLightningWorker runs the real node in its own module
// Worker (IndexedDB, WebSocket), connects to A, waits for the zero-conf channel A opens to it
// (the suite calls A's fundchannel once it sees the connection), then pays B's invoices through
// A one at a time and times sendpay → waitsendpay complete. Measures only.
import { deleteDB } from 'idb';
import { startLightningWorker } from '../../../src/worker/client.js';
import type { RpcObject } from '../../../src/worker/types.js';

export interface LatencyBenchArgs {
  aId: string;
  aUrl: string;
  bId: string;
  /** A's alias.local of the A → B channel. */
  abChannel: string;
  height: number;
  amountMsat: string;
  feeMsat: string;
  /** CLTV delta at A and at B. */
  aDelay: number;
  bDelay: number;
  invoices: { payment_hash: string; payment_secret: string }[];
  /** The first `warmup` payments are not counted. */
  warmup: number;
}

export interface LatencyBenchResult {
  node_id: string;
  /** ms of each counted payment, in order. */
  samples_ms: number[];
  statuses: string[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export default async function payBenchLatency(raw: unknown, log: (m: string) => void): Promise<LatencyBenchResult> {
  const a = raw as LatencyBenchArgs;
  const dbName = `lw-bench-latency-${Date.now()}`;
  const ln = await startLightningWorker({
    network: 'regtest',
    dbName,
    chain: { static: a.height },
    zeroconfFrom: [a.aId],
    // No page here (this is a Worker): no wake-up events, no unload prompt.
    pageLifecycle: false,
    warnOnUnload: false,
  });
  try {
    log(`node ${ln.id}`);
    await ln.connect({ id: a.aId, url: a.aUrl });
    let alias: string | undefined;
    for (let i = 0; alias === undefined; i++) {
      const { channels } = (await ln.listpeerchannels({ id: a.aId })) as { channels: RpcObject[] };
      const ch = channels.find((c) => c.state === 'CHANNELD_NORMAL' && c.peer_connected === true);
      if (ch) alias = (ch.alias as RpcObject).local as string;
      else if (i > 600) throw new Error('no channel from A within 60 s');
      else await sleep(100);
    }
    const amount = BigInt(a.amountMsat);
    const route = [
      { id: a.aId, channel: alias, amount_msat: amount + BigInt(a.feeMsat), delay: a.aDelay + a.bDelay },
      { id: a.bId, channel: a.abChannel, amount_msat: amount, delay: a.bDelay },
    ];
    const samples: number[] = [];
    const statuses: string[] = [];
    for (const [i, inv] of a.invoices.entries()) {
      const t0 = performance.now();
      await ln.sendpay({ route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
      const done = await ln.waitsendpay({ payment_hash: inv.payment_hash, timeout: 60 });
      const ms = performance.now() - t0;
      statuses.push(String(done.status));
      if (i >= a.warmup) samples.push(Number(ms.toFixed(2)));
    }
    return { node_id: ln.id, samples_ms: samples, statuses };
  } finally {
    await ln.close();
    await deleteDB(dbName);
  }
}
