// A chain where nothing confirms by itself: tests and the demo run zero-conf channels on it. The
// height is settable so CLTV rules can be exercised; broadcasts are recorded, not sent anywhere.
// Tests that need confirmations (peers insisting on minimum_depth) call mine().
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
  private feerate: number;
  private readonly listeners = new Set<(height: number) => void>();
  /** Raw transactions handed to broadcast(), by txid, in order. */
  readonly broadcasts = new Map<string, string>();
  /** Broadcast transactions that mine() put in a block: height and position in that block. */
  private readonly mined = new Map<string, { height: number; index: number }>();

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
    const m = this.mined.get(txid);
    // A block above the tip (setHeight went back) no longer confirms anything.
    if (m && m.height <= this.height) return { confirmations: this.height - m.height + 1, blockHeight: m.height, blockIndex: m.index };
    return { confirmations: this.broadcasts.has(txid) ? 0 : null };
  }

  /**
   * Puts `txids` (default: every broadcast transaction not yet mined) into the next block, then
   * advances the tip by `blocks`, telling the listeners at each height. Positions in the block
   * start at 1 (0 is the coinbase). Returns the new tip and the transactions mined.
   */
  mine(blocks = 1, txids?: readonly string[]): { blockheight: number; mined: string[] } {
    if (!Number.isInteger(blocks) || blocks < 1) throw new ChainError('BAD_SPEC', 'blocks must be a positive integer');
    const list = txids ? [...new Set(txids.map((t) => t.toLowerCase()))] : [...this.broadcasts.keys()].filter((t) => !this.mined.has(t));
    for (const t of list) {
      if (!this.broadcasts.has(t)) throw new ChainError('BAD_SPEC', `transaction ${t} was never broadcast`);
      const m = this.mined.get(t);
      if (m && m.height <= this.height) throw new ChainError('BAD_SPEC', `transaction ${t} is already mined at height ${m.height}`);
    }
    const block = this.height + 1;
    list.forEach((t, i) => this.mined.set(t, { height: block, index: i + 1 }));
    for (let i = 0; i < blocks; i++) this.setHeight(this.height + 1);
    return { blockheight: this.height, mined: list };
  }

  async txOutput(txid: string, vout: number): Promise<TxOutput | null> {
    const hex = this.broadcasts.get(txid);
    const out = hex === undefined ? undefined : parseTxHex(hex).outputs[vout];
    return out ? { scriptPubKeyHex: toHex(out.scriptPubKey), valueSat: out.value } : null;
  }

  async feeratePerKw(): Promise<number> {
    return this.feerate;
  }

  /** Tests and demos: the estimate every target gets from now on (dev-chain-feerate). */
  setFeerate(perKw: number): void {
    if (!Number.isInteger(perKw) || perKw < 1) throw new ChainError('BAD_SPEC', 'feerate must be a positive integer (sat per 1000 weight)');
    this.feerate = perKw;
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
