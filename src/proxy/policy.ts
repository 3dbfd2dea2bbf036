// Which resolved addresses may be dialled (spec §5.2). Decided on parsed address bytes, after
// resolution, and the relay dials exactly the address approved here: no second lookup, so a
// name cannot resolve to a public address for the check and a private one for the dial.
import { CLOSE, type CloseInfo } from './close-codes.js';
import type { ProxyConfig } from './config.js';
import { classifyIp, parseIp, type IpAddress, type IpCategory } from './ip.js';

const PRIVATE_CATEGORIES: ReadonlySet<IpCategory> = new Set(['private', 'cgnat', 'link-local', 'ula']);

/**
 * `metadata`, multicast, broadcast, unspecified, documentation, benchmark, reserved and
 * IPv4-mapped addresses are never dialled: no flag opens them, no Lightning peer lives there.
 */
export function categoryAllowed(config: Pick<ProxyConfig, 'allowLoopback' | 'allowPrivate'>, cat: IpCategory): boolean {
  if (cat === 'public') return true;
  if (cat === 'loopback') return config.allowLoopback;
  return PRIVATE_CATEGORIES.has(cat) && config.allowPrivate;
}

export type AddressChoice = { readonly ok: true; readonly addresses: IpAddress[] } | { readonly ok: false; readonly close: CloseInfo };

/**
 * Filters resolver output (address strings) to the dialable ones, keeping the resolver's order.
 * Text that does not parse as an address is ignored (a resolver should never return it).
 */
export function chooseAddresses(config: Pick<ProxyConfig, 'allowLoopback' | 'allowPrivate'>, resolved: readonly string[]): AddressChoice {
  const parsed = resolved.map(parseIp).filter((ip): ip is IpAddress => ip !== null);
  if (parsed.length === 0) return { ok: false, close: CLOSE.HOST_NOT_FOUND };
  const allowed = parsed.filter((ip) => categoryAllowed(config, classifyIp(ip)));
  if (allowed.length === 0) return { ok: false, close: CLOSE.ADDRESS_NOT_ALLOWED };
  return { ok: true, addresses: allowed };
}
