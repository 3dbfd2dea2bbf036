// The one interface the node uses to see the chain: tip height and new blocks, confirmations of
// transactions it cares about (funding, closes), fee estimates, and broadcast.
import { LightningError } from '../errors.js';
import { FEERATE_FLOOR_PER_KW } from '../channel/state/fee-update.js';

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
  /**
   * Build and sign a tx paying `amountSat` to `scriptPubKeyHex`; nothing is broadcast. The
   * wallet may reserve its inputs (bitcoind locks them) so a concurrent funding cannot take them.
   */
  createFundingTx(scriptPubKeyHex: string, amountSat: bigint, feeratePerKw: number): Promise<FundingTx>;
  /**
   * A funding tx from createFundingTx that will never be broadcast (the open failed): its inputs
   * are spendable again. Inputs the wallet no longer holds reserved are left as they are.
   */
  release?(txHex: string): Promise<void>;
}

export interface ChainSource {
  readonly kind: 'esplora' | 'bitcoind' | 'static';
  readonly network: Network;
  tipHeight(): Promise<number>;
  /** Called with the new tip height whenever it changes. Returns an unsubscribe function. */
  onBlock(listener: (height: number) => void): () => void;
  /**
   * `outputIndex`: an output of the tx the caller watches (a funding output). Sources without a
   * full transaction index (bitcoind without -txindex, the default) can only find a confirmed tx
   * that is not in their wallet through one of its unspent outputs.
   */
  txStatus(txid: string, outputIndex?: number): Promise<TxStatus>;
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

export type ChainErrorCode =
  | 'BAD_SPEC'
  /** Transport failure or an HTTP error status (see httpStatus). */
  | 'HTTP'
  /** bitcoind answered with a JSON-RPC error (see rpcCode). */
  | 'RPC'
  /** The source answered, but not with what its API promises (malformed JSON, wrong shape). */
  | 'BAD_RESPONSE'
  | 'UNSUPPORTED'
  /** The wallet cannot pay for the funding transaction. */
  | 'INSUFFICIENT_FUNDS'
  /**
   * broadcast refused: an input is spent or unknown to the source (bitcoind -25
   * bad-txns-inputs-missingorspent). Final once the spent output is known to be confirmed.
   */
  | 'INPUTS_MISSING_OR_SPENT'
  /** broadcast refused because the transaction is already in a block (bitcoind -27). */
  | 'ALREADY_IN_CHAIN';

export class ChainError extends LightningError {
  /** HTTP status of the answer, when there was one. */
  readonly httpStatus: number | undefined;
  /** bitcoind's JSON-RPC error code (-5: not found, -4/-6: wallet errors...). */
  readonly rpcCode: number | undefined;

  constructor(
    override readonly code: ChainErrorCode,
    message: string,
    detail: { httpStatus?: number; rpcCode?: number } = {},
  ) {
    super(code, message);
    this.httpStatus = detail.httpStatus;
    this.rpcCode = detail.rpcCode;
  }
}

export function satPerVbyteToPerKw(satPerVbyte: number): number {
  return Math.max(FEERATE_FLOOR_PER_KW, Math.round(satPerVbyte * 250));
}
