// How the page writes amounts, times, durations and node ids. Pure and locale-independent so the
// unit tests pin the exact text a person reads; the page never shows a raw msat bigint alone.

/** "1234567" → "1,234,567". */
export function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * An msat amount in satoshis, the unit people use: 1234000n → "1,234 sat", 1234567n →
 * "1,234.567 sat", 1n → "0.001 sat". Millisatoshis only appear when they are non-zero, so whole
 * amounts stay short, but nothing is ever rounded away.
 */
export function formatMsat(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let s = groupDigits((a / 1000n).toString());
  const rem = a % 1000n;
  if (rem !== 0n) s += `.${rem.toString().padStart(3, '0').replace(/0+$/, '')}`;
  return `${neg ? '-' : ''}${s} sat`;
}

/** The exact value, for titles and raw views: 1234567n → "1,234,567 msat". */
export function formatMsatExact(v: bigint): string {
  const neg = v < 0n;
  return `${neg ? '-' : ''}${groupDigits((neg ? -v : v).toString())} msat`;
}

/** Unix seconds → "2026-08-20 12:34:56" in the given zone (default: the browser's). */
export function formatUnixTime(seconds: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(seconds * 1000));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** 59 → "59 s", 3540 → "59 min", 3900 → "1 h 5 min", 190000 → "2 days 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  const unit = d === 1 ? 'day' : 'days';
  return h % 24 === 0 ? `${d} ${unit}` : `${d} ${unit} ${h % 24} h`;
}

/** "expires in 59 min" / "expired 3 min ago", from an invoice's created_at + expiry. */
export function formatExpiry(createdAt: number, expiry: number, nowSeconds: number): string {
  const left = createdAt + expiry - nowSeconds;
  return left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
}

/** "02ab12cd…ef01": enough to recognise a node id or hash, short enough for a phone. */
export function shortId(hex: string): string {
  return hex.length <= 16 ? hex : `${hex.slice(0, 8)}…${hex.slice(-4)}`;
}

/** Names the page knows for node ids (the demo's hub and shop, and "you"). */
export type NodeNames = ReadonlyMap<string, string>;

/** "hub (02ab12cd…ef01)" when the node has a name, else the short id. */
export function nodeLabel(id: string, names: NodeNames): string {
  const name = names.get(id.toLowerCase());
  return name === undefined ? shortId(id) : `${name} (${shortId(id)})`;
}
