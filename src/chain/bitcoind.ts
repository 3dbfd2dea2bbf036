// bitcoind JSON-RPC (Node daemon): tip, confirmations, fee estimates, broadcast, and funding
// channels from bitcoind's own wallet.
//
// A default bitcoind has no transaction index: getrawtransaction finds only mempool transactions,
// gettransaction only the wallet's. A channel's funding transaction is often neither (the peer
// funded it, and it confirmed), so confirmed transactions are found through their unspent output
// (gettxout reads the UTXO set), and the block that holds them is remembered so the whole
// transaction can still be fetched by block hash once that output is spent. Once a tx's block and
// position are known, later looks cost one getblockheader (its depth, and whether a reorg took
// the block away) instead of up to six calls.
import type { ChainSource, ChainWallet, Network, TxOutput, TxStatus } from './types.js';
import { ChainError, satPerVbyteToPerKw } from './types.js';
import { TipPoller } from './poller.js';
import { BitcoindRpc, RPC, isNoWalletAnswer, isRpcError } from './bitcoind-rpc.js';
import { fundFromBitcoindWallet, releaseFundingInputs } from './bitcoind-wallet.js';
import { classifyBroadcastError } from './refusal.js';
import { btcToSat } from './btc-amount.js';
import { asArray, asCount, asHash, asHex, asInteger, asObject, type JsonObject } from './json.js';
import { toHex } from '../util/bytes.js';
import { parseTxHex } from '../channel/bitcoin/parse.js';
import { txidHex } from '../channel/bitcoin/tx.js';

export { formatBtc, btcToSat } from './btc-amount.js';

export interface BitcoindOptions {
  /** http://user:pass@host:port[/wallet/NAME] */
  url: string;
  network: Network;
  pollIntervalMs?: number;
  fetch?: typeof fetch;
  onError?: (e: unknown) => void;
}

/** Where a transaction was found: its depth and, once confirmed, its block. */
interface Sighting {
  confirmations: number;
  blockHash?: string;
  blockHeight?: number;
  blockIndex?: number;
}

/** The block a transaction confirmed in; height and position once getblock (or the wallet) told them. */
interface Placement {
  blockHash: string;
  height?: number;
  index?: number;
}

/** Enough for every funding and close a node watches at once; the oldest entries go first. */
const MAX_REMEMBERED_BLOCKS = 1000;

export class BitcoindChain implements ChainSource {
  readonly kind = 'bitcoind' as const;
  readonly network: Network;
  readonly wallet: ChainWallet;
  private readonly rpc: BitcoindRpc;
  private readonly poller: TipPoller;
  /** txid → where it confirmed, as learned by txStatus. */
  private readonly placements = new Map<string, Placement>();

  constructor(opts: BitcoindOptions) {
    this.network = opts.network;
    this.rpc = new BitcoindRpc(opts.url, opts.fetch);
    this.poller = new TipPoller(() => this.blockCount(), opts.pollIntervalMs ?? 10_000, opts.onError ?? (() => undefined));
    this.wallet = {
      createFundingTx: (spk, amount, feerate) => fundFromBitcoindWallet(this.rpc, this.network, spk, amount, feerate),
      release: (txHex) => releaseFundingInputs(this.rpc, txHex),
    };
  }

  /** One raw JSON-RPC call (bitcoin-cli METHOD PARAMS...). */
  call(method: string, params: unknown[] = []): Promise<unknown> {
    return this.rpc.call(method, params);
  }

  private async blockCount(): Promise<number> {
    return asCount(await this.rpc.call('getblockcount'), 'bitcoind getblockcount');
  }

  async tipHeight(): Promise<number> {
    const h = await this.blockCount();
    this.poller.observe(h);
    return h;
  }

  onBlock(listener: (height: number) => void): () => void {
    return this.poller.subscribe(listener);
  }

  async txStatus(txid: string, outputIndex?: number): Promise<TxStatus> {
    const known = await this.fromPlacement(txid);
    if (known) return known;
    const seen =
      (await this.fromMempoolOrIndex(txid)) ??
      (await this.fromWallet(txid)) ??
      (outputIndex !== undefined ? await this.fromUtxoSet(txid, outputIndex) : null);
    if (!seen) return { confirmations: null };
    if (seen.confirmations <= 0 || seen.blockHash === undefined) return { confirmations: 0 };
    if (seen.blockHeight !== undefined && seen.blockIndex !== undefined) {
      this.remember(txid, { blockHash: seen.blockHash, height: seen.blockHeight, index: seen.blockIndex });
      return { confirmations: seen.confirmations, blockHeight: seen.blockHeight, blockIndex: seen.blockIndex };
    }
    const what = 'bitcoind getblock';
    const block = asObject(await this.rpc.call('getblock', [seen.blockHash, 1]), what);
    const status: TxStatus = { confirmations: seen.confirmations, blockHeight: asCount(block.height, `${what} height`) };
    // A reorg between the calls can move the tx out of this block: report no position then.
    const index = asArray(block.tx, `${what} tx`).indexOf(txid);
    if (index >= 0) status.blockIndex = index;
    this.remember(txid, { blockHash: seen.blockHash, ...(index >= 0 ? { height: status.blockHeight!, index } : {}) });
    return status;
  }

  /** A tx whose block and position we know: its depth from that block's header, one call. */
  private async fromPlacement(txid: string): Promise<TxStatus | null> {
    const p = this.placements.get(txid);
    if (p?.height === undefined || p.index === undefined) return null;
    const what = 'bitcoind getblockheader';
    let header: JsonObject;
    try {
      header = asObject(await this.rpc.call('getblockheader', [p.blockHash]), what);
    } catch (e) {
      if (!isRpcError(e, RPC.INVALID_ADDRESS_OR_KEY)) throw e;
      this.placements.delete(txid);
      return null;
    }
    // -1: the block is no longer in the main chain (a reorg): look the tx up from scratch.
    const confirmations = asInteger(header.confirmations, `${what} confirmations`);
    if (confirmations <= 0) {
      this.placements.delete(txid);
      return null;
    }
    return { confirmations, blockHeight: p.height, blockIndex: p.index };
  }

  /** getrawtransaction: always sees the mempool; sees blocks only with -txindex. */
  private async fromMempoolOrIndex(txid: string): Promise<Sighting | null> {
    let tx: JsonObject;
    try {
      tx = asObject(await this.rpc.call('getrawtransaction', [txid, true]), 'bitcoind getrawtransaction');
    } catch (e) {
      if (isRpcError(e, RPC.INVALID_ADDRESS_OR_KEY)) return null;
      throw e;
    }
    const confirmations = tx.confirmations === undefined ? 0 : asCount(tx.confirmations, 'bitcoind getrawtransaction confirmations');
    if (confirmations === 0) return { confirmations };
    return { confirmations, blockHash: asHash(tx.blockhash, 'bitcoind getrawtransaction blockhash') };
  }

  /** gettransaction: our own wallet's transactions, with their block position. */
  private async fromWallet(txid: string): Promise<Sighting | null> {
    let tx: JsonObject;
    try {
      tx = asObject(await this.rpc.call('gettransaction', [txid]), 'bitcoind gettransaction');
    } catch (e) {
      if (isNoWalletAnswer(e)) return null;
      throw e;
    }
    // Negative: a conflicting transaction confirmed instead. Either way this one is not in a block.
    const confirmations = asInteger(tx.confirmations, 'bitcoind gettransaction confirmations');
    if (confirmations <= 0) return { confirmations: 0 };
    const seen: Sighting = { confirmations, blockHash: asHash(tx.blockhash, 'bitcoind gettransaction blockhash') };
    if (tx.blockheight !== undefined && tx.blockindex !== undefined) {
      seen.blockHeight = asCount(tx.blockheight, 'bitcoind gettransaction blockheight');
      seen.blockIndex = asCount(tx.blockindex, 'bitcoind gettransaction blockindex');
    }
    return seen;
  }

  /**
   * gettxout over the confirmed UTXO set (mempool spends ignored: a confirmed funding output
   * spent by a close still in the mempool is still confirmed). Its depth and the tip it was
   * measured against give the block height, hence the block.
   */
  private async fromUtxoSet(txid: string, vout: number): Promise<Sighting | null> {
    const what = 'bitcoind gettxout';
    const r = await this.rpc.call('gettxout', [txid, vout, false]);
    if (r === null) return null;
    const out = asObject(r, what);
    const confirmations = asCount(out.confirmations, `${what} confirmations`);
    if (confirmations === 0) return { confirmations };
    const tip = asObject(await this.rpc.call('getblockheader', [asHash(out.bestblock, `${what} bestblock`)]), 'bitcoind getblockheader');
    const height = asCount(tip.height, 'bitcoind getblockheader height') - confirmations + 1;
    if (height < 0) throw new ChainError('BAD_RESPONSE', `${what}: more confirmations than blocks`);
    return { confirmations, blockHash: asHash(await this.rpc.call('getblockhash', [height]), 'bitcoind getblockhash') };
  }

  private remember(txid: string, p: Placement): void {
    this.placements.delete(txid);
    this.placements.set(txid, p);
    if (this.placements.size > MAX_REMEMBERED_BLOCKS) this.placements.delete(this.placements.keys().next().value!);
  }

  async txOutput(txid: string, vout: number): Promise<TxOutput | null> {
    if (!Number.isInteger(vout) || vout < 0) return null;
    const r = await this.rpc.call('gettxout', [txid, vout, false]);
    if (r !== null) {
      const out = asObject(r, 'bitcoind gettxout');
      const spk = asObject(out.scriptPubKey, 'bitcoind gettxout scriptPubKey');
      return { scriptPubKeyHex: asHex(spk.hex, 'bitcoind gettxout scriptPubKey hex'), valueSat: btcToSat(out.value) };
    }
    // Spent, unconfirmed, or unknown: fetch the whole transaction wherever bitcoind can see it.
    const hex = await this.rawTransaction(txid);
    if (hex === null) return null;
    let tx;
    try {
      tx = parseTxHex(hex);
    } catch (e) {
      throw new ChainError('BAD_RESPONSE', `bitcoind returned an unparsable transaction for ${txid}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (txidHex(tx) !== txid.toLowerCase()) throw new ChainError('BAD_RESPONSE', `bitcoind returned another transaction for ${txid}`);
    const o = tx.outputs[vout];
    return o ? { scriptPubKeyHex: toHex(o.scriptPubKey), valueSat: o.value } : null;
  }

  /** The raw tx from the mempool or txindex, from the block we saw it in, or from the wallet. */
  private async rawTransaction(txid: string): Promise<string | null> {
    const attempts: [string, unknown[], (e: unknown) => boolean][] = [['getrawtransaction', [txid, false], (e) => isRpcError(e, RPC.INVALID_ADDRESS_OR_KEY)]];
    const block = this.placements.get(txid)?.blockHash;
    if (block !== undefined) attempts.push(['getrawtransaction', [txid, false, block], (e) => isRpcError(e, RPC.INVALID_ADDRESS_OR_KEY)]);
    attempts.push(['gettransaction', [txid], isNoWalletAnswer]);
    for (const [method, params, notFound] of attempts) {
      let r: unknown;
      try {
        r = await this.rpc.call(method, params);
      } catch (e) {
        if (notFound(e)) continue;
        throw e;
      }
      return method === 'gettransaction' ? asHex(asObject(r, 'bitcoind gettransaction').hex, 'bitcoind gettransaction hex') : asHex(r, `bitcoind ${method}`);
    }
    return null;
  }

  async feeratePerKw(targetBlocks: number): Promise<number | null> {
    const r = asObject(await this.rpc.call('estimatesmartfee', [targetBlocks]), 'bitcoind estimatesmartfee');
    // feerate is BTC per kvB; absent (with "errors") while bitcoind has too little data.
    return typeof r.feerate === 'number' && Number.isFinite(r.feerate) && r.feerate > 0 ? satPerVbyteToPerKw((r.feerate * 1e8) / 1000) : null;
  }

  async broadcast(txHex: string): Promise<string> {
    let r: unknown;
    try {
      r = await this.rpc.call('sendrawtransaction', [txHex]);
    } catch (e) {
      throw classifyBroadcastError(e);
    }
    return asHash(r, 'bitcoind sendrawtransaction');
  }

  close(): void {
    this.poller.stop();
  }
}
