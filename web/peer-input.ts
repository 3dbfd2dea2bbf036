// What the user types to reach a peer → the `{ id, url }` that `connect` takes. Addresses are
// parsed by the net layer (`id@host:port`, `id@ws(s)://…`) and proxy URLs built by its dialect
// builders, so the page dials exactly what the node itself would.
import { parsePeerAddress, type PeerAddress } from '../src/net/address.js';
import { routeFor } from '../src/net/dial.js';
import type { ProxyDialect } from '../src/net/proxy-url.js';
import type { ConnectTarget } from '../src/worker/types.js';

/** 'direct': the peer listens for WebSocket itself (Core Lightning's bind-addr=ws:). */
export type Dialect = 'direct' | ProxyDialect;

export const DIALECTS: readonly { value: Dialect; label: string }[] = [
  { value: 'direct', label: 'Direct WebSocket (the peer listens for WebSocket itself)' },
  { value: 'hostport', label: 'Proxy: wss://proxy/<host>:<port>' },
  { value: 'v1', label: 'Proxy: wss://proxy/v1/<host>/<port>' },
];

export function isDialect(v: string): v is Dialect {
  return v === 'direct' || v === 'hostport' || v === 'v1';
}

export interface PeerInput {
  /** `id@host:port` or `id@ws(s)://…`. */
  address: string;
  dialect: Dialect;
  /** Base URL of the proxy (used by the proxy dialects). */
  proxyUrl: string;
}

export type ConnectPlan = { ok: true; target: ConnectTarget; note?: string } | { ok: false; reason: string };

export function planConnection(input: PeerInput): ConnectPlan {
  const address = input.address.trim();
  if (address === '') return { ok: false, reason: "Enter the peer's address as <node id>@<host>:<port> or <node id>@ws://…" };
  let peer: PeerAddress;
  try {
    peer = parsePeerAddress(address);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (peer.address.kind === 'url') {
    const note = input.dialect === 'direct' ? undefined : 'A ws:// URL is dialled as it is; the proxy is not used.';
    const plan: ConnectPlan = { ok: true, target: { id: peer.id, url: peer.address.url } };
    if (note !== undefined) plan.note = note;
    return plan;
  }
  const base = input.proxyUrl.trim();
  if (input.dialect !== 'direct' && base === '') return { ok: false, reason: "Enter the proxy's base URL (ws:// or wss://)." };
  try {
    // Without a proxy (and without raw TCP, which browsers lack) routeFor dials ws://host:port.
    const t = routeFor(peer.address, input.dialect === 'direct' ? {} : { proxy: { url: base, dialect: input.dialect } });
    if (t.kind !== 'websocket') return { ok: false, reason: 'A browser can only dial WebSocket URLs.' };
    return { ok: true, target: { id: peer.id, url: t.url } };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
