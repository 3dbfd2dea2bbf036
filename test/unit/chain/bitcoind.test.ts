// BitcoindChain against FakeBitcoind (a bitcoind model behind a real HTTP JSON-RPC server): a
// default bitcoind without -txindex, its wallet funding channels, and the errors it answers with.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BitcoindChain, ChainError } from '../../../src/chain/index.js';
import { fundingOutput } from '../../../src/channel/funding.js';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { parseTxHex } from '../../../src/channel/bitcoin/parse.js';
import { serializeTx, txidFromHex, txidHex } from '../../../src/channel/bitcoin/tx.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { sat } from '../../../src/types.js';
import { FakeBitcoind, methods } from './fake-bitcoind.js';
import { untilTrue } from '../../support/until.js';

const fakes: FakeBitcoind[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function fake(): Promise<{ fake: FakeBitcoind; url: string }> {
  const f = new FakeBitcoind();
  fakes.push(f);
  return { fake: f, url: await f.start() };
}

/** A server answering every request with `status` and `body`, for malformed bitcoind replies. */
async function rawServer(status: number, body: string): Promise<string> {
  const s = createServer((_req, res) => res.writeHead(status).end(body));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `http://u:p@127.0.0.1:${(s.address() as AddressInfo).port}`;
}

// A real BOLT 3 funding output (2-of-2 P2WSH) for two keys.
const SPK = toHex(fundingOutput(pubkeyCreate(fromHex('11'.repeat(32))), pubkeyCreate(fromHex('22'.repeat(32)))).script_pubkey);

describe('BitcoindChain without -txindex', () => {
  it("finds a peer's confirmed funding transaction through its unspent output (not in our wallet)", async () => {
    const { fake: f, url } = await fake();
    f.wallets.clear(); // the fundee's bitcoind: no wallet at all
    const txid = f.foreignTx([{ value: sat(1_000_000n), scriptPubKey: fromHex(SPK) }]);
    const c = new BitcoindChain({ url, network: 'regtest' });

    // In the mempool: getrawtransaction sees it.
    expect(await c.txStatus(txid, 0)).toEqual({ confirmations: 0 });
    expect(await c.txOutput(txid, 0)).toEqual({ scriptPubKeyHex: SPK, valueSat: 1_000_000n });

    f.mine(3);
    const height = f.tip.height - 2;
    f.calls.length = 0;
    expect(await c.txStatus(txid, 0)).toEqual({ confirmations: 3, blockHeight: height, blockIndex: 1 });
    // getrawtransaction failed (-5), there is no wallet (-18): the UTXO set answered.
    expect(methods(f)).toEqual(['getrawtransaction', 'gettransaction', 'gettxout', 'getblockheader', 'getblockhash', 'getblock']);
    expect(await c.txOutput(txid, 0)).toEqual({ scriptPubKeyHex: SPK, valueSat: 1_000_000n });
    expect(await c.txOutput(txid, 1)).toBeNull();
    // Without an output to look through, a default bitcoind cannot see it: say so, not "0"
    // (unless this source already learned its block, as `c` did).
    expect(await new BitcoindChain({ url, network: 'regtest' }).txStatus(txid)).toEqual({ confirmations: null });
    expect((await c.txStatus(txid)).confirmations).toBe(3);
  });

  it('still reads a confirmed output after it is spent, from the block it was seen in', async () => {
    const { fake: f, url } = await fake();
    f.wallets.clear();
    const txid = f.foreignTx([{ value: sat(250_000n), scriptPubKey: fromHex(SPK) }]);
    f.mine(2);
    const c = new BitcoindChain({ url, network: 'regtest' });
    expect((await c.txStatus(txid, 0)).confirmations).toBe(2);
    // A close spends the funding output and confirms.
    const spend = { prevout: { txid: txidFromHex(txid), vout: 0 }, scriptSig: new Uint8Array(0), sequence: 0xffffffff, witness: [Uint8Array.of(1)] };
    const close = { version: 2, inputs: [spend], outputs: [{ value: sat(249_000n), scriptPubKey: fromHex('0014' + '55'.repeat(20)) }], locktime: 0 };
    await c.broadcast(toHex(serializeTx(close)));
    f.mine(1);
    expect(await c.txOutput(txid, 0)).toEqual({ scriptPubKeyHex: SPK, valueSat: 250_000n });
    expect(f.calls.at(-1)).toMatchObject({ method: 'getrawtransaction', params: [txid, false, expect.stringMatching(/^[0-9a-f]{64}$/)] });
    // A source that never saw it confirmed has no way to find it: unknown, not an error.
    const fresh = new BitcoindChain({ url, network: 'regtest' });
    expect(await fresh.txOutput(txid, 0)).toBeNull();
    expect(await fresh.txStatus(txid, 0)).toEqual({ confirmations: null });
  });

  it('reads wallet transactions from gettransaction, position included', async () => {
    const { fake: f, url } = await fake();
    f.giveWallet(5_000_000n);
    const walletTxid = [...f.walletTxids][0]!;
    const c = new BitcoindChain({ url, network: 'regtest' });
    f.mine(4);
    f.calls.length = 0;
    expect(await c.txStatus(walletTxid)).toEqual({ confirmations: 5, blockHeight: f.tip.height - 4, blockIndex: 1 });
    expect(methods(f)).toEqual(['getrawtransaction', 'gettransaction']);
  });

  it('asks only for the block header once it knows where a tx confirmed', async () => {
    const { fake: f, url } = await fake();
    f.wallets.clear();
    const txid = f.foreignTx([{ value: sat(300_000n), scriptPubKey: fromHex(SPK) }]);
    f.mine(1);
    const c = new BitcoindChain({ url, network: 'regtest' });
    const height = f.tip.height;
    expect(await c.txStatus(txid, 0)).toEqual({ confirmations: 1, blockHeight: height, blockIndex: 1 });
    f.mine(2);
    f.calls.length = 0;
    expect(await c.txStatus(txid, 0)).toEqual({ confirmations: 3, blockHeight: height, blockIndex: 1 });
    expect(methods(f)).toEqual(['getblockheader']);
    // Once its output is spent the UTXO set no longer has it; the remembered block still answers.
    const spend = { prevout: { txid: txidFromHex(txid), vout: 0 }, scriptSig: new Uint8Array(0), sequence: 0xffffffff, witness: [Uint8Array.of(1)] };
    await c.broadcast(toHex(serializeTx({ version: 2, inputs: [spend], outputs: [{ value: sat(299_000n), scriptPubKey: fromHex('0014' + '55'.repeat(20)) }], locktime: 0 })));
    f.mine(1);
    expect(await c.txStatus(txid, 0)).toEqual({ confirmations: 4, blockHeight: height, blockIndex: 1 });
    expect(await new BitcoindChain({ url, network: 'regtest' }).txStatus(txid, 0)).toEqual({ confirmations: null });
  });

  it('looks a tx up again when its block left the main chain', async () => {
    const { fake: f, url } = await fake();
    f.wallets.clear();
    const txid = f.foreignTx([{ value: sat(300_000n), scriptPubKey: fromHex(SPK) }]);
    f.mine(2);
    const c = new BitcoindChain({ url, network: 'regtest' });
    expect((await c.txStatus(txid, 0)).confirmations).toBe(2);
    // A reorg: the block is replaced by another holding the same tx at the same height.
    const block = f.blocks.find((b) => b.txids.includes(txid))!;
    const old = block.hash;
    block.hash = 'ee'.repeat(32);
    f.confirmed.set(txid, [f.confirmed.get(txid)![0], block.hash]);
    f.calls.length = 0;
    expect(await c.txStatus(txid, 0)).toEqual({ confirmations: 2, blockHeight: block.height, blockIndex: 1 });
    expect(methods(f)[0]).toBe('getblockheader');
    expect(f.calls[0]!.params[0]).toBe(old);
    expect(methods(f).slice(1)).toEqual(['getrawtransaction', 'gettransaction', 'gettxout', 'getblockheader', 'getblockhash', 'getblock']);
  });

  it('names the broadcast refusals that are final', async () => {
    const { fake: f, url } = await fake();
    f.wallets.clear();
    const txid = f.foreignTx([{ value: sat(300_000n), scriptPubKey: fromHex(SPK) }]);
    f.mine(1);
    const c = new BitcoindChain({ url, network: 'regtest' });
    const input = { prevout: { txid: txidFromHex(txid), vout: 0 }, scriptSig: new Uint8Array(0), sequence: 0xffffffff, witness: [Uint8Array.of(1)] };
    const pay = (n: number) => toHex(serializeTx({ version: 2, inputs: [input], outputs: [{ value: sat(290_000n - BigInt(n)), scriptPubKey: fromHex('0014' + '55'.repeat(20)) }], locktime: 0 }));
    await c.broadcast(pay(0));
    // Another spend of the same output (the peer's commitment got there first): while that one
    // is only in the mempool it may still go away, so this is an ordinary refusal.
    await expect(c.broadcast(pay(1))).rejects.toMatchObject({ code: 'RPC', rpcCode: -26 });
    f.mine(1);
    await expect(c.broadcast(pay(1))).rejects.toMatchObject({ code: 'INPUTS_MISSING_OR_SPENT', rpcCode: -25 });
    await expect(c.broadcast(pay(0))).rejects.toMatchObject({ code: 'ALREADY_IN_CHAIN', rpcCode: -27 });
    // Any other refusal keeps bitcoind's code.
    await expect(c.broadcast('00')).rejects.toMatchObject({ code: 'RPC', rpcCode: -22 });
  });

  it('uses -txindex when bitcoind has it', async () => {
    const { fake: f, url } = await fake();
    f.txindex = true;
    f.wallets.clear();
    const txid = f.foreignTx([{ value: sat(40_000n), scriptPubKey: fromHex(SPK) }]);
    f.mine(1);
    f.calls.length = 0;
    const c = new BitcoindChain({ url, network: 'regtest' });
    expect(await c.txStatus(txid)).toEqual({ confirmations: 1, blockHeight: f.tip.height, blockIndex: 1 });
    expect(methods(f)).toEqual(['getrawtransaction', 'getblock']);
  });
});

describe('BitcoindChain wallet funding', () => {
  it('funds, signs and checks a funding transaction; it confirms for both sides of the channel', async () => {
    const { fake: f, url } = await fake();
    f.giveWallet(50_000_000n);
    const funder = new BitcoindChain({ url: `${url}/wallet/default`, network: 'regtest' });
    f.calls.length = 0;
    const tx = await funder.wallet.createFundingTx(SPK, 1_000_000n, 2500);
    expect(methods(f)).toEqual(['createrawtransaction', 'fundrawtransaction', 'signrawtransactionwithwallet']);
    expect(f.calls[1]!.params[1]).toEqual({ fee_rate: 10, changePosition: 1, lockUnspents: true });

    const parsed = parseTxHex(tx.txHex);
    expect(txidHex(parsed)).toBe(tx.txid);
    expect(toHex(parsed.outputs[tx.outputIndex]!.scriptPubKey)).toBe(SPK);
    expect(parsed.outputs[tx.outputIndex]!.value).toBe(1_000_000n);
    // The wallet's coin pays the funding output, change back to the wallet, 10 sat/vB of fee.
    const coinValue = 50_000_000n;
    const fee = coinValue - parsed.outputs.reduce((s, o) => s + o.value, 0n);
    expect(fee).toBe(BigInt(Math.ceil(10 * (11 + 68 + 43 * 2))));
    expect(parsed.inputs.every((i) => i.witness.length > 0 && i.scriptSig.length === 0)).toBe(true);
    // Its inputs are locked until broadcast: a second funding cannot take the same coin.
    await expect(funder.wallet.createFundingTx(SPK, 1_000_000n, 2500)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });

    expect(await funder.broadcast(tx.txHex)).toBe(tx.txid);
    expect(await funder.txStatus(tx.txid, tx.outputIndex)).toEqual({ confirmations: 0 });
    f.mine(3);
    const expected = { confirmations: 3, blockHeight: f.tip.height - 2, blockIndex: 1 };
    expect(await funder.txStatus(tx.txid, tx.outputIndex)).toEqual(expected);
    // The fundee's node uses a bitcoind wallet that is not ours: only the UTXO set can tell it.
    const fundee = new BitcoindChain({ url: `${url}/wallet/fundee`, network: 'regtest' });
    expect(await fundee.txStatus(tx.txid, tx.outputIndex)).toEqual(expected);
    expect(await fundee.txOutput(tx.txid, tx.outputIndex)).toEqual({ scriptPubKeyHex: SPK, valueSat: 1_000_000n });
  });

  it('releases the inputs of a funding tx that will never be broadcast', async () => {
    const { fake: f, url } = await fake();
    f.giveWallet(50_000_000n);
    const c = new BitcoindChain({ url, network: 'regtest' });
    const tx = await c.wallet.createFundingTx(SPK, 1_000_000n, 2500);
    expect(f.locked.size).toBe(1);
    await expect(c.wallet.createFundingTx(SPK, 1_000_000n, 2500)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    f.calls.length = 0;
    await c.wallet.release!(tx.txHex);
    expect(methods(f)).toEqual(['listlockunspent', 'lockunspent']);
    expect(f.locked.size).toBe(0);
    // The coin funds the next channel.
    const again = await c.wallet.createFundingTx(SPK, 1_000_000n, 2500);
    expect(parseTxHex(again.txHex).inputs.map((i) => toHex(i.prevout.txid))).toEqual(parseTxHex(tx.txHex).inputs.map((i) => toHex(i.prevout.txid)));
    // bitcoind restarted (locks gone), or released twice: nothing to do, and no -8 refusal.
    f.locked.clear();
    f.calls.length = 0;
    await c.wallet.release!(again.txHex);
    expect(methods(f)).toEqual(['listlockunspent']);
    // Another lock of the wallet's is not touched.
    f.giveWallet(7_000_000n);
    const other = [...f.walletCoins].find((k) => !k.startsWith(toHex(parseTxHex(tx.txHex).inputs[0]!.prevout.txid.slice().reverse())))!;
    f.locked.add(other);
    await c.wallet.release!(tx.txHex);
    expect([...f.locked]).toEqual([other]);
    await expect(c.wallet.release!('zz')).rejects.toMatchObject({ code: 'BAD_SPEC' });
  });

  it('says clearly when the wallet cannot afford the channel', async () => {
    const { fake: f, url } = await fake();
    f.giveWallet(500_000n);
    const c = new BitcoindChain({ url, network: 'regtest' });
    const err = await c.wallet.createFundingTx(SPK, 1_000_000n, 253).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect(err).toMatchObject({ code: 'INSUFFICIENT_FUNDS', rpcCode: -4 });
    expect((err as Error).message).toMatch(/cannot afford 1000000 sat plus fees at 1\.012 sat\/vB \(bitcoind fundrawtransaction: Insufficient funds \(-4\)\)/);
    expect(f.locked.size).toBe(0);
  });

  it('explains a missing or ambiguous wallet', async () => {
    const { fake: f, url } = await fake();
    f.wallets.clear();
    const none = new BitcoindChain({ url, network: 'regtest' });
    await expect(none.wallet.createFundingTx(SPK, 1_000_000n, 2500)).rejects.toMatchObject({ code: 'RPC', rpcCode: -18, message: expect.stringMatching(/no usable wallet/) });
    f.wallets = new Set(['a', 'b']);
    await expect(none.wallet.createFundingTx(SPK, 1_000_000n, 2500)).rejects.toMatchObject({ rpcCode: -19, message: expect.stringMatching(/\/wallet\/NAME/) });
  });

  it('refuses non-segwit coins (the txid could be malleated) and unlocks them', async () => {
    const { fake: f, url } = await fake();
    f.giveWallet(9_000_000n, 'p2pkh');
    const c = new BitcoindChain({ url, network: 'regtest' });
    await expect(c.wallet.createFundingTx(SPK, 1_000_000n, 2500)).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/only segwit/) });
    expect(methods(f).slice(-1)).toEqual(['lockunspent']);
    expect(f.locked.size).toBe(0);
  });

  it('unlocks the inputs when the wallet cannot sign (encrypted and locked)', async () => {
    const { fake: f, url } = await fake();
    f.giveWallet(9_000_000n);
    f.walletLocked = true;
    const c = new BitcoindChain({ url, network: 'regtest' });
    await expect(c.wallet.createFundingTx(SPK, 1_000_000n, 2500)).rejects.toMatchObject({ code: 'RPC', rpcCode: -13, message: expect.stringMatching(/walletpassphrase/) });
    expect(f.locked.size).toBe(0);
    f.walletLocked = false;
    expect((await c.wallet.createFundingTx(SPK, 1_000_000n, 2500)).outputIndex).toBe(0);
  });

  it('rejects a funding script that is not a segwit output before calling bitcoind', async () => {
    const { fake: f, url } = await fake();
    const c = new BitcoindChain({ url, network: 'regtest' });
    f.calls.length = 0;
    await expect(c.wallet.createFundingTx('76a914' + '00'.repeat(20) + '88ac', 1_000_000n, 2500)).rejects.toMatchObject({ code: 'BAD_SPEC' });
    await expect(c.wallet.createFundingTx(SPK, 0n, 2500)).rejects.toMatchObject({ code: 'BAD_SPEC' });
    expect(f.calls).toEqual([]);
  });
});

describe('BitcoindChain errors and polling', () => {
  it('maps credentials, RPC errors and malformed replies to typed errors without leaking the password', async () => {
    const { url } = await fake();
    const wrong = new BitcoindChain({ url: url.replace('user:pass', 'user:hunter2'), network: 'regtest' });
    const e = await wrong.tipHeight().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'HTTP', httpStatus: 401, message: expect.stringMatching(/refused the RPC credentials/) });
    expect((e as Error).message).not.toMatch(/hunter2/);

    const c = new BitcoindChain({ url, network: 'regtest' });
    await expect(c.call('nosuchmethod')).rejects.toMatchObject({ code: 'RPC', rpcCode: -32601, httpStatus: 404 });
    await expect(c.broadcast('00')).rejects.toMatchObject({ code: 'RPC', rpcCode: -22 });

    await expect(new BitcoindChain({ url: await rawServer(200, 'not json'), network: 'regtest' }).tipHeight()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect(new BitcoindChain({ url: await rawServer(500, '<html>proxy error</html>'), network: 'regtest' }).tipHeight()).rejects.toMatchObject({
      code: 'HTTP',
      httpStatus: 500,
    });
    await expect(new BitcoindChain({ url: await rawServer(200, '{"result":"12","error":null}'), network: 'regtest' }).tipHeight()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
    await expect(new BitcoindChain({ url: await rawServer(200, '[1]'), network: 'regtest' }).tipHeight()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    const shape = new BitcoindChain({ url: await rawServer(200, '{"result":{"confirmations":"3"},"error":null}'), network: 'regtest' });
    await expect(shape.txStatus('aa'.repeat(32))).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect(new BitcoindChain({ url: 'http://127.0.0.1:1', network: 'regtest' }).tipHeight()).rejects.toMatchObject({ code: 'HTTP' });
  });

  it('reports fee estimates, and null while bitcoind has none', async () => {
    const { fake: f, url } = await fake();
    const c = new BitcoindChain({ url, network: 'regtest' });
    expect(await c.feeratePerKw(6)).toBe(5000);
    f.estimate = null;
    expect(await c.feeratePerKw(6)).toBeNull();
  });

  it('announces new tips from polling, and keeps polling through a bitcoind restart', async () => {
    const { fake: f, url } = await fake();
    const errors: unknown[] = [];
    const c = new BitcoindChain({ url, network: 'regtest', pollIntervalMs: 20, onError: (e) => errors.push(e) });
    const seen: number[] = [];
    const stop = c.onBlock((h) => seen.push(h));
    const start = f.tip.height;
    await untilTrue('seen.length === 1', () => seen.length === 1);
    f.mine(1);
    await untilTrue('seen.length === 2', () => seen.length === 2);
    expect(seen).toEqual([start, start + 1]);
    f.warmup = true;
    await untilTrue('errors.length > 0', () => errors.length > 0);
    expect(errors[0]).toMatchObject({ code: 'RPC', rpcCode: -28 });
    f.mine(2);
    f.warmup = false;
    await untilTrue('seen.length === 3', () => seen.length === 3);
    expect(seen).toEqual([start, start + 1, start + 3]);
    stop();
    c.close();
  });
});
