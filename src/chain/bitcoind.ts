// bitcoind JSON-RPC (Node daemon): tip, confirmations, fee estimates, broadcast, and funding
// channels from bitcoind's own wallet.
import type { ChainSource, ChainWallet, FundingTx, Network, TxOutput, TxStatus } from './types.js';
import { ChainError, satPerVbyteToPerKw } from './types.js';
import { TipPoller } from './poller.js';

export interface BitcoindOptions {
  /** http://user:pass@host:port[/wallet/NAME] */
  url: string;
  network: Network;
  pollIntervalMs?: number;
  fetch?: typeof fetch;
  onError?: (e: unknown) => void;
}

interface RpcReply {
  result?: unknown;
  error?: { code?: number; message?: string } | null;
}

export class BitcoindChain implements ChainSource {
  readonly kind = 'bitcoind' as const;
  readonly network: Network;
  readonly wallet: ChainWallet;
  private readonly endpoint: string;
  private readonly auth: string | undefined;
  private readonly doFetch: typeof fetch;
  private readonly poller: TipPoller;
  private nextId = 1;

  constructor(opts: BitcoindOptions) {
    this.network = opts.network;
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      throw new ChainError('BAD_SPEC', 'bitcoind URL must look like http://user:pass@host:port');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ChainError('BAD_SPEC', 'bitcoind URL must be http(s)');
    this.auth = u.username ? btoa(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`) : undefined;
    u.username = '';
    u.password = '';
    this.endpoint = u.toString();
    this.doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.poller = new TipPoller(() => this.call<number>('getblockcount'), opts.pollIntervalMs ?? 10_000, opts.onError ?? (() => undefined));
    this.wallet = { createFundingTx: (spk, amount, feerate) => this.createFundingTx(spk, amount, feerate) };
  }

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.auth) headers.authorization = `Basic ${this.auth}`;
    let res: Response;
    try {
      res = await this.doFetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '1.0', id: this.nextId++, method, params }),
      });
    } catch (e) {
      throw new ChainError('HTTP', `bitcoind ${method}: ${e instanceof Error ? e.message : String(e)}`);
    }
    // bitcoind answers RPC errors with HTTP 500 and a JSON body; read the body either way.
    let body: RpcReply;
    try {
      body = (await res.json()) as RpcReply;
    } catch {
      throw new ChainError('HTTP', `bitcoind ${method}: HTTP ${res.status} without a JSON body`);
    }
    if (body.error) throw new ChainError('RPC', `bitcoind ${method}: ${body.error.message ?? 'error'} (${body.error.code ?? '?'})`);
    return body.result as T;
  }

  async tipHeight(): Promise<number> {
    const h = await this.call<number>('getblockcount');
    this.poller.observe(h);
    return h;
  }

  onBlock(listener: (height: number) => void): () => void {
    return this.poller.subscribe(listener);
  }

  async txStatus(txid: string): Promise<TxStatus> {
    let tx: { confirmations?: number; blockhash?: string };
    try {
      tx = await this.call('getrawtransaction', [txid, true]);
    } catch (e) {
      // -5: not in mempool/txindex. Fall back to the wallet, which knows its own transactions.
      if (!(e instanceof ChainError) || !/\(-5\)/.test(e.message)) throw e;
      try {
        tx = await this.call('gettransaction', [txid]);
      } catch (e2) {
        if (e2 instanceof ChainError && /\(-5\)/.test(e2.message)) return { confirmations: null };
        throw e2;
      }
    }
    const confirmations = tx.confirmations ?? 0;
    if (confirmations <= 0 || !tx.blockhash) return { confirmations: 0 };
    const block = await this.call<{ height: number; tx: string[] }>('getblock', [tx.blockhash, 1]);
    return { confirmations, blockHeight: block.height, blockIndex: block.tx.indexOf(txid) };
  }

  async txOutput(txid: string, vout: number): Promise<TxOutput | null> {
    let tx: { vout?: { n: number; value: number | string; scriptPubKey: { hex: string } }[] };
    try {
      tx = await this.call('getrawtransaction', [txid, true]);
    } catch (e) {
      if (e instanceof ChainError && /\(-5\)/.test(e.message)) return null;
      throw e;
    }
    const o = tx.vout?.find((x) => x.n === vout);
    return o ? { scriptPubKeyHex: o.scriptPubKey.hex, valueSat: btcToSat(o.value) } : null;
  }

  async feeratePerKw(targetBlocks: number): Promise<number | null> {
    const r = await this.call<{ feerate?: number }>('estimatesmartfee', [targetBlocks]);
    // feerate is BTC per kvB.
    return typeof r.feerate === 'number' ? satPerVbyteToPerKw((r.feerate * 1e8) / 1000) : null;
  }

  async broadcast(txHex: string): Promise<string> {
    return this.call<string>('sendrawtransaction', [txHex]);
  }

  private async createFundingTx(scriptPubKeyHex: string, amountSat: bigint, feeratePerKw: number): Promise<FundingTx> {
    const info = await this.call<{ address?: string }>('decodescript', [scriptPubKeyHex]);
    const address = (info as { address?: string; segwit?: { address?: string } }).address;
    if (!address) throw new ChainError('BAD_RESPONSE', 'bitcoind could not turn the funding script into an address');
    const btc = formatBtc(amountSat);
    const raw = await this.call<string>('createrawtransaction', [[], [{ [address]: btc }]]);
    const satPerVbyte = Math.max(1, feeratePerKw / 250);
    const funded = await this.call<{ hex: string; changepos: number }>('fundrawtransaction', [
      raw,
      { fee_rate: satPerVbyte, changePosition: 1 },
    ]);
    const signed = await this.call<{ hex: string; complete: boolean }>('signrawtransactionwithwallet', [funded.hex]);
    if (!signed.complete) throw new ChainError('RPC', 'bitcoind wallet could not sign the funding transaction');
    const decoded = await this.call<{ txid: string; vout: { n: number; scriptPubKey: { hex: string } }[] }>('decoderawtransaction', [signed.hex]);
    const out = decoded.vout.find((o) => o.scriptPubKey.hex === scriptPubKeyHex);
    if (!out) throw new ChainError('BAD_RESPONSE', 'funding output missing from the funded transaction');
    return { txHex: signed.hex, txid: decoded.txid, outputIndex: out.n };
  }

  close(): void {
    this.poller.stop();
  }
}

/** Exact decimal BTC string for a satoshi amount (bitcoind accepts strings, avoiding float error). */
export function formatBtc(amountSat: bigint): string {
  const whole = amountSat / 100_000_000n;
  const frac = (amountSat % 100_000_000n).toString().padStart(8, '0');
  return `${whole}.${frac}`;
}

/** bitcoind prints BTC amounts as JSON numbers with 8 decimals: convert via the text, not floats. */
export function btcToSat(v: number | string): bigint {
  const t = typeof v === 'number' ? v.toFixed(8) : v;
  const m = /^(\d+)(?:\.(\d{1,8}))?$/.exec(t);
  if (!m) throw new ChainError('BAD_RESPONSE', `bad BTC amount ${t}`);
  return BigInt(m[1]!) * 100_000_000n + BigInt((m[2] ?? '').padEnd(8, '0'));
}
