// StaticChain.mine and the developer-only `dev-mine` RPC: what the Electrum runtime tests use to
// give a synthetic funding transaction the 3 confirmations Electrum 4.3.4 insists on.
import { afterEach, describe, expect, it } from 'vitest';
import { StaticChain } from '../../src/chain/static.js';
import type { ChainSource } from '../../src/chain/types.js';
import { serializeTx, txidHex, type Tx } from '../../src/channel/bitcoin/tx.js';
import { toHex } from '../../src/util/bytes.js';
import { createLightningNode, type LightningNodeClient } from '../../src/node.js';
import { RpcError } from '../../src/rpc/errors.js';
import type { Sat } from '../../src/types.js';
import { rpcRejection } from '../support/until.js';

/** A distinct one-output transaction per `n` (only its txid and output matter here). */
function rawTx(n: number): { hex: string; txid: string } {
  const tx: Tx = {
    version: 2,
    inputs: [{ prevout: { txid: new Uint8Array(32).fill(n), vout: 0 }, scriptSig: new Uint8Array(0), sequence: 0xffffffff, witness: [] }],
    outputs: [{ value: BigInt(1000 + n) as Sat, scriptPubKey: Uint8Array.of(0x00, 0x14, ...new Uint8Array(20).fill(n)) }],
    locktime: 0,
  };
  return { hex: toHex(serializeTx(tx)), txid: txidHex(tx) };
}

describe('StaticChain.mine', () => {
  it('confirms nothing by itself; mine() puts the broadcast txs in the next block and advances the tip', async () => {
    const chain = new StaticChain({ height: 800_000 });
    const heights: number[] = [];
    chain.onBlock((h) => heights.push(h));
    const a = rawTx(1);
    const b = rawTx(2);
    expect(await chain.broadcast(a.hex)).toBe(a.txid);
    await chain.broadcast(b.hex);
    expect(await chain.txStatus(a.txid)).toEqual({ confirmations: 0 });
    expect(await chain.txStatus('11'.repeat(32))).toEqual({ confirmations: null });
    chain.setHeight(800_001); // time passes, still unmined
    expect(await chain.txStatus(a.txid)).toEqual({ confirmations: 0 });

    expect(chain.mine(3, [b.txid])).toEqual({ blockheight: 800_004, mined: [b.txid] });
    expect(heights).toEqual([800_001, 800_002, 800_003, 800_004]);
    expect(await chain.tipHeight()).toBe(800_004);
    expect(await chain.txStatus(b.txid)).toEqual({ confirmations: 3, blockHeight: 800_002, blockIndex: 1 });
    expect(await chain.txStatus(a.txid)).toEqual({ confirmations: 0 });

    // Default: every broadcast tx not yet mined; one block.
    const c = rawTx(3);
    await chain.broadcast(c.hex);
    expect(chain.mine()).toEqual({ blockheight: 800_005, mined: [a.txid, c.txid] });
    expect(await chain.txStatus(a.txid)).toEqual({ confirmations: 1, blockHeight: 800_005, blockIndex: 1 });
    expect(await chain.txStatus(c.txid)).toEqual({ confirmations: 1, blockHeight: 800_005, blockIndex: 2 });
    expect(await chain.txStatus(b.txid)).toEqual({ confirmations: 4, blockHeight: 800_002, blockIndex: 1 });
    expect(chain.mine(2)).toEqual({ blockheight: 800_007, mined: [] });
    expect((await chain.txOutput(c.txid, 0))?.valueSat).toBe(1003n);
  });

  it('refuses unknown or already mined txids and bad block counts, changing nothing', async () => {
    const chain = new StaticChain({ height: 100 });
    const a = rawTx(4);
    await chain.broadcast(a.hex);
    expect(() => chain.mine(1, ['22'.repeat(32)])).toThrow(/never broadcast/);
    expect(() => chain.mine(0)).toThrow(/positive integer/);
    expect(await chain.tipHeight()).toBe(100);
    chain.mine(1, [a.txid.toUpperCase()]);
    expect(() => chain.mine(1, [a.txid])).toThrow(/already mined at height 101/);
    expect(await chain.tipHeight()).toBe(101);
    // A tip moved back below the block forgets the confirmation; the tx can be mined again.
    chain.setHeight(100);
    expect(await chain.txStatus(a.txid)).toEqual({ confirmations: 0 });
    expect(chain.mine(1, [a.txid]).mined).toEqual([a.txid]);
  });
});

const nodes: LightningNodeClient[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

describe('dev-mine', () => {
  it('mines on the static chain of a developer node: {blockheight, mined}; getinfo follows', async () => {
    const chain = new StaticChain({ height: 800_000 });
    const node = await createLightningNode({ chain });
    nodes.push(node);
    const a = rawTx(5);
    const b = rawTx(6);
    await chain.broadcast(a.hex);
    await chain.broadcast(b.hex);
    expect(await node.call('dev-mine', { blocks: 3, txids: [a.txid] })).toEqual({ blockheight: 800_003, mined: [a.txid] });
    expect(await chain.txStatus(a.txid)).toEqual({ confirmations: 3, blockHeight: 800_001, blockIndex: 1 });
    expect(await node.call('dev-mine')).toEqual({ blockheight: 800_004, mined: [b.txid] });
    expect(await node.call('dev-mine', [2])).toEqual({ blockheight: 800_006, mined: [] });
    expect((await node.getinfo()).blockheight).toBe(800_006);

    expect(await rpcRejection(node.call('dev-mine', { blocks: 0 }))).toEqual({ code: -32602, message: "blocks: should be an integer from 1 to 1000: invalid token '0'" });
    expect(await rpcRejection(node.call('dev-mine', { txids: 'ab' }))).toEqual({ code: -32602, message: `txids: should be an array of txids (32 byte hex): invalid token '"ab"'` });
    const unknown = '33'.repeat(32);
    expect(await rpcRejection(node.call('dev-mine', { txids: [unknown] }))).toEqual({ code: -32602, message: `txids: ${unknown} was never broadcast` });
    expect(await rpcRejection(node.call('dev-mine', { txids: [a.txid] }))).toEqual({ code: -32602, message: `txids: transaction ${a.txid} is already mined at height 800001` });
    expect((await node.getinfo()).blockheight).toBe(800_006);
  });

  it('does not exist without developer mode, nor on another chain source', async () => {
    const plain = await createLightningNode({ developer: false });
    nodes.push(plain);
    expect(await rpcRejection(plain.call('dev-mine', {}))).toMatchObject({ code: -32601 });
    const other: ChainSource = {
      kind: 'esplora',
      network: 'regtest',
      tipHeight: () => Promise.resolve(1000),
      onBlock: () => () => undefined,
      txStatus: () => Promise.resolve({ confirmations: null }),
      txOutput: () => Promise.resolve(null),
      feeratePerKw: () => Promise.resolve(2500),
      broadcast: () => Promise.reject(new Error('no')),
      close: () => undefined,
    };
    const elsewhere = await createLightningNode({ chain: other });
    nodes.push(elsewhere);
    expect(await rpcRejection(elsewhere.call('dev-mine', {}))).toMatchObject({ code: -32601 });
  });
});
