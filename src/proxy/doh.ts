// A Resolver over DNS-over-HTTPS with the JSON API (`application/dns-json`, as served by
// Cloudflare's 1.1.1.1 resolver at cloudflare-dns.com and by Google's dns.google). For runtimes
// whose socket API resolves names itself (Cloudflare's connect()): resolving here first lets the
// address checks apply, and the relay then dials the approved IP, not the name.
import type { Resolver } from './types.js';

export const DEFAULT_DOH_URL = 'https://cloudflare-dns.com/dns-query';

type Fetch = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<{ ok: boolean; json(): Promise<unknown> }>;

const TYPE_A = 1;
const TYPE_AAAA = 28;

/** The A/AAAA data of a dns-json answer (CNAME and other records skipped); [] on any other shape. */
export function addressesFromDnsJson(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const { Status, Answer } = body as { Status?: unknown; Answer?: unknown };
  if (Status !== 0 || !Array.isArray(Answer)) return [];
  const out: string[] = [];
  for (const rr of Answer as unknown[]) {
    if (typeof rr !== 'object' || rr === null) continue;
    const { type, data } = rr as { type?: unknown; data?: unknown };
    if ((type === TYPE_A || type === TYPE_AAAA) && typeof data === 'string') out.push(data);
  }
  return out;
}

export function dohResolver(fetchFn: Fetch, url: string = DEFAULT_DOH_URL): Resolver {
  const query = async (host: string, type: 'A' | 'AAAA', signal: AbortSignal): Promise<string[]> => {
    const res = await fetchFn(`${url}?name=${encodeURIComponent(host)}&type=${type}`, {
      headers: { accept: 'application/dns-json' },
      signal,
    });
    return res.ok ? addressesFromDnsJson(await res.json()) : [];
  };
  return {
    async resolve(host, signal) {
      const [a, aaaa] = await Promise.allSettled([query(host, 'A', signal), query(host, 'AAAA', signal)]);
      const v4 = a.status === 'fulfilled' ? a.value : [];
      const v6 = aaaa.status === 'fulfilled' ? aaaa.value : [];
      // IPv4 first: an edge runtime's IPv6 reachability is the less certain of the two.
      return [...v4, ...v6];
    },
  };
}
