// bitcoind's RPCs speak BTC as decimal numbers; we keep satoshis as bigint. Convert through the
// decimal text, never through float arithmetic.
import { ChainError } from './types.js';

/** Exact decimal BTC string for a satoshi amount (bitcoind accepts strings, avoiding float error). */
export function formatBtc(amountSat: bigint): string {
  const whole = amountSat / 100_000_000n;
  const frac = (amountSat % 100_000_000n).toString().padStart(8, '0');
  return `${whole}.${frac}`;
}

const MAX_MONEY_SAT = 2_100_000_000_000_000n;

/** bitcoind prints BTC amounts as JSON numbers with 8 decimals: convert via the text, not floats. */
export function btcToSat(v: unknown): bigint {
  const t = typeof v === 'number' ? v.toFixed(8) : typeof v === 'string' ? v : '';
  const m = /^(\d{1,8})(?:\.(\d{1,8}))?$/.exec(t);
  if (!m) throw new ChainError('BAD_RESPONSE', `bad BTC amount ${t.slice(0, 40) || typeof v}`);
  const sat = BigInt(m[1]!) * 100_000_000n + BigInt((m[2] ?? '').padEnd(8, '0'));
  if (sat > MAX_MONEY_SAT) throw new ChainError('BAD_RESPONSE', `BTC amount ${t} exceeds the 21 million BTC supply`);
  return sat;
}
