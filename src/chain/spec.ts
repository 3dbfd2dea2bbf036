// The `--chain` flag and the Worker's `chain` option, parsed into a ChainSource.
import type { ChainSource, Network } from './types.js';
import { ChainError } from './types.js';
import { StaticChain } from './static.js';
import { EsploraChain } from './esplora.js';
import { BitcoindChain } from './bitcoind.js';

export type ChainSpec =
  | { static: number | true; feeratePerKw?: number }
  | { esplora: string; pollIntervalMs?: number }
  | { bitcoind: string; pollIntervalMs?: number };

/** `esplora:URL | bitcoind:http://user:pass@host:port | static[:HEIGHT]` */
export function parseChainFlag(text: string): ChainSpec {
  if (text === 'static') return { static: true };
  const m = /^(esplora|bitcoind|static):(.+)$/.exec(text);
  if (!m) throw new ChainError('BAD_SPEC', `bad --chain value "${text}": use esplora:URL, bitcoind:URL or static[:HEIGHT]`);
  const [, kind, rest] = m as unknown as [string, string, string];
  if (kind === 'static') {
    if (!/^\d+$/.test(rest)) throw new ChainError('BAD_SPEC', `static chain height must be a number, got "${rest}"`);
    return { static: Number(rest) };
  }
  if (!/^https?:\/\//.test(rest)) throw new ChainError('BAD_SPEC', `${kind} URL must start with http:// or https://`);
  return kind === 'esplora' ? { esplora: rest } : { bitcoind: rest };
}

/**
 * The check every composition of a node with a chain source must pass, however the source was
 * made (a spec, or an object handed in by the embedder): the node's chain_hash and the source
 * must describe the same network, and the static source (synthetic funding, zero-conf on a chain
 * nobody can check) exists only on regtest. LightningNode.start runs it for every caller; the
 * factories that open a store (createLightningNode, createBrowserNode) get their source through
 * chainSourceFor/createChainSource first, so a wrong chain fails before the store and its lock
 * are touched (the start checks the same source again: two comparisons).
 */
export function checkChainForNetwork(chain: Pick<ChainSource, 'kind' | 'network'>, network: Network): void {
  if (chain.network !== network) {
    throw new ChainError('BAD_SPEC', `the ${chain.kind} chain source is for ${chain.network} but the node runs on ${network}`);
  }
  if (chain.kind === 'static' && network !== 'regtest') throw new ChainError('BAD_SPEC', 'the static chain source is only allowed on regtest');
}

export function isChainSource(c: unknown): c is ChainSource {
  return typeof c === 'object' && c !== null && 'tipHeight' in c && 'broadcast' in c;
}

/** The node's chain source from a `--chain` flag, a spec or the embedder's own object, checked. */
export function chainSourceFor(option: string | ChainSpec | ChainSource, network: Network, onError?: (e: unknown) => void): ChainSource {
  if (!isChainSource(option)) return createChainSource(typeof option === 'string' ? parseChainFlag(option) : option, network, onError);
  checkChainForNetwork(option, network);
  return option;
}

/** Builds the source a spec names, checked for `network` (checkChainForNetwork). */
export function createChainSource(spec: ChainSpec, network: Network, onError?: (e: unknown) => void): ChainSource {
  const chain = buildChainSource(spec, network, onError);
  checkChainForNetwork(chain, network);
  return chain;
}

function buildChainSource(spec: ChainSpec, network: Network, onError?: (e: unknown) => void): ChainSource {
  if ('static' in spec) {
    return new StaticChain({
      network,
      ...(spec.static === true ? {} : { height: spec.static }),
      ...(spec.feeratePerKw !== undefined ? { feeratePerKw: spec.feeratePerKw } : {}),
    });
  }
  if ('esplora' in spec) {
    return new EsploraChain({ url: spec.esplora, network, ...(spec.pollIntervalMs ? { pollIntervalMs: spec.pollIntervalMs } : {}), ...(onError ? { onError } : {}) });
  }
  return new BitcoindChain({ url: spec.bitcoind, network, ...(spec.pollIntervalMs ? { pollIntervalMs: spec.pollIntervalMs } : {}), ...(onError ? { onError } : {}) });
}
