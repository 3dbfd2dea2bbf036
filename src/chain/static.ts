// A chain where nothing confirms: tests and the demo run zero-conf channels on it. The height is
// settable so CLTV rules can be exercised; broadcasts are recorded, not sent anywhere.
import type { ChainSource, Network, TxStatus } from './types.js';
import { ChainError } from './types.js';
import { sha256 } from '../crypto/secp256k1.js';
import { fromHex, toHex } from '../util/bytes.js';

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

/** txid = reversed double SHA-256 of the transaction without its witness data. */
export function txidOfRawTx(txHex: string): string {
  const raw = fromHex(txHex);
  const stripped = stripWitness(raw);
  return toHex(sha256(sha256(stripped)).reverse());
}

function stripWitness(tx: Uint8Array): Uint8Array {
  // Segwit marker 0x00 + flag 0x01 after the 4-byte version.
  if (tx.length < 6 || tx[4] !== 0 || tx[5] !== 1) return tx;
  let pos = 6;
  const varint = (): number => {
    const b = tx[pos++];
    if (b === undefined) throw new ChainError('BAD_RESPONSE', 'truncated transaction');
    if (b < 0xfd) return b;
    const n = b === 0xfd ? 2 : b === 0xfe ? 4 : 8;
    let v = 0;
    for (let i = 0; i < n; i++) v += (tx[pos++] ?? 0) * 2 ** (8 * i);
    return v;
  };
  const start = pos;
  const nIn = varint();
  for (let i = 0; i < nIn; i++) {
    pos += 36;
    const l = varint();
    pos += l + 4;
  }
  const nOut = varint();
  for (let i = 0; i < nOut; i++) {
    pos += 8;
    const l = varint();
    pos += l;
  }
  const end = pos;
  if (end > tx.length - 4) throw new ChainError('BAD_RESPONSE', 'truncated transaction');
  const out = new Uint8Array(4 + (end - start) + 4);
  out.set(tx.subarray(0, 4), 0);
  out.set(tx.subarray(start, end), 4);
  out.set(tx.subarray(tx.length - 4), 4 + (end - start));
  return out;
}
