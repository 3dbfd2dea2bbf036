// The one interface the node uses to see the chain: tip height and new blocks, confirmations of
// transactions it cares about (funding, closes), fee estimates, and broadcast.
import { LightningError } from '../errors.js';

import type { Network } from '../wire/chains.js';

export type { Network };

export interface TxStatus {
  /** 0 while unconfirmed (in the mempool or only known to us); null if the source has never seen it. */
  confirmations: number | null;
  blockHeight?: number;
  /** Position of the tx in its block, needed for a short_channel_id. */
  blockIndex?: number;
}

export interface TxOutput {
  scriptPubKeyHex: string;
  valueSat: bigint;
}

/** A funding transaction prepared by a wallet: not broadcast until the channel says so. */
export interface FundingTx {
  txHex: string;
  txid: string;
  outputIndex: number;
}

export interface ChainWallet {
  /** Build and sign a tx paying `amountSat` to `scriptPubKeyHex`; nothing is broadcast. */
  createFundingTx(scriptPubKeyHex: string, amountSat: bigint, feeratePerKw: number): Promise<FundingTx>;
}

export interface ChainSource {
  readonly kind: 'esplora' | 'bitcoind' | 'static';
  readonly network: Network;
  tipHeight(): Promise<number>;
  /** Called with the new tip height whenever it changes. Returns an unsubscribe function. */
  onBlock(listener: (height: number) => void): () => void;
  txStatus(txid: string): Promise<TxStatus>;
  /** One output of a transaction the source knows (null: unknown tx or no such output). */
  txOutput(txid: string, vout: number): Promise<TxOutput | null>;
  /** Fee estimate in sat per 1000 weight units for confirmation within `targetBlocks`, or null. */
  feeratePerKw(targetBlocks: number): Promise<number | null>;
  /** Broadcasts a raw transaction; resolves with its txid. */
  broadcast(txHex: string): Promise<string>;
  /** Present when the source can fund channels (bitcoind wallet). */
  readonly wallet?: ChainWallet;
  close(): void;
}

export type ChainErrorCode = 'BAD_SPEC' | 'HTTP' | 'RPC' | 'BAD_RESPONSE' | 'UNSUPPORTED';

export class ChainError extends LightningError {
  constructor(
    override readonly code: ChainErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** The floor BOLT 2 and bitcoind relay policy accept (1 sat/vbyte). */
export const FEERATE_FLOOR_PER_KW = 253;

export function satPerVbyteToPerKw(satPerVbyte: number): number {
  return Math.max(FEERATE_FLOOR_PER_KW, Math.round(satPerVbyte * 250));
}
