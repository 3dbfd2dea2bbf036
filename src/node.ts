// `lightning-worker/node`: the node in-process — on Node.js, Deno and Cloudflare Workers — with
// the same methods as the page's Worker client. `connect` takes `id@host:port` (TCP) or
// `{ id, url }` (WebSocket, direct or through a proxy dialect). With `dataDir` the node keeps its
// seed and its journal there (the daemon's layout); without it, everything lives in memory.
// Node-only pieces (files, TCP, listeners) load lazily, so edge runtimes never import node:*.
import { initCrypto, type WasmSource } from './crypto/init.js';
import { openMemoryStore } from './store/memory.js';
import type { Store } from './store/types.js';
import type { Listener } from './net/listen-node.js';
import type { Dialer } from './net/dial.js';
import { webSocketDialer } from './net/dial-browser.js';
import { chainSourceFor, type ChainSource, type ChainSpec } from './chain/index.js';
import type { Network } from './chain/types.js';
import { LightningNode, type NodeOptions } from './runtime/node.js';
import { NODE_SCHEMA } from './runtime/schema.js';
import { newSeed } from './runtime/secrets.js';
import { bindCoreMethods, type CoreMethods } from './runtime/client.js';
import { crashPointMatcher } from './runtime/crash-points.js';
import type { Logger } from './runtime/log.js';
import type { NodeEvent } from './runtime/types.js';
import type { Binding } from './runtime/services.js';
import { LightningError } from './errors.js';

export { RpcError } from './rpc/errors.js';
export type { NodeEvent, RpcObject, RpcValue, RpcParams, ConnectTarget } from './runtime/types.js';
export { LightningNode } from './runtime/node.js';

export interface CreateLightningNodeOptions {
  network?: Network;
  /** Keep the seed (hsm_secret) and the journal database here. */
  dataDir?: string;
  /** The node's seed (32 bytes); generated (and kept in dataDir) when absent. */
  seed?: Uint8Array;
  /** A Store opened with NODE_SCHEMA; default: the file store in dataDir, else memory. */
  store?: Store;
  /** `static[:HEIGHT]`, `esplora:URL`, `bitcoind:URL`, a spec object, or a ChainSource. Default static. */
  chain?: string | ChainSpec | ChainSource;
  /** Peers whose zero-conf channels we accept. */
  zeroconfFrom?: string[];
  alias?: string;
  log?: Logger;
  /** Listen for peers: TCP `host:port`, WebSocket `host:port` (port 0 picks one). */
  listen?: { tcp?: string[]; ws?: string[] };
  dialer?: Dialer;
  relayPolicy?: NodeOptions['relayPolicy'];
  channelPolicy?: NodeOptions['channelPolicy'];
  peerTiming?: NodeOptions['peerTiming'];
  developer?: boolean;
  /**
   * The WASM crypto module. Default: read from the package on Node/Deno. Cloudflare Workers must
   * pass the `WebAssembly.Module` their bundler gives for `lightning.wasm`.
   */
  wasm?: WasmSource;
  /** Crash-safety tests only: "NAME[:N],…" (see runtime/crash-points.ts); kills the process there. */
  crashAt?: string;
  /** DEV-ONLY test hooks (see NodeOptions.dev); never set in production. */
  dev?: NodeOptions['dev'];
  onStop?: (reason: string) => void;
}

export interface LightningNodeClient extends CoreMethods {
  readonly id: string;
  readonly node: LightningNode;
  /** Bound listener addresses. */
  readonly bindings: Binding[];
  subscribe(listener: (event: NodeEvent) => void): () => void;
  inFlight(): number;
  close(): Promise<void>;
}

// Deno 2 also has a `process` with versions.node (its Node compatibility layer); it takes the
// edge path: WASM fetched from the package, WebSocket dialer, nothing from node:*.
const isDeno = typeof (globalThis as { Deno?: unknown }).Deno === 'object';
const isNode = !isDeno && typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Reads DATA_DIR/hsm_secret, creating it (mode 0600) on first start. */
export async function loadOrCreateSeed(dataDir: string): Promise<Uint8Array> {
  const { readFile, writeFile, chmod } = await import('node:fs/promises');
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const path = join(dataDir, 'hsm_secret');
  if (existsSync(path)) {
    const b = new Uint8Array(await readFile(path));
    if (b.length !== 32) throw new LightningError('BAD_SEED', `${path} must hold exactly 32 bytes`);
    return b;
  }
  const seed = newSeed();
  await writeFile(path, seed, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return seed;
}

function hostPort(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(s);
  if (!m) throw new LightningError('BAD_BIND', `expected HOST:PORT, got "${s}"`);
  return { host: m[1] ?? m[2]!, port: Number(m[3]) };
}

export async function createLightningNode(opts: CreateLightningNodeOptions = {}): Promise<LightningNodeClient> {
  if (opts.wasm !== undefined) await initCrypto(opts.wasm);
  else if (isNode) await (await import('./crypto/node.js')).initCryptoNode();
  else if (isDeno) await (await import('./crypto/deno.js')).initCryptoDeno();
  else await initCrypto();
  const network = opts.network ?? 'regtest';
  // Before the store is opened (and its lock taken): a wrong chain is a configuration error.
  const chain = chainSourceFor(opts.chain ?? 'static', network);
  if (opts.dataDir) await (await import('node:fs/promises')).mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const seed = opts.seed ?? (opts.dataDir ? await loadOrCreateSeed(opts.dataDir) : newSeed());
  const store = opts.store ?? (opts.dataDir ? await openDataDirStore(opts.dataDir) : await openMemoryStore({ name: 'node', schema: NODE_SCHEMA }));

  const listeners: Listener[] = [];
  const bindings: Binding[] = [];
  const node = await LightningNode.start({
    network,
    store,
    seed,
    chain,
    // TCP and WebSocket on Node; WebSocket only elsewhere (edge runtimes reach TCP nodes via a proxy).
    dialer: opts.dialer ?? (isNode ? (await import('./net/dial-node.js')).nodeDialer : webSocketDialer()),
    ...(opts.alias !== undefined ? { alias: opts.alias } : {}),
    ...(opts.zeroconfFrom ? { zeroconfFrom: opts.zeroconfFrom } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.relayPolicy ? { relayPolicy: opts.relayPolicy } : {}),
    ...(opts.channelPolicy ? { channelPolicy: opts.channelPolicy } : {}),
    ...(opts.peerTiming ? { peerTiming: opts.peerTiming } : {}),
    ...(opts.developer !== undefined ? { developer: opts.developer } : {}),
    ...(opts.dataDir ? { lightningDir: opts.dataDir } : {}),
    bindings: () => bindings,
    ...(opts.onStop ? { onStop: opts.onStop } : {}),
    ...(opts.crashAt ? { crashPoint: crashPointMatcher(opts.crashAt, () => process.kill(process.pid, 'SIGKILL')) } : {}),
    ...(opts.dev ? { dev: opts.dev } : {}),
  });
  try {
    const listening = opts.listen?.tcp?.length || opts.listen?.ws?.length ? await import('./net/listen-node.js') : undefined;
    const { listenTcp, listenWebSocket } = listening ?? { listenTcp: undefined, listenWebSocket: undefined };
    for (const t of opts.listen?.tcp ?? []) {
      if (!listenTcp) break;
      const l = await listenTcp(hostPort(t), (s) => node.accept(s));
      listeners.push(l);
      bindings.push({ type: hostPort(t).host.includes(':') ? 'ipv6' : 'ipv4', address: hostPort(t).host, port: l.port });
    }
    for (const w of opts.listen?.ws ?? []) {
      if (!listenWebSocket) break;
      const l = await listenWebSocket(hostPort(w), (s) => node.accept(s));
      listeners.push(l);
      bindings.push({ type: 'websocket', address: hostPort(w).host, port: l.port });
    }
  } catch (e) {
    await Promise.all(listeners.map((l) => l.close()));
    await node.close();
    throw e;
  }

  const rpc = node.rpc.bind(node);
  return {
    ...bindCoreMethods(rpc),
    id: node.id,
    node,
    bindings,
    subscribe: (l) => node.subscribe(l),
    inFlight: () => node.inFlight(),
    close: async () => {
      await Promise.all(listeners.map((l) => l.close()));
      await node.close();
    },
  };
}

async function openDataDirStore(dataDir: string): Promise<Store> {
  const { join } = await import('node:path');
  const { openFileStore } = await import('./store/file.js');
  return openFileStore({ name: join(dataDir, 'db'), schema: NODE_SCHEMA });
}
