// BOLT 1 `init`: what we send, and whether the peer's init lets the connection continue.
import {
  KNOWN_FEATURES,
  featureFlags,
  mergeFeatures,
  missingDependencies,
  networkForChainHash,
  unknownRequiredFeatures,
  type FeatureName,
  type Init,
} from '../wire/index.js';
import { equalBytes, toHex, type Bytes } from '../util/bytes.js';
import { PeerError } from './errors.js';

export interface LocalInit {
  /** Our feature bits (BOLT 9 `features`). */
  features: Bytes;
  /** Legacy global features; normally empty (BOLT 1: nothing above bit 13 here). */
  globalFeatures?: Bytes;
  /** Chain hashes (wire order) we use, announced in the `networks` TLV. */
  chains: Bytes[];
  /** Features we understand; the peer requiring any other even bit makes us disconnect. */
  knownFeatures?: readonly FeatureName[];
}

/** What we learnt from the peer's init. */
export interface RemoteInit {
  /** global_features OR features: the one feature map BOLT 1 says to use. */
  features: Bytes;
  networks?: Bytes[];
  /** Our address as the peer sees it (a BOLT 7 address descriptor), if it told us. */
  remoteAddr?: Bytes;
}

export function buildInit(local: LocalInit, remoteAddr?: Bytes): Init {
  const tlvs: Init['tlvs'] = { networks: local.chains.map((c) => c.slice()) };
  if (remoteAddr) tlvs.remote_addr = remoteAddr.slice();
  return { type: 'init', global_features: (local.globalFeatures ?? new Uint8Array(0)).slice(), features: local.features.slice(), tlvs };
}

export type InitVerdict = { ok: true; remote: RemoteInit } | { ok: false; error: PeerError };

function chainName(c: Bytes): string {
  return networkForChainHash(c) ?? toHex(c);
}

export function checkRemoteInit(init: Init, local: LocalInit): InitVerdict {
  const features = mergeFeatures(init.global_features, init.features);
  const unknown = unknownRequiredFeatures(features, local.knownFeatures ?? KNOWN_FEATURES);
  if (unknown.length > 0) {
    return { ok: false, error: new PeerError('INCOMPATIBLE_FEATURES', `peer requires unknown feature bits ${unknown.join(', ')}`) };
  }
  const missing = missingDependencies(features);
  if (missing.length > 0) {
    const what = missing.map((m) => `${m.feature} needs ${m.needs}`).join(', ');
    return { ok: false, error: new PeerError('INCOMPATIBLE_FEATURES', `peer features miss dependencies: ${what}`) };
  }
  const networks = init.tlvs.networks;
  if (networks !== undefined && !networks.some((n) => local.chains.some((c) => equalBytes(c, n)))) {
    const theirs = networks.length > 0 ? networks.map(chainName).join(', ') : 'none';
    const ours = local.chains.map(chainName).join(', ');
    return { ok: false, error: new PeerError('NO_COMMON_NETWORK', `no common network: peer has ${theirs}, we use ${ours}`) };
  }
  const remote: RemoteInit = { features };
  if (networks !== undefined) remote.networks = networks;
  if (init.tlvs.remote_addr !== undefined) remote.remoteAddr = init.tlvs.remote_addr;
  return { ok: true, remote };
}

/** Set feature bits, for logs ("5, 7, 13"). */
export function describeFeatures(f: Bytes): string {
  return featureFlags(f).join(', ') || 'none';
}
