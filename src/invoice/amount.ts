// The amount in the human-readable part: digits and an optional multiplier (m, u, n, p) of 1 BTC.
import { InvoiceError } from './errors.js';

/** msat per unit of each multiplier, times 10 so that pico (0.1 msat) stays integral. */
const DECI_MSAT_PER_UNIT: Record<string, bigint> = {
  '': 1_000_000_000_000n, // 1 BTC = 1e11 msat
  m: 1_000_000_000n,
  u: 1_000_000n,
  n: 1_000n,
  p: 1n,
};

/**
 * Core Lightning's text for an amount it cannot read: it drops a known multiplier letter, reads
 * the leading digits and names what follows them.
 */
function clnPostfixReason(s: string): string {
  const body = /[munp]$/.test(s) ? s.slice(0, -1) : s;
  return `Invalid amount postfix '${body.slice(/^[0-9]*/.exec(body)![0].length)}'`;
}

/** Parses the amount part of the HRP; undefined when there is none ("any amount"). */
export function parseHrpAmount(s: string): bigint | undefined {
  if (s === '') return undefined;
  const last = s[s.length - 1]!;
  const hasMult = !/[0-9]/.test(last);
  const mult = hasMult ? last : '';
  const digits = hasMult ? s.slice(0, -1) : s;
  if (!(mult in DECI_MSAT_PER_UNIT)) throw new InvoiceError('BAD_AMOUNT', `invalid multiplier '${mult}'`, clnPostfixReason(s));
  if (!/^[0-9]+$/.test(digits)) throw new InvoiceError('BAD_AMOUNT', `invalid amount '${s}'`, clnPostfixReason(s));
  const deci = BigInt(digits) * DECI_MSAT_PER_UNIT[mult]!;
  if (deci % 10n !== 0n) {
    throw new InvoiceError('SUB_MSAT_AMOUNT', 'amount is not a whole number of millisatoshi (pico amount must end in 0)', `Invalid sub-millisatoshi amount '${s}'`);
  }
  return deci / 10n;
}

/** Shortest HRP amount for `msat` (BOLT 11 writers SHOULD use the shortest representation). */
export function formatHrpAmount(msat: bigint): string {
  if (msat <= 0n) throw new InvoiceError('BAD_ARGUMENT', 'amount must be positive');
  const deci = msat * 10n;
  let best = '';
  for (const [mult, unit] of Object.entries(DECI_MSAT_PER_UNIT)) {
    if (deci % unit !== 0n) continue;
    const s = `${deci / unit}${mult}`;
    if (best === '' || s.length < best.length) best = s;
  }
  return best;
}
