// Two of our nodes, each on a default bitcoind (no -txindex; FakeBitcoind behind real HTTP), open
// a channel that must wait for 3 confirmations: the funder's bitcoind wallet funds it, the fundee
// has no wallet that knows the transaction, and both still see it confirm and lock in.
import { afterEach, describe, expect, it } from 'vitest';
import { createLightningNode, type LightningNodeClient } from '../../../src/node.js';
import type { RpcObject } from '../../../src/runtime/types.js';
import { BitcoindChain } from '../../../src/chain/index.js';
import { FakeBitcoind } from './fake-bitcoind.js';
import { until } from '../../support/until.js';

const nodes: LightningNodeClient[] = [];
let bitcoind: FakeBitcoind | undefined;
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  await bitcoind?.close();
});

async function channelOf(n: LightningNodeClient): Promise<RpcObject | undefined> {
  const { channels } = (await n.listpeerchannels()) as { channels: RpcObject[] };
  return channels[0];
}

describe('channel lock-in on bitcoind without -txindex', () => {
  it('confirms for the funder (wallet) and the fundee (UTXO set) and reaches CHANNELD_NORMAL', async () => {
    bitcoind = new FakeBitcoind();
    const url = await bitcoind.start();
    bitcoind.giveWallet(20_000_000n);
    const funderChain = new BitcoindChain({ url: `${url}/wallet/default`, network: 'regtest', pollIntervalMs: 25 });
    // The fundee's node talks to a wallet that does not exist: gettransaction answers -18.
    const fundeeChain = new BitcoindChain({ url: `${url}/wallet/fundee`, network: 'regtest', pollIntervalMs: 25 });
    const funder = await createLightningNode({ alias: 'funder', chain: funderChain });
    nodes.push(funder);
    const fundee = await createLightningNode({ alias: 'fundee', chain: fundeeChain, listen: { tcp: ['127.0.0.1:0'] } });
    nodes.push(fundee);
    await funder.connect(`${fundee.id}@127.0.0.1:${fundee.bindings[0]!.port}`);

    const f = (await funder.fundchannel({ id: fundee.id, amount: 1_000_000, announce: false })) as RpcObject;
    const txid = f.txid as string;
    expect(bitcoind.mempool.has(txid)).toBe(true);
    expect(bitcoind.walletTxids.has(txid)).toBe(true);
    expect((await channelOf(funder))?.state).toBe('CHANNELD_AWAITING_LOCKIN');

    bitcoind.mine(2);
    // Two confirmations are not enough for the fundee's minimum_depth of 3.
    await until('the fundee to learn the short_channel_id', async () => ((await channelOf(fundee))?.short_channel_id !== undefined ? true : undefined));
    expect((await channelOf(fundee))?.state).toBe('CHANNELD_AWAITING_LOCKIN');
    bitcoind.mine(1);
    const [a, b] = await until('both sides CHANNELD_NORMAL', async () => {
      const [x, y] = [await channelOf(funder), await channelOf(fundee)];
      return x?.state === 'CHANNELD_NORMAL' && y?.state === 'CHANNELD_NORMAL' ? [x, y] : undefined;
    });
    const block = bitcoind.blocks.find((bl) => bl.txids.includes(txid))!;
    const scid = `${block.height}x${block.txids.indexOf(txid)}x${f.outnum as number}`;
    expect(a.short_channel_id).toBe(scid);
    expect(b.short_channel_id).toBe(scid);
    // The fundee could only have learned it from the UTXO set.
    expect(bitcoind.calls.some((c) => c.method === 'gettxout' && c.path === '/wallet/fundee' && c.params[0] === txid)).toBe(true);
  });
});
