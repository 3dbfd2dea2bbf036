// What the rebroadcaster costs and where closed channels end up, on a default bitcoind
// (FakeBitcoind: no -txindex, real HTTP JSON-RPC) under two real ChannelManagers:
// - a funding the depth check looks at is asked about once per block, not twice, and not at all
//   once it is deep enough (nor after a restart);
// - a force-closed channel whose funding output the peer's commitment spent is not offered again
//   at every block: the refusal is final, logged once, and the channel goes ONCHAIN; the peer,
//   whose commitment confirmed, goes ONCHAIN too;
// - a mutual close goes ONCHAIN on both sides once its closing tx confirms, and is then no
//   longer asked about.
import { afterEach, describe, expect, it } from 'vitest';
import { BitcoindChain } from '../../../src/chain/bitcoind.js';
import { channelSummary } from '../../../src/channel/state/index.js';
import { FakeBitcoind } from '../chain/fake-bitcoind.js';
import { Pair, waitFor, type Side } from './manager-pair.js';

const fakes: FakeBitcoind[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function setup(trusted: boolean): Promise<{ fake: FakeBitcoind; pair: Pair }> {
  const fake = new FakeBitcoind();
  fakes.push(fake);
  const url = await fake.start();
  fake.giveWallet(20_000_000n);
  const pair = new Pair(new BitcoindChain({ url: `${url}/wallet/default`, network: 'regtest' }), new BitcoindChain({ url: `${url}/wallet/fundee`, network: 'regtest' }), trusted);
  await pair.start();
  return { fake, pair };
}

async function mine(fake: FakeBitcoind, pair: Pair): Promise<void> {
  fake.mine(1);
  await pair.block(fake.tip.height);
}

function stateOf(s: Side, channelId: string): string | undefined {
  const ch = s.mgr.get(channelId);
  return ch ? channelSummary(ch).cln_state : undefined;
}

const count = (list: readonly string[], x: string) => list.filter((y) => y === x).length;

describe('rebroadcaster on bitcoind', () => {
  it('asks once per block about a funding the depth check watches, and never once it is deep', async () => {
    const { fake, pair } = await setup(false);
    const { a, b } = pair;
    const f = await a.mgr.fundChannel({ peerId: b.id, fundingSat: 1_000_000n });
    await pair.idle();
    expect(fake.mempool.has(f.funding_txid)).toBe(true);
    for (let depth = 1; depth <= 3; depth++) {
      a.chain.statusAsked.length = 0;
      await mine(fake, pair);
      // The depth check's answer serves the rebroadcaster too.
      expect(count(a.chain.statusAsked, f.funding_txid)).toBe(1);
    }
    await waitFor('both sides CHANNELD_NORMAL', () => stateOf(a, f.channel_id) === 'CHANNELD_NORMAL' && stateOf(b, f.channel_id) === 'CHANNELD_NORMAL');
    a.chain.statusAsked.length = 0;
    await mine(fake, pair);
    expect(count(a.chain.statusAsked, f.funding_txid)).toBe(0);
    // Nor after a restart: the channel's funding depth says the chain has it.
    await pair.restart(a);
    await a.mgr.rebroadcast();
    expect(count(a.chain.statusAsked, f.funding_txid)).toBe(0);
    expect([...a.fatal, ...b.fatal, ...pair.handlerErrors]).toEqual([]);
  });

  it("the peer's commitment spent the funding output: ours is given up once and both channels go ONCHAIN", async () => {
    const { fake, pair } = await setup(false);
    const { a, b } = pair;
    const f = await a.mgr.fundChannel({ peerId: b.id, fundingSat: 1_000_000n });
    await pair.idle();
    for (let i = 0; i < 3; i++) await mine(fake, pair);
    await waitFor('both sides CHANNELD_NORMAL', () => stateOf(a, f.channel_id) === 'CHANNELD_NORMAL' && stateOf(b, f.channel_id) === 'CHANNELD_NORMAL');

    // B force-closes; its error makes A broadcast its own commitment, which conflicts.
    const theirs = await b.mgr.close(f.channel_id, { force: true });
    await pair.idle();
    expect(fake.mempool.has(theirs.txid)).toBe(true);
    expect(stateOf(a, f.channel_id)).toBe('AWAITING_UNILATERAL');
    const ours = a.chain.broadcasts.at(-1)!;
    expect(fake.mempool.has(theirs.txid) && !fake.mempool.has(ours)).toBe(true);

    await mine(fake, pair);
    await waitFor('both channels ONCHAIN', () => stateOf(a, f.channel_id) === 'ONCHAIN' && stateOf(b, f.channel_id) === 'ONCHAIN');
    const tries = count(a.chain.broadcasts, ours);
    a.chain.statusAsked.length = 0;
    b.chain.statusAsked.length = 0;
    for (let i = 0; i < 3; i++) await mine(fake, pair);
    // Nothing is asked about or offered again, and the refusal was logged once.
    expect(count(a.chain.broadcasts, ours)).toBe(tries);
    expect(a.chain.statusAsked).toEqual([]);
    expect(b.chain.statusAsked).toEqual([]);
    expect(a.logs.filter((l) => l.message.startsWith('not offered again'))).toHaveLength(1);
    expect(a.logs.filter((l) => l.level === 'error')).toHaveLength(1); // the first, mempool conflict
    // listpeerchannels' state, the channel event, and the store all say ONCHAIN.
    for (const s of [a, b]) {
      expect(s.events).toContainEqual({ type: 'channel', peer_id: s === a ? b.id : a.id, channel_id: f.channel_id, state: 'ONCHAIN' });
      await pair.restart(s);
      expect(stateOf(s, f.channel_id)).toBe('ONCHAIN');
    }
    expect([...a.fatal, ...b.fatal, ...pair.handlerErrors]).toEqual([]);
  });

  it('a mutual close goes ONCHAIN on both sides once its closing tx confirms', async () => {
    const { fake, pair } = await setup(true);
    const { a, b } = pair;
    const f = await a.mgr.fundChannel({ peerId: b.id, fundingSat: 1_000_000n, zeroconf: true });
    await waitFor('both sides CHANNELD_NORMAL', () => stateOf(a, f.channel_id) === 'CHANNELD_NORMAL' && stateOf(b, f.channel_id) === 'CHANNELD_NORMAL');
    const closing = await a.mgr.close(f.channel_id, {});
    await pair.idle();
    expect(closing.type).toBe('mutual');
    expect(stateOf(a, f.channel_id)).toBe('CLOSINGD_COMPLETE');
    expect(stateOf(b, f.channel_id)).toBe('CLOSINGD_COMPLETE');
    expect(fake.mempool.has(closing.txid)).toBe(true);

    await mine(fake, pair);
    await waitFor('both channels ONCHAIN', () => stateOf(a, f.channel_id) === 'ONCHAIN' && stateOf(b, f.channel_id) === 'ONCHAIN');
    a.chain.statusAsked.length = 0;
    b.chain.statusAsked.length = 0;
    await mine(fake, pair);
    expect(count(a.chain.statusAsked, closing.txid) + count(b.chain.statusAsked, closing.txid)).toBe(0);
    expect([...a.fatal, ...b.fatal, ...pair.handlerErrors]).toEqual([]);
  });
});
