// Esplora (Blockstream/mempool.space REST API) over fetch: works in browsers, edge runtimes and Node.
import type { ChainSource, Network, TxOutput, TxStatus } from './types.js';
import { ChainError, satPerVbyteToPerKw } from './types.js';
import { TipPoller } from './poller.js';
import { asArray, asCount, asHash, asHex, asObject, readJson, readText } from './json.js';
import { classifyBroadcastError } from './refusal.js';

export interface EsploraOptions {
  url: string;
  network: Network;
  pollIntervalMs?: number;
  fetch?: typeof fetch;
  onError?: (e: unknown) => void;
}

export class EsploraChain implements ChainSource {
  readonly kind = 'esplora' as const;
  readonly network: Network;
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly poller: TipPoller;

  constructor(opts: EsploraOptions) {
    this.network = opts.network;
    this.base = opts.url.replace(/\/+$/, '');
    this.doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.poller = new TipPoller(() => this.fetchTip(), opts.pollIntervalMs ?? 30_000, opts.onError ?? (() => undefined));
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await this.doFetch(`${this.base}${path}`, init);
    } catch (e) {
      throw new ChainError('HTTP', `esplora ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) {
      // Esplora explains refusals in the body (e.g. why a broadcast was rejected): keep a little.
      const body = (await res.text().catch(() => '')).slice(0, 200);
      throw new ChainError('HTTP', `esplora ${path}: HTTP ${res.status} ${body}`, { httpStatus: res.status });
    }
    return res;
  }

  /** GET that answers null on 404 (Esplora's "not found" for txs). */
  private async find(path: string): Promise<Response | null> {
    try {
      return await this.request(path);
    } catch (e) {
      if (e instanceof ChainError && e.httpStatus === 404) return null;
      throw e;
    }
  }

  private async getJson(path: string): Promise<unknown> {
    return readJson(await this.request(path), `esplora ${path}`);
  }

  private async fetchTip(): Promise<number> {
    const text = (await readText(await this.request('/blocks/tip/height'), 'esplora /blocks/tip/height')).trim();
    if (!/^\d{1,9}$/.test(text)) throw new ChainError('BAD_RESPONSE', 'esplora tip height is not a number');
    return Number(text);
  }

  async tipHeight(): Promise<number> {
    const h = await this.fetchTip();
    this.poller.observe(h);
    return h;
  }

  onBlock(listener: (height: number) => void): () => void {
    return this.poller.subscribe(listener);
  }

  async txStatus(txid: string): Promise<TxStatus> {
    const path = `/tx/${encodeURIComponent(txid)}/status`;
    const res = await this.find(path);
    if (!res) return { confirmations: null };
    const body = asObject(await readJson(res, `esplora ${path}`), `esplora ${path}`);
    if (typeof body.confirmed !== 'boolean') throw new ChainError('BAD_RESPONSE', `esplora ${path}: expected "confirmed" true or false`);
    if (!body.confirmed) return { confirmations: 0 };
    const height = asCount(body.block_height, `esplora ${path} block_height`);
    const tip = await this.tipHeight();
    const status: TxStatus = { confirmations: Math.max(1, tip - height + 1), blockHeight: height };
    const index = await this.blockIndex(txid, height);
    if (index !== undefined) status.blockIndex = index;
    return status;
  }

  private async blockIndex(txid: string, height: number): Promise<number | undefined> {
    const what = `esplora /block-height/${height}`;
    const hash = asHash((await readText(await this.request(`/block-height/${height}`), what)).trim(), what);
    const path = `/block/${hash}/txids`;
    const ids = asArray(await this.getJson(path), `esplora ${path}`);
    const i = ids.indexOf(txid);
    return i >= 0 ? i : undefined;
  }

  async txOutput(txid: string, vout: number): Promise<TxOutput | null> {
    const path = `/tx/${encodeURIComponent(txid)}`;
    const res = await this.find(path);
    if (!res) return null;
    const what = `esplora ${path}`;
    const outs = asArray(asObject(await readJson(res, what), what).vout, `${what} vout`);
    if (!Number.isInteger(vout) || vout < 0 || vout >= outs.length) return null;
    const o = asObject(outs[vout], `${what} vout[${vout}]`);
    return { scriptPubKeyHex: asHex(o.scriptpubkey, `${what} scriptpubkey`), valueSat: BigInt(asCount(o.value, `${what} value`)) };
  }

  async feeratePerKw(targetBlocks: number): Promise<number | null> {
    const est = asObject(await this.getJson('/fee-estimates'), 'esplora /fee-estimates');
    // Use the slowest published target that is still at least as fast as asked.
    const targets = Object.keys(est)
      .map(Number)
      .filter((t) => Number.isInteger(t) && t > 0)
      .sort((a, b) => a - b);
    const pick = targets.filter((t) => t <= targetBlocks).pop() ?? targets[0];
    if (pick === undefined) return null;
    const v = est[String(pick)];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? satPerVbyteToPerKw(v) : null;
  }

  async broadcast(txHex: string): Promise<string> {
    let res: Response;
    try {
      res = await this.request('/tx', { method: 'POST', body: txHex, headers: { 'content-type': 'text/plain' } });
    } catch (e) {
      // Esplora passes bitcoind's refusal through in the body of its HTTP 400.
      throw e instanceof ChainError && e.httpStatus === 400 ? classifyBroadcastError(e) : e;
    }
    return asHash((await readText(res, 'esplora POST /tx')).trim(), 'esplora POST /tx (txid)');
  }

  close(): void {
    this.poller.stop();
  }
}
