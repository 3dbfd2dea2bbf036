// Our transactions reach the chain even when the first broadcast did not: a funding tx whose
// broadcast failed (chain source down) goes out at the next block; after a restart on a chain
// source that never saw them, the funding tx and the commitment of a force-closed channel go out
// at load; once the source knows a tx it is not sent again (idempotent, block after block).
// In-process nodes over TCP loopback; the funder's chain source is the real static chain behind
// a switch that makes it unreachable, as an Esplora or bitcoind outage would.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLightningNode, type LightningNodeClient } from '../../src/node.js';
import { ChainError, StaticChain, type ChainSource, type TxOutput, type TxStatus } from '../../src/chain/index.js';
import type { RpcObject } from '../../src/runtime/types.js';
import { FUNDINGS_TABLE, type FundingRecord } from '../../src/runtime/tables.js';
import { until } from '../support/until.js';

/** The static chain, unreachable while `down`; counts what reaches it. */
class SwitchedChain implements ChainSource {
  readonly kind = 'static' as const;
  readonly network = 'regtest' as const;
  down = false;
  readonly sent: string[] = [];
  readonly asked: string[] = [];

  constructor(readonly inner: StaticChain) {}

  private check(what: string): void {
    if (this.down) throw new ChainError('HTTP', `${what}: connection refused`);
  }

  tipHeight(): Promise<number> {
    return this.inner.tipHeight();
  }
  onBlock(listener: (height: number) => void): () => void {
    return this.inner.onBlock(listener);
  }
  async txStatus(txid: string): Promise<TxStatus> {
    this.check('txStatus');
    this.asked.push(txid);
    return this.inner.txStatus(txid);
  }
  async txOutput(txid: string, vout: number): Promise<TxOutput | null> {
    this.check('txOutput');
    return this.inner.txOutput(txid, vout);
  }
  feeratePerKw(): Promise<number> {
    return this.inner.feeratePerKw();
  }
  async broadcast(txHex: string): Promise<string> {
    this.check('broadcast');
    const txid = await this.inner.broadcast(txHex);
    this.sent.push(txid);
    return txid;
  }
  close(): void {
    this.inner.close();
  }
}

const root = mkdtempSync(join(tmpdir(), 'lw-rebroadcast-'));
const open: LightningNodeClient[] = [];

async function start(name: string, chain: ChainSource, zeroconfFrom: string[] = []): Promise<LightningNodeClient> {
  const n = await createLightningNode({ alias: name, dataDir: join(root, name), chain, listen: { tcp: ['127.0.0.1:0'] }, zeroconfFrom });
  open.push(n);
  return n;
}

async function stop(n: LightningNodeClient): Promise<void> {
  open.splice(open.indexOf(n), 1);
  await n.close();
}

async function channelOf(n: LightningNodeClient, channelId: string): Promise<RpcObject | undefined> {
  const { channels } = (await n.listpeerchannels({})) as { channels: RpcObject[] };
  return channels.find((c) => c.channel_id === channelId);
}

afterAll(async () => {
  await Promise.all(open.map((n) => n.close()));
  rmSync(root, { recursive: true, force: true });
});

describe('broadcast retry', () => {
  let a: LightningNodeClient;
  let b: LightningNodeClient;
  let chainA: SwitchedChain;
  let channelId = '';
  let fundingTxid = '';

  it('a funding tx whose broadcast failed goes out at the next block, once', async () => {
    chainA = new SwitchedChain(new StaticChain({ height: 800_000 }));
    a = await start('A', chainA);
    b = await start('B', new StaticChain({ height: 800_000 }), [a.id]);
    await a.connect(`${b.id}@127.0.0.1:${b.bindings[0]!.port}`);

    chainA.down = true;
    const funded = (await a.fundchannel({ id: b.id, amount: 500_000, mindepth: 0, announce: false })) as RpcObject;
    channelId = funded.channel_id as string;
    fundingTxid = funded.txid as string;
    await until('channel normal', async () => ((await channelOf(a, channelId))?.state === 'CHANNELD_NORMAL' ? true : undefined));
    expect(chainA.inner.broadcasts.has(fundingTxid)).toBe(false);
    const rec = (await a.node.store.get(FUNDINGS_TABLE.name, (await a.node.store.query(FUNDINGS_TABLE.name))[0]!.channel_ref as string)) as unknown as FundingRecord;
    expect(rec).toMatchObject({ txid: fundingTxid, broadcast: false });

    // Still down at this block: nothing yet.
    chainA.inner.setHeight(800_001);
    await a.node.channels.rebroadcast();
    expect(chainA.sent).toEqual([]);

    chainA.down = false;
    chainA.inner.setHeight(800_002);
    await until('funding rebroadcast', async () => (chainA.inner.broadcasts.has(fundingTxid) ? true : undefined));
    await a.node.channels.rebroadcast();
    expect(((await a.node.store.query(FUNDINGS_TABLE.name))[0] as unknown as FundingRecord).broadcast).toBe(true);
    expect(chainA.inner.broadcasts.get(fundingTxid)).toBe(funded.tx);

    // The source knows it now: later blocks do not send it again.
    chainA.inner.setHeight(800_003);
    chainA.inner.setHeight(800_004);
    await a.node.channels.rebroadcast();
    expect(chainA.sent.filter((t) => t === fundingTxid)).toHaveLength(1);

    // Once in a block it is not even asked about again (one look per block would be one request
    // per channel per block on Esplora).
    chainA.inner.mine(1, [fundingTxid]);
    await a.node.channels.rebroadcast();
    const asked = chainA.asked.filter((t) => t === fundingTxid).length;
    chainA.inner.setHeight(800_010);
    await a.node.channels.rebroadcast();
    expect(chainA.asked.filter((t) => t === fundingTxid)).toHaveLength(asked);
  }, 60_000);

  it('after a restart on a source that never saw them: the funding tx and the force-close commitment go out at load', async () => {
    // B goes away; A force-closes while its chain source is down, so the commitment is lost too.
    await stop(b);
    await until('A sees B gone', async () => ((await channelOf(a, channelId))?.peer_connected === false ? true : undefined));
    chainA.down = true;
    const closed = (await a.call('close', { id: channelId, unilateraltimeout: 1 })) as RpcObject;
    expect(closed.type).toBe('unilateral');
    const commitmentTxid = closed.txid as string;
    expect((await channelOf(a, channelId))?.state).toBe('AWAITING_UNILATERAL');
    expect(chainA.inner.broadcasts.has(commitmentTxid)).toBe(false);
    await stop(a);

    // A fresh chain source (a new static chain, or a bitcoind whose mempool lost both).
    const fresh = new SwitchedChain(new StaticChain({ height: 800_010 }));
    a = await start('A', fresh);
    await until('funding and commitment rebroadcast', async () =>
      fresh.inner.broadcasts.has(fundingTxid) && fresh.inner.broadcasts.has(commitmentTxid) ? true : undefined,
    );
    expect(fresh.inner.broadcasts.get(commitmentTxid)).toBe(closed.tx);
    // Idempotent: blocks and repeated passes send nothing more.
    fresh.inner.setHeight(800_011);
    await a.node.channels.rebroadcast();
    await a.node.channels.rebroadcast();
    expect(fresh.sent.filter((t) => t === fundingTxid)).toHaveLength(1);
    expect(fresh.sent.filter((t) => t === commitmentTxid)).toHaveLength(1);
  }, 60_000);
});
