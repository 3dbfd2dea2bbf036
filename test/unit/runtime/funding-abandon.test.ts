// An open that ends before funding_signed never broadcasts its funding tx, so the bitcoind wallet
// coins fundrawtransaction locked for it are handed back, whichever way it ended: `close` while
// the wallet is still building the tx (which must not bring the channel back), the peer refusing
// our funding_created, the peer going away before funding_signed, or a restart in between.
// Two real ChannelManagers; the funder's wallet is FakeBitcoind behind real HTTP JSON-RPC.
import { afterEach, describe, expect, it } from 'vitest';
import { BitcoindChain } from '../../../src/chain/bitcoind.js';
import { FUNDINGS_TABLE } from '../../../src/runtime/tables.js';
import { FakeBitcoind } from '../chain/fake-bitcoind.js';
import { Pair, waitFor } from './manager-pair.js';

const fakes: FakeBitcoind[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function setup(): Promise<{ fake: FakeBitcoind; pair: Pair }> {
  const fake = new FakeBitcoind();
  fakes.push(fake);
  const url = await fake.start();
  fake.giveWallet(20_000_000n);
  const pair = new Pair(new BitcoindChain({ url: `${url}/wallet/default`, network: 'regtest' }), new BitcoindChain({ url: `${url}/wallet/fundee`, network: 'regtest' }));
  await pair.start();
  return { fake, pair };
}

function attempt(pair: Pair): Promise<string> {
  return pair.a.mgr.fundChannel({ peerId: pair.b.id, fundingSat: 1_000_000n }).then(
    () => 'funded',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
}

describe('an open that ends before funding_signed', () => {
  it('close while the wallet signs: dropped at once, funding_created never sent, coins released', async () => {
    const { fake, pair } = await setup();
    const { a, b } = pair;
    const signing = fake.hold('signrawtransactionwithwallet');
    const outcome = attempt(pair);
    await signing.arrived;
    expect(fake.locked.size).toBe(1);

    // Not held up by the wallet: the fundchannel fails and the channel is gone right away.
    await a.mgr.discardUnopened(b.id, 'close command called');
    expect(await outcome).toBe('close command called');
    expect(a.mgr.ofPeer(b.id)).toEqual([]);

    signing.release();
    await waitFor('the funding inputs to be unlocked', () => fake.locked.size === 0);
    await pair.idle();
    // The finished tx did not bring the channel back, was not kept, and never reached the peer.
    expect(a.mgr.ofPeer(b.id)).toEqual([]);
    expect(a.sent.map((m) => m.type)).toEqual(['open_channel', 'error']);
    expect(await a.store.query(FUNDINGS_TABLE.name)).toEqual([]);
    expect(fake.mempool.size).toBe(0);
    expect(a.logs.some((l) => l.message === 'funding inputs released')).toBe(true);
    expect([...a.fatal, ...pair.handlerErrors]).toEqual([]);
  });

  it('the peer refuses funding_created: the channel fails and the coins are released', async () => {
    const { fake, pair } = await setup();
    const { a, b } = pair;
    // A funding_created whose signature the fundee cannot verify.
    pair.filter = (to, m) => {
      if (to !== b || m.type !== 'funding_created') return m;
      const signature = m.signature.slice();
      signature[10] = signature[10]! ^ 0xff;
      return { ...m, signature };
    };
    const outcome = attempt(pair);
    expect(await outcome).toMatch(/peer sent error/);
    await waitFor('the funding inputs to be unlocked', () => fake.locked.size === 0);
    await waitFor('the funding record to be dropped', async () => (await a.store.query(FUNDINGS_TABLE.name)).length === 0);
    expect(a.sent.map((m) => m.type)).toEqual(['open_channel', 'funding_created']);
    expect(fake.mempool.size).toBe(0);
    expect(a.fatal).toEqual([]);
  });

  it('the peer disconnects before funding_signed: the coins are released', async () => {
    const { fake, pair } = await setup();
    const { a, b } = pair;
    pair.filter = (to, m) => (to === a && (m.type === 'funding_signed' || m.type === 'channel_ready') ? false : m);
    const outcome = attempt(pair);
    await waitFor('funding_created', () => a.sent.some((m) => m.type === 'funding_created'));
    await pair.idle();
    expect(fake.locked.size).toBe(1);
    expect(await a.store.query(FUNDINGS_TABLE.name)).toHaveLength(1);

    await a.mgr.onPeerDisconnected(b.id);
    expect(await outcome).toBe('peer disconnected during channel establishment');
    await waitFor('the funding inputs to be unlocked', () => fake.locked.size === 0);
    await waitFor('the funding record to be dropped', async () => (await a.store.query(FUNDINGS_TABLE.name)).length === 0);
    expect(fake.mempool.size).toBe(0);
  });

  it('a restart before funding_signed: the next start releases the coins of the dead attempt', async () => {
    const { fake, pair } = await setup();
    const { a } = pair;
    pair.filter = (to, m) => (to === a && (m.type === 'funding_signed' || m.type === 'channel_ready') ? false : m);
    const outcome = attempt(pair);
    await waitFor('funding_created', () => a.sent.some((m) => m.type === 'funding_created'));
    await pair.idle();
    expect(fake.locked.size).toBe(1);

    // bitcoind cannot be reached at the first restart: the record stays for the next one.
    fake.warmup = true;
    await pair.restart(a);
    expect(await outcome).toBe('node is shutting down');
    await waitFor('the release attempt', () => a.logs.some((l) => l.message.startsWith('funding inputs not released (retried at the next start)')));
    expect(await a.store.query(FUNDINGS_TABLE.name)).toHaveLength(1);
    expect(fake.locked.size).toBe(1);

    fake.warmup = false;
    await pair.restart(a);
    await waitFor('the funding inputs to be unlocked', () => fake.locked.size === 0);
    await waitFor('the funding record to be dropped', async () => (await a.store.query(FUNDINGS_TABLE.name)).length === 0);
    expect(fake.mempool.size).toBe(0);
  });
});
