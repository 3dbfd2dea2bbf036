// Esplora (Blockstream/mempool.space REST API) over fetch: works in browsers, edge runtimes and Node.
import type { ChainSource, Network, TxOutput, TxStatus } from './types.js';
import { ChainError, satPerVbyteToPerKw } from './types.js';
import { TipPoller } from './poller.js';

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
      const body = (await res.text().catch(() => '')).slice(0, 200);
      throw new ChainError('HTTP', `esplora ${path}: HTTP ${res.status} ${body}`);
    }
    return res;
  }

  private async fetchTip(): Promise<number> {
    const text = (await (await this.request('/blocks/tip/height')).text()).trim();
    if (!/^\d+$/.test(text)) throw new ChainError('BAD_RESPONSE', 'esplora tip height is not a number');
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
    let res: Response;
    try {
      res = await this.request(`/tx/${encodeURIComponent(txid)}/status`);
    } catch (e) {
      if (e instanceof ChainError && / HTTP 404 /.test(e.message)) return { confirmations: null };
      throw e;
    }
    const body = (await res.json()) as { confirmed?: unknown; block_height?: unknown };
    if (body.confirmed !== true) return { confirmations: 0 };
    if (typeof body.block_height !== 'number') throw new ChainError('BAD_RESPONSE', 'esplora status lacks block_height');
    const tip = await this.tipHeight();
    const status: TxStatus = { confirmations: Math.max(1, tip - body.block_height + 1), blockHeight: body.block_height };
    const index = await this.blockIndex(txid, body.block_height);
    if (index !== undefined) status.blockIndex = index;
    return status;
  }

  private async blockIndex(txid: string, height: number): Promise<number | undefined> {
    const hash = (await (await this.request(`/block-height/${height}`)).text()).trim();
    const res = await this.request(`/block/${hash}/txids`);
    const ids = (await res.json()) as unknown;
    if (!Array.isArray(ids)) return undefined;
    const i = ids.indexOf(txid);
    return i >= 0 ? i : undefined;
  }

  async txOutput(txid: string, vout: number): Promise<TxOutput | null> {
    let res: Response;
    try {
      res = await this.request(`/tx/${encodeURIComponent(txid)}`);
    } catch (e) {
      if (e instanceof ChainError && / HTTP 404 /.test(e.message)) return null;
      throw e;
    }
    const tx = (await res.json()) as { vout?: { scriptpubkey?: unknown; value?: unknown }[] };
    const o = tx.vout?.[vout];
    if (!o || typeof o.scriptpubkey !== 'string' || typeof o.value !== 'number') return null;
    return { scriptPubKeyHex: o.scriptpubkey, valueSat: BigInt(o.value) };
  }

  async feeratePerKw(targetBlocks: number): Promise<number | null> {
    const res = await this.request('/fee-estimates');
    const est = (await res.json()) as Record<string, unknown>;
    // Use the smallest published target that is at least as fast as asked.
    const targets = Object.keys(est)
      .map(Number)
      .filter((t) => Number.isFinite(t))
      .sort((a, b) => a - b);
    const pick = targets.filter((t) => t <= targetBlocks).pop() ?? targets[0];
    if (pick === undefined) return null;
    const v = est[String(pick)];
    return typeof v === 'number' ? satPerVbyteToPerKw(v) : null;
  }

  async broadcast(txHex: string): Promise<string> {
    const res = await this.request('/tx', { method: 'POST', body: txHex, headers: { 'content-type': 'text/plain' } });
    return (await res.text()).trim();
  }

  close(): void {
    this.poller.stop();
  }
}
