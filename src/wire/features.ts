// BOLT 9 feature bits. A feature is a pair of bits: the even one means "required", the odd one
// "optional" ("it's ok to be odd"). On the wire a feature field is a big-endian byte string whose
// least-significant bit (bit 0) is the low bit of the LAST byte.
//
// The table follows 09-features.md as of 2026 (bolts a3772650). ASSUMED features are ones every
// node now has; they are kept so that peers setting them are understood, and so we can set them.
import { WireError } from './errors.js';

/** Where a feature may be presented: init, node_announcement, channel_announcement, BOLT 11
 *  invoices, blinded paths' allowed_features, channel_type. */
export type FeatureContext = 'I' | 'N' | 'C' | '9' | 'B' | 'T';

interface FeatureRow {
  readonly name: string;
  /** The even (required) bit; the optional bit is `bit + 1`. */
  readonly bit: number;
  readonly contexts: string;
  readonly assumed?: boolean;
  readonly dependencies?: readonly string[];
}

// For ASSUMED features, `contexts` lists where they were presented before the spec assumed them
// (the current table leaves them blank): that is where we still set them for older peers.
const TABLE = [
  { name: 'option_data_loss_protect', bit: 0, contexts: 'IN', assumed: true },
  // Historical: only ever defined as an optional init bit (3). Known so it is never "unknown".
  { name: 'initial_routing_sync', bit: 2, contexts: 'I' },
  { name: 'option_upfront_shutdown_script', bit: 4, contexts: 'IN' },
  { name: 'gossip_queries', bit: 6, contexts: 'IN' },
  { name: 'var_onion_optin', bit: 8, contexts: 'IN9', assumed: true },
  { name: 'gossip_queries_ex', bit: 10, contexts: 'IN' },
  { name: 'option_static_remotekey', bit: 12, contexts: 'INT', assumed: true },
  { name: 'payment_secret', bit: 14, contexts: 'IN9', assumed: true },
  { name: 'basic_mpp', bit: 16, contexts: 'IN9', dependencies: ['payment_secret'] },
  { name: 'option_support_large_channel', bit: 18, contexts: 'IN' },
  { name: 'option_anchors', bit: 22, contexts: 'INT' },
  { name: 'option_route_blinding', bit: 24, contexts: 'IN9' },
  { name: 'option_shutdown_anysegwit', bit: 26, contexts: 'IN' },
  { name: 'option_dual_fund', bit: 28, contexts: 'IN' },
  { name: 'option_quiesce', bit: 34, contexts: 'IN' },
  { name: 'option_attribution_data', bit: 36, contexts: 'IN9' },
  { name: 'option_onion_messages', bit: 38, contexts: 'IN' },
  { name: 'option_provide_storage', bit: 42, contexts: 'IN' },
  { name: 'option_channel_type', bit: 44, contexts: 'IN', assumed: true },
  { name: 'option_scid_alias', bit: 46, contexts: 'INT' },
  { name: 'option_payment_metadata', bit: 48, contexts: '9' },
  { name: 'option_zeroconf', bit: 50, contexts: 'INT', dependencies: ['option_scid_alias'] },
  { name: 'option_simple_close', bit: 60, contexts: 'IN', dependencies: ['option_shutdown_anysegwit'] },
  { name: 'option_splice', bit: 62, contexts: 'IN' },
] as const satisfies readonly FeatureRow[];

export type CanonicalFeatureName = (typeof TABLE)[number]['name'];

/** Older spec names accepted as input; results always use the canonical name. */
const ALIASES = {
  option_anchors_zero_fee_htlc_tx: 'option_anchors',
} as const satisfies Record<string, CanonicalFeatureName>;

export type FeatureName = CanonicalFeatureName | keyof typeof ALIASES;

export interface FeatureInfo {
  name: CanonicalFeatureName;
  /** Even (required) bit; `bit + 1` is the optional bit. */
  bit: number;
  contexts: FeatureContext[];
  assumed: boolean;
  dependencies: CanonicalFeatureName[];
}

const INFOS: readonly FeatureInfo[] = TABLE.map((row: FeatureRow) => ({
  name: row.name as CanonicalFeatureName,
  bit: row.bit,
  contexts: [...row.contexts] as FeatureContext[],
  assumed: row.assumed ?? false,
  dependencies: (row.dependencies ?? []) as CanonicalFeatureName[],
}));
const BY_NAME = new Map<string, FeatureInfo>(INFOS.map((f) => [f.name, f]));
const BY_PAIR = new Map<number, FeatureInfo>(INFOS.map((f) => [f.bit, f]));

/** Every feature this module knows, lowest bit first. */
export const KNOWN_FEATURES: readonly CanonicalFeatureName[] = INFOS.map((f) => f.name);

export function featureInfo(name: FeatureName): FeatureInfo {
  const canonical = (ALIASES as Record<string, string>)[name] ?? name;
  const info = BY_NAME.get(canonical);
  if (info === undefined) throw new WireError('BAD_VALUE', `unknown feature name ${String(name)}`);
  return info;
}

/** The feature owning `bit` (either of its pair), if known. */
export function featureForBit(bit: number): FeatureInfo | undefined {
  return BY_PAIR.get(bit - (bit % 2));
}

// ---- raw bit fields -----------------------------------------------------------------------------

export function hasFeatureBit(f: Uint8Array, bit: number): boolean {
  const i = f.length - 1 - (bit >> 3);
  return i >= 0 && ((f[i]! >> (bit & 7)) & 1) === 1;
}

/** Minimal big-endian bit field with exactly these bits set. */
export function featuresFromBits(bits: Iterable<number>): Uint8Array {
  const list = [...bits];
  let top = -1;
  for (const b of list) {
    if (!Number.isInteger(b) || b < 0 || b >= 8 * 0xffff) throw new WireError('BAD_VALUE', `bad feature bit ${b}`);
    if (b > top) top = b;
  }
  const out = new Uint8Array((top >> 3) + 1);
  for (const b of list) out[out.length - 1 - (b >> 3)]! |= 1 << (b & 7);
  return out;
}

/** Set bit numbers, ascending. */
export function featureFlags(f: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = f.length - 1; i >= 0; i--) {
    const byte = f[i]!;
    if (byte === 0) continue;
    const base = (f.length - 1 - i) * 8;
    for (let j = 0; j < 8; j++) if ((byte >> j) & 1) out.push(base + j);
  }
  return out;
}

/** Bitwise OR of two fields, minimal length (BOLT 1: init's global_features OR features). */
export function mergeFeatures(a: Uint8Array, b: Uint8Array): Uint8Array {
  const n = Math.max(a.length, b.length);
  const out = new Uint8Array(n);
  // Align on the last byte, where bit 0 lives.
  for (let i = 1; i <= n; i++) out[n - i] = (a[a.length - i] ?? 0) | (b[b.length - i] ?? 0);
  let start = 0;
  while (start < n && out[start] === 0) start++;
  return out.slice(start);
}

// ---- named features ------------------------------------------------------------------------------

export type FeatureSupport = 'required' | 'optional';

/** Builds a feature field, e.g. featureBits({ var_onion_optin: 'required', basic_mpp: 'optional' }). */
export function featureBits(spec: Partial<Record<FeatureName, FeatureSupport>>): Uint8Array {
  const bits: number[] = [];
  for (const [name, support] of Object.entries(spec)) {
    if (support === undefined) continue;
    if (support !== 'required' && support !== 'optional') {
      throw new WireError('BAD_VALUE', `feature ${name}: expected 'required' or 'optional'`);
    }
    const info = featureInfo(name as FeatureName);
    bits.push(support === 'required' ? info.bit : info.bit + 1);
  }
  return featuresFromBits(bits);
}

/** Either bit of the feature is set. */
export function hasFeature(f: Uint8Array, name: FeatureName): boolean {
  const { bit } = featureInfo(name);
  return hasFeatureBit(f, bit) || hasFeatureBit(f, bit + 1);
}

/** The even bit is set (BOLT 9: both bits set also means required). */
export function requiresFeature(f: Uint8Array, name: FeatureName): boolean {
  return hasFeatureBit(f, featureInfo(name).bit);
}

export function featureSupport(f: Uint8Array, name: FeatureName): FeatureSupport | undefined {
  if (requiresFeature(f, name)) return 'required';
  return hasFeature(f, name) ? 'optional' : undefined;
}

/** Known features present in `f` (either bit), lowest bit first. */
export function featureNames(f: Uint8Array): CanonicalFeatureName[] {
  return INFOS.filter((i) => hasFeatureBit(f, i.bit) || hasFeatureBit(f, i.bit + 1)).map((i) => i.name);
}

/**
 * Even bits set in `f` that are not features we know: per BOLT 1 a node receiving any of these
 * in init must disconnect. `known` narrows "what we know" to the features we implement.
 */
export function unknownRequiredFeatures(f: Uint8Array, known: readonly FeatureName[] = KNOWN_FEATURES): number[] {
  const knownBits = new Set(known.map((n) => featureInfo(n).bit));
  return featureFlags(f).filter((b) => b % 2 === 0 && !knownBits.has(b));
}

/** Features present in `f` whose BOLT 9 dependencies are absent. */
export function missingDependencies(f: Uint8Array): { feature: CanonicalFeatureName; needs: CanonicalFeatureName }[] {
  const out: { feature: CanonicalFeatureName; needs: CanonicalFeatureName }[] = [];
  for (const name of featureNames(f)) {
    for (const dep of featureInfo(name).dependencies) {
      if (!hasFeature(f, dep)) out.push({ feature: name, needs: dep });
    }
  }
  return out;
}

/**
 * BOLT 1: a feature is negotiated if both peers offered it, or if we offered it as required
 * (the peer would have disconnected otherwise).
 */
export function isNegotiated(local: Uint8Array, remote: Uint8Array, name: FeatureName): boolean {
  return (hasFeature(local, name) && hasFeature(remote, name)) || requiresFeature(local, name);
}

// ---- channel types (BOLT 2 "Defined Channel Types") ----------------------------------------------

export interface ChannelType {
  /** option_anchors (bit 22), on top of the static_remotekey base type (bit 12). */
  anchors: boolean;
  /** option_scid_alias (bit 46). */
  scid_alias: boolean;
  /** option_zeroconf (bit 50). */
  zeroconf: boolean;
}

const STATIC_REMOTEKEY_BIT = 12;
const ANCHORS_BIT = 22;
const SCID_ALIAS_BIT = 46;
const ZEROCONF_BIT = 50;

/**
 * The `channel_type` field of open_channel/accept_channel: static_remotekey (12), optionally
 * anchors (22), each with the scid_alias (46) and zeroconf (50) variations.
 */
export function channelTypeBits(t: Partial<ChannelType> = {}): Uint8Array {
  const bits = [STATIC_REMOTEKEY_BIT];
  if (t.anchors) bits.push(ANCHORS_BIT);
  if (t.scid_alias) bits.push(SCID_ALIAS_BIT);
  if (t.zeroconf) bits.push(ZEROCONF_BIT);
  return featuresFromBits(bits);
}

/**
 * Reads a channel_type; undefined unless it is one of the defined types in its minimal encoding
 * (the spec requires "the smallest bitmap possible", and types are an enumeration, not a free
 * combination of bits).
 */
export function parseChannelType(bits: Uint8Array): ChannelType | undefined {
  if (bits.length === 0 || bits[0] === 0) return undefined;
  const set = featureFlags(bits);
  const allowed = new Set([STATIC_REMOTEKEY_BIT, ANCHORS_BIT, SCID_ALIAS_BIT, ZEROCONF_BIT]);
  if (!set.includes(STATIC_REMOTEKEY_BIT) || set.some((b) => !allowed.has(b))) return undefined;
  return {
    anchors: set.includes(ANCHORS_BIT),
    scid_alias: set.includes(SCID_ALIAS_BIT),
    zeroconf: set.includes(ZEROCONF_BIT),
  };
}
