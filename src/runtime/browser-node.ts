// The node inside a browser Worker: WASM crypto from a URL, IndexedDB as the store (one writer per
// database through a Web Lock), the seed kept in the same database, peers over WebSocket only.
// When another tab holds the database and `readOnlyIfLocked` is set, a read-only node answers the
// listing methods from the store and refuses everything else.
import { initCrypto, defaultWasmUrl } from '../crypto/init.js';
import { openIndexedDbStore } from '../store/indexeddb.js';
import { StoreError, type Store } from '../store/types.js';
import { webSocketDialer } from '../net/dial-browser.js';
import { createChainSource } from '../chain/spec.js';
import { RpcError } from '../rpc/errors.js';
import { defineMethod, dispatchValues, methodTable, type MethodTable } from '../rpc/dispatch.js';
import { LISTPAYS_PARAMS, LISTSENDPAYS_PARAMS, invstringDecoderFor } from '../payments/index.js';
import { LISTINVOICES_PARAMS } from '../invoices/index.js';
import { LISTFORWARDS_PARAMS } from '../forwarding/index.js';
import { LightningNode } from './node.js';
import { NODE_SCHEMA, META_TABLE } from './schema.js';
import { deriveNodeSecrets, newSeed } from './secrets.js';
import { crashPointMatcher } from './crash-points.js';
import { PaymentsService } from './payments-service.js';
import { InvoicesService } from './invoices-service.js';
import { ForwardsService } from './forwards-service.js';
import { EventHub } from './events.js';
import { fromRpcJson } from './rpc-values.js';
import type { LightningNodeApi, BrowserNodeOptions } from './node-api.js';
import type { Logger } from './log.js';
import type { CallContext } from './services.js';
import type { RpcParams, RpcValue } from './types.js';

const SEED_KEY = 'node_seed';

export interface BrowserNodeHooks {
  log?: Logger;
  /** Called when `crashAt` is reached (tests); the default spins until the Worker is terminated. */
  onCrashPoint?: (name: string) => void;
  /** The node stopped itself (a store write failed, or the `stop` command). */
  onStop?: (reason: string) => void;
}

async function loadSeed(store: Store, create: boolean): Promise<Uint8Array> {
  const rec = await store.get(META_TABLE, SEED_KEY);
  if (rec && rec.value instanceof Uint8Array) return rec.value;
  if (!create) throw new RpcError(-1, 'this database has no node yet');
  const seed = newSeed();
  await store.commit([{ table: META_TABLE, put: { key: SEED_KEY, value: seed } }]);
  return seed;
}

function spinForever(): never {
  // A crash-safety test stops the Worker here: nothing after this point may run.
  for (;;) {
    /* busy until terminated */
  }
}

export async function createBrowserNode(opts: BrowserNodeOptions, hooks: BrowserNodeHooks = {}): Promise<LightningNodeApi> {
  await initCrypto(opts.wasmUrl ?? defaultWasmUrl());
  const name = opts.dbName ?? 'lightning-worker';
  // Before the database (and its Web Lock): a chain refused for this network is a configuration error.
  const chain = createChainSource(opts.chain ?? { static: true }, opts.network);
  let store: Store;
  try {
    store = await openIndexedDbStore({ name, schema: NODE_SCHEMA });
  } catch (e) {
    if (e instanceof StoreError && e.code === 'LOCKED' && opts.readOnlyIfLocked) {
      return openReadOnly(name, opts);
    }
    throw e;
  }
  const seed = await loadSeed(store, true);
  return LightningNode.start({
    network: opts.network,
    store,
    seed,
    chain,
    dialer: webSocketDialer(),
    ...(opts.alias !== undefined ? { alias: opts.alias } : {}),
    ...(opts.zeroconfFrom ? { zeroconfFrom: opts.zeroconfFrom } : {}),
    ...(hooks.log ? { log: hooks.log } : {}),
    ...(hooks.onStop ? { onStop: hooks.onStop } : {}),
    ...(opts.crashAt ? { crashPoint: crashPointMatcher(opts.crashAt, hooks.onCrashPoint ?? spinForever) } : {}),
  });
}

/** Listing methods straight from the store; no peers, no channels, no writes. */
async function openReadOnly(name: string, opts: BrowserNodeOptions): Promise<LightningNodeApi> {
  const store = await openIndexedDbStore({ name, schema: NODE_SCHEMA, readOnly: true });
  const id = deriveNodeSecrets(await loadSeed(store, false)).nodeId;
  const events = new EventHub(() => undefined);
  const refuse = () => Promise.reject(new RpcError(-1, `read-only: database ${name} is open in another tab`));
  const payments = new PaymentsService({
    store,
    ownNodeId: id,
    clock: globalThis,
    now: () => Math.floor(Date.now() / 1000),
    blockHeight: () => Promise.resolve(0),
    channels: { firstHops: () => [], offerHtlc: refuse },
    invoices: { lookup: () => Promise.resolve(undefined), markPaid: refuse },
    decodeInvstring: invstringDecoderFor(opts.network),
    notify: () => undefined,
    // Only the listing methods reach this service, so it never commits: there is nothing to stop.
    fatal: () => undefined,
  });
  const invoices = new InvoicesService({
    store,
    network: opts.network,
    nodeSecret: new Uint8Array(32),
    now: () => Math.floor(Date.now() / 1000),
    nowMs: () => Date.now(),
    blockHeight: () => Promise.resolve(0),
    routeHints: () => [],
    events,
    actions: { fulfill: refuse, fail: refuse },
  });
  const forwards = new ForwardsService({ store, nowMs: () => Date.now() });
  const table: MethodTable<CallContext> = methodTable<CallContext>([
    defineMethod({ name: 'getinfo', params: [] as const, handler: () => ({ ok: true, value: { id, network: opts.network, read_only: true } }) }),
    defineMethod({ name: 'listsendpays', params: LISTSENDPAYS_PARAMS, handler: (p) => payments.listsendpays(p) }),
    defineMethod({ name: 'listpays', params: LISTPAYS_PARAMS, handler: (p) => payments.listpays(p, { developer: true }) }),
    defineMethod({ name: 'listinvoices', params: LISTINVOICES_PARAMS, handler: (p) => invoices.listinvoices(p) }),
    defineMethod({ name: 'listforwards', params: LISTFORWARDS_PARAMS, handler: (p) => forwards.listforwards(p) }),
  ]);
  return {
    id,
    readOnly: true,
    async rpc(method: string, params?: RpcParams): Promise<RpcValue> {
      if (!table.has(method)) return refuse();
      const out = await dispatchValues(table, method, params ?? {}, {});
      if (!out.ok) throw out.error;
      return fromRpcJson(out.value);
    },
    subscribe: (l) => events.subscribe(l),
    inFlight: () => 0,
    reconnectAll: () => undefined,
    close: () => store.close(),
  };
}
