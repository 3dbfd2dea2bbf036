// Admission of one upgrade request: Origin, token, URL dialect and destination allowlist. Pure:
// it sees the request line and two headers, and answers with a target or a close code. Address
// checks come later, on resolved addresses (policy.ts).
import { equalBytes, utf8 } from '../util/bytes.js';
import { CLOSE, type CloseInfo } from './close-codes.js';
import type { ProxyConfig } from './config.js';
import { parseTargetSegments, pathSegments, sameTarget, type Target } from './target.js';

export interface UpgradeRequest {
  /** Request target as sent: path and query, e.g. `/v1/127_0_0_1/9735?token=x`. */
  readonly url: string;
  readonly origin?: string | undefined;
  readonly authorization?: string | undefined;
}

export type Admission = { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly close: CloseInfo };

const refuse = (close: CloseInfo): Admission => ({ ok: false, close });

// Constant time in the token's content so the comparison does not leak a prefix.
function tokenMatches(given: string | null | undefined, expected: string): boolean {
  return given != null && equalBytes(utf8(given), utf8(expected));
}

function normalizeOrigin(o: string): string {
  return o.trim().toLowerCase().replace(/\/+$/, '');
}

export function originAllowed(config: ProxyConfig, origin: string | undefined): boolean {
  if (config.origins.length === 0 || origin === undefined) return true;
  const o = normalizeOrigin(origin);
  return config.origins.some((allowed) => normalizeOrigin(allowed) === o);
}

/** Whether a parsed target may be dialled at all (before resolution). */
export function destinationAllowed(config: ProxyConfig, t: Target): boolean {
  if (config.allow.some((a) => sameTarget(a, t))) return true;
  return config.allowPublicLightningPorts && config.lightningPorts.includes(t.port);
}

export function admit(config: ProxyConfig, req: UpgradeRequest): Admission {
  if (!originAllowed(config, req.origin)) return refuse(CLOSE.ORIGIN_NOT_ALLOWED);
  let url: URL;
  try {
    url = new URL(req.url, 'http://proxy.invalid');
  } catch {
    return refuse(CLOSE.BAD_TARGET); // unparseable request target
  }
  let segments = pathSegments(url.pathname);
  if (segments === null) return refuse(CLOSE.BAD_TARGET);

  if (config.token !== undefined) {
    const bearer = req.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (tokenMatches(segments[0], config.token)) segments = segments.slice(1);
    else if (!tokenMatches(url.searchParams.get('token'), config.token) && !tokenMatches(bearer, config.token)) {
      return refuse(CLOSE.UNAUTHORIZED);
    }
  }

  if (config.target) return { ok: true, target: config.target };
  const target = parseTargetSegments(segments);
  if (!target) return refuse(CLOSE.BAD_TARGET);
  if (!destinationAllowed(config, target)) return refuse(CLOSE.DESTINATION_NOT_ALLOWED);
  return { ok: true, target };
}
