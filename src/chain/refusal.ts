// The broadcast refusals that change what the node does next. bitcoind answers sendrawtransaction
// with -25 "bad-txns-inputs-missingorspent" ("Missing inputs" before 0.21) when an input is spent
// or unknown, and with -27 ("Transaction outputs already in utxo set", formerly "Transaction
// already in block chain") when the transaction itself is already confirmed. Esplora relays
// bitcoind's answer in its HTTP 400 body ("sendrawtransaction RPC error: {"code":-25,...}").
// -25 also covers other verification failures, so the reason text decides, not the code alone.
import { ChainError } from './types.js';

export type BroadcastRefusal = 'INPUTS_MISSING_OR_SPENT' | 'ALREADY_IN_CHAIN';

const INPUTS_GONE = /inputs-missingorspent|missing inputs|bad-txns-inputs-spent/i;
const IN_CHAIN = /already in (?:the )?block ?chain|outputs already in utxo set/i;
const RPC_VERIFY_ALREADY_IN_CHAIN = -27;

export function broadcastRefusal(rpcCode: number | undefined, reason: string): BroadcastRefusal | null {
  if (rpcCode === RPC_VERIFY_ALREADY_IN_CHAIN || IN_CHAIN.test(reason)) return 'ALREADY_IN_CHAIN';
  if (INPUTS_GONE.test(reason)) return 'INPUTS_MISSING_OR_SPENT';
  return null;
}

/** `e` with the refusal as its code when it is one of those (same message and details). */
export function classifyBroadcastError(e: unknown): unknown {
  if (!(e instanceof ChainError) || (e.code !== 'RPC' && e.code !== 'HTTP')) return e;
  // Esplora: the code is inside the body, which the HTTP error message carries.
  const code = e.rpcCode ?? Number(/"code"\s*:\s*(-?\d+)/.exec(e.message)?.[1] ?? NaN);
  const refusal = broadcastRefusal(Number.isNaN(code) ? undefined : code, e.message);
  if (!refusal) return e;
  return new ChainError(refusal, e.message, {
    ...(e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {}),
    ...(Number.isNaN(code) ? {} : { rpcCode: code }),
  });
}
