// A chain where nothing confirms: tests and the demo run zero-conf channels on it. The height is
// settable so CLTV rules can be exercised; broadcasts are recorded, not sent anywhere.
import type { ChainSource, Network, TxOutput, TxStatus } from './types.js';
import { toHex } from '../util/bytes.js';
import { ChainError } from './types.js';
import { parseTxHex } from '../channel/bitcoin/parse.js';
import { txidHex } from '../channel/bitcoin/tx.js';

export interface StaticChainOptions {
  network?: Network;
  height?: number;
  feeratePerKw?: number;
}

export class StaticChain implements ChainSource {
  readonly kind = 'static' as const;
  readonly network: Network;
  private height: number;
  private readonly feerate: number;
  private readonly listeners = new Set<(height: number) => void>();
  /** Raw transactions handed to broadcast(), by txid, in order. */
  readonly broadcasts = new Map<string, string>();

  constructor(opts: StaticChainOptions = {}) {
    this.network = opts.network ?? 'regtest';
    this.height = opts.height ?? 800_000;
    this.feerate = opts.feeratePerKw ?? 2500;
  }

  async tipHeight(): Promise<number> {
    return this.height;
  }

  setHeight(height: number): void {
    if (!Number.isInteger(height) || height < 0) throw new ChainError('BAD_SPEC', 'height must be a non-negative integer');
    if (height === this.height) return;
    this.height = height;
    for (const l of [...this.listeners]) l(height);
  }

  onBlock(listener: (height: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async txStatus(txid: string): Promise<TxStatus> {
    return { confirmations: this.broadcasts.has(txid) ? 0 : null };
  }

  async txOutput(txid: string, vout: number): Promise<TxOutput | null> {
    const hex = this.broadcasts.get(txid);
    const out = hex === undefined ? undefined : parseTxHex(hex).outputs[vout];
    return out ? { scriptPubKeyHex: toHex(out.scriptPubKey), valueSat: out.value } : null;
  }

  async feeratePerKw(): Promise<number> {
    return this.feerate;
  }

  async broadcast(txHex: string): Promise<string> {
    const txid = txidOfRawTx(txHex);
    this.broadcasts.set(txid, txHex);
    return txid;
  }

  close(): void {
    this.listeners.clear();
  }
}

/** The txid of a raw transaction (hex), witness data excluded. */
export function txidOfRawTx(txHex: string): string {
  return txidHex(parseTxHex(txHex));
}
