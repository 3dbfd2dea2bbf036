// The demo server's /demo-config.json (network, chain, the hub and shop node ids, the proxy) and
// the Worker's StartOptions derived from it. The page also runs without it (served elsewhere, or
// another network): then the user fills the same settings in the node form.
import type { Network } from '../src/chain/types.js';
import { parseHostPort, parseWebSocketUrl, formatHostPort } from '../src/net/address.js';
import { asNodeId } from '../src/types.js';
import type { ChainOption, StartOptions } from '../src/worker/types.js';
import type { Dialect } from './peer-input.js';
import { isObject, str } from './rpc-views.js';

export interface DemoConfig {
  network: Network;
  chain?: ChainOption;
  hub?: { id: string; ws_url?: string; tcp?: string };
  shop?: { id: string };
  proxy?: { url: string };
}

export class ConfigError extends Error {}

const NETWORKS: readonly Network[] = ['bitcoin', 'testnet', 'testnet4', 'signet', 'regtest'];

export function isNetwork(v: unknown): v is Network {
  return typeof v === 'string' && (NETWORKS as readonly string[]).includes(v);
}

function nodeId(v: unknown, what: string): string {
  try {
    return asNodeId(str(v) ?? '');
  } catch {
    throw new ConfigError(`${what} is not a node id (66 hex characters starting with 02 or 03)`);
  }
}

function chainOption(v: unknown): ChainOption | undefined {
  if (v === undefined) return undefined;
  if (isObject(v)) {
    if (v.static === true || (typeof v.static === 'number' && Number.isInteger(v.static) && v.static >= 0)) return { static: v.static };
    if (typeof v.esplora === 'string' && /^https?:\/\//.test(v.esplora)) return { esplora: v.esplora };
  }
  throw new ConfigError('chain must be { "static": <height> } or { "esplora": "<url>" }');
}

function wsUrl(v: unknown, what: string): string {
  try {
    return parseWebSocketUrl(str(v) ?? '');
  } catch {
    throw new ConfigError(`${what} must be a ws:// or wss:// URL`);
  }
}

/** Validates the JSON; throws ConfigError naming the first bad field. */
export function parseDemoConfig(v: unknown): DemoConfig {
  if (!isObject(v)) throw new ConfigError('the config is not a JSON object');
  if (!isNetwork(v.network)) throw new ConfigError(`network must be one of ${NETWORKS.join(', ')}`);
  const cfg: DemoConfig = { network: v.network };
  const chain = chainOption(v.chain);
  if (chain !== undefined) cfg.chain = chain;
  if (v.hub !== undefined) {
    if (!isObject(v.hub)) throw new ConfigError('hub must be an object');
    const hub: NonNullable<DemoConfig['hub']> = { id: nodeId(v.hub.id, 'hub.id') };
    if (v.hub.ws_url !== undefined) hub.ws_url = wsUrl(v.hub.ws_url, 'hub.ws_url');
    if (v.hub.tcp !== undefined) {
      try {
        hub.tcp = formatHostPort(parseHostPort(str(v.hub.tcp) ?? ''));
      } catch {
        throw new ConfigError('hub.tcp must be host:port');
      }
    }
    cfg.hub = hub;
  }
  if (v.shop !== undefined) {
    if (!isObject(v.shop)) throw new ConfigError('shop must be an object');
    cfg.shop = { id: nodeId(v.shop.id, 'shop.id') };
  }
  if (v.proxy !== undefined) {
    if (!isObject(v.proxy)) throw new ConfigError('proxy must be an object');
    cfg.proxy = { url: wsUrl(v.proxy.url, 'proxy.url') };
  }
  return cfg;
}

/** Fetches /demo-config.json; undefined when the page is not served by the demo server. */
export async function loadDemoConfig(fetchFn: typeof fetch = fetch): Promise<DemoConfig | undefined> {
  let res: Response;
  try {
    res = await fetchFn('/demo-config.json', { headers: { accept: 'application/json' } });
  } catch {
    return undefined;
  }
  if (!res.ok) return undefined;
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    // A dev server answering index.html for every path is "no config", not a broken one.
    return undefined;
  }
  return parseDemoConfig(body);
}

/** The node settings the page starts the Worker with (the demo's: one db, trust the hub's zero-conf). */
export interface NodeSettings {
  network: Network;
  chain?: ChainOption;
  zeroconfFrom: string[];
}

export function settingsFromConfig(cfg: DemoConfig): NodeSettings {
  const s: NodeSettings = { network: cfg.network, zeroconfFrom: cfg.hub === undefined ? [] : [cfg.hub.id] };
  if (cfg.chain !== undefined) s.chain = cfg.chain;
  return s;
}

export const DB_NAME = 'demo';

export function startOptions(s: NodeSettings): StartOptions {
  const o: StartOptions = { network: s.network, dbName: DB_NAME, zeroconfFrom: s.zeroconfFrom };
  if (s.chain !== undefined) o.chain = s.chain;
  return o;
}

/** The hub's address in the peer field for a dialect: its WebSocket URL direct, its TCP port via a proxy. */
export function demoPeerAddress(cfg: DemoConfig, dialect: Dialect): string | undefined {
  const hub = cfg.hub;
  if (hub === undefined) return undefined;
  if (dialect === 'direct') return hub.ws_url === undefined ? undefined : `${hub.id}@${hub.ws_url}`;
  return hub.tcp === undefined ? undefined : `${hub.id}@${hub.tcp}`;
}
