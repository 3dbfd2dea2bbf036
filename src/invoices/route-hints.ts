// Route hints for our invoices, chosen as Core Lightning's routehint_candidates() and
// select_inchan()/select_inchan_mpp() do, from the runtime's view of our channels. For a private
// channel the hint is the only way a payer finds us: the hop is the PEER (the node that forwards to
// us), the channel as the peer knows it (real scid or the alias it gave us), and the peer's own
// fee/cltv for that direction, learned from the channel_update it sent us.
import type { RouteHintHop } from '../invoice/index.js';
import type { Scid } from '../types.js';
import { fromHex } from '../util/bytes.js';
import type { ChanHints } from './params.js';

export interface RouteHintCandidate {
  /** The peer's node id (hex). */
  readonly peer_id: string;
  /** The channel as the peer knows it: the real scid, or the alias the peer assigned (private). */
  readonly short_channel_id: Scid;
  /** Other names of the channel that exposeprivatechannels may use (real scid, our alias). */
  readonly other_scids?: readonly Scid[];
  /** The peer's policy for forwarding to us (its channel_update for this channel). */
  readonly fee_base_msat: number;
  readonly fee_proportional_millionths: number;
  readonly cltv_expiry_delta: number;
  readonly htlc_maximum_msat?: bigint;
  /** What the peer can still send us (its balance above its reserve). */
  readonly receivable_msat: bigint;
  /** Channel capacity minus both reserves: the weight denominator of the random choice. */
  readonly capacity_msat: bigint;
  /** Announced channel. */
  readonly public: boolean;
  /** Channel in normal operation (Core Lightning: CHANNELD_NORMAL); others are skipped. */
  readonly usable: boolean;
  readonly peer_connected: boolean;
  /**
   * The peer has no other channel a payer could reach it through (Core Lightning: listincoming's
   * incoming_capacity_msat is 0). Leave false when unknown: a light node has no gossip map.
   */
  readonly peer_deadend?: boolean;
}

export interface RouteHintChoice {
  readonly routes: RouteHintHop[][];
  readonly warning_mpp: boolean;
  readonly warning_capacity: boolean;
  readonly warning_deadends: boolean;
  readonly warning_offline: boolean;
  readonly warning_private_unused: boolean;
  /** exposeprivatechannels named channels and none was usable: error 902. */
  readonly hints_gave_no_routes: boolean;
}

interface Usable {
  readonly c: RouteHintCandidate;
  readonly capacity: bigint;
}

/** A uniform double in [0, 1) from 53 random bits (5 of the first byte, then six whole bytes). */
function uniform(random: (n: number) => Uint8Array): number {
  const b = random(7);
  let v = (b[0] ?? 0) & 0x1f;
  for (let i = 1; i < 7; i++) v = v * 256 + (b[i] ?? 0);
  return v / 2 ** 53;
}

function hop(c: RouteHintCandidate): RouteHintHop[] {
  return [
    {
      pubkey: fromHex(c.peer_id),
      short_channel_id: c.short_channel_id,
      fee_base_msat: c.fee_base_msat,
      fee_proportional_millionths: c.fee_proportional_millionths,
      cltv_expiry_delta: c.cltv_expiry_delta,
    },
  ];
}

const named = (c: RouteHintCandidate, hints: readonly Scid[]): boolean =>
  hints.includes(c.short_channel_id) || (c.other_scids ?? []).some((s) => hints.includes(s));

/**
 * `amount` undefined = an "any" invoice (Core Lightning then needs 1 msat). `random` is the
 * runtime's random source: the choice among sufficient channels is weighted and random, so the
 * hints do not reveal balances.
 */
export function chooseRouteHints(
  candidates: readonly RouteHintCandidate[],
  amount: bigint | undefined,
  chanhints: ChanHints | undefined,
  random: (n: number) => Uint8Array,
): RouteHintChoice {
  const needed = amount ?? 1n;
  const hints = chanhints?.hints;
  const pub: Usable[] = [];
  const priv: Usable[] = [];
  let nonePublic = true;
  let avail = 0n;
  let privateCap = 0n;
  let deadend = 0n;
  let offline = 0n;
  for (const c of candidates) {
    if (!c.usable) continue;
    // An htlc_maximum_msat is the capacity ceiling: several HTLCs would defeat its spirit.
    const capacity = c.htlc_maximum_msat !== undefined && c.receivable_msat > c.htlc_maximum_msat ? c.htlc_maximum_msat : c.receivable_msat;
    // A public channel, even an unusable one, means we do not expose private ones by default.
    if (c.public) nonePublic = false;
    const asPublic = c.public || chanhints?.expose_all_private === true;
    if (hints !== undefined) {
      // Named channels are used even with no capacity and even when they look like dead ends.
      if (!named(c, hints)) continue;
    } else if (c.peer_deadend === true) {
      deadend += capacity;
      continue;
    }
    if (!c.peer_connected) {
      offline += capacity;
      continue;
    }
    if (asPublic) {
      pub.push({ c, capacity });
      avail += capacity;
    } else {
      priv.push({ c, capacity });
      privateCap += capacity;
    }
  }
  let chosen = pub;
  // By default private channels are considered only when we have no public channel at all.
  if (chanhints === undefined && pub.length === 0 && nonePublic) {
    chosen = priv;
    avail = privateCap;
    privateCap = 0n; // now it reflects *unused* private capacity
  }
  const noRoutes = chosen.length === 0 && hints !== undefined && hints.length > 0;

  let routes: RouteHintHop[][] = [];
  let warningMpp = false;
  if (!nonePublic) routes = weightedPick(chosen, needed, random);
  if (routes.length === 0) {
    routes = gather(chosen, needed);
    warningMpp = routes.length > 1;
  }

  const total = avail + offline + deadend + privateCap;
  let warningOffline = false;
  let warningDeadends = false;
  let warningPrivate = false;
  // Only when we lacked capacity and the excluded channels would have helped, first match wins.
  if (needed > avail) {
    if (avail + offline >= needed) warningOffline = true;
    else if (avail + offline + deadend >= needed) warningDeadends = true;
    else if (total >= needed) warningPrivate = true;
  }
  return {
    routes,
    warning_mpp: warningMpp,
    warning_capacity: needed >= total,
    warning_deadends: warningDeadends,
    warning_offline: warningOffline,
    warning_private_unused: warningPrivate,
    hints_gave_no_routes: noRoutes,
  };
}

/**
 * select_inchan: among channels that can take the whole amount, a reservoir-sampled one, favouring
 * those with more of their capacity on the peer's side (harder to probe balances).
 */
function weightedPick(chosen: readonly Usable[], needed: bigint, random: (n: number) => Uint8Array): RouteHintHop[][] {
  let pick: Usable | undefined;
  let totalWeight = 0;
  for (const u of chosen) {
    if (u.capacity < needed) continue;
    const denominator = u.c.capacity_msat > 0n ? u.c.capacity_msat : 1n;
    // +1 msat so a channel with exactly enough still has a chance: it may be the only one.
    const weight = Number(u.capacity - needed + 1n) / Number(denominator);
    totalWeight += weight;
    if (uniform(random) * totalWeight <= weight) pick = u;
  }
  return pick === undefined ? [] : [hop(pick.c)];
}

/** select_inchan_mpp: channels in the runtime's order until together they can take the amount. */
function gather(chosen: readonly Usable[], needed: bigint): RouteHintHop[][] {
  const routes: RouteHintHop[][] = [];
  let gathered = 0n;
  for (const u of chosen) {
    if (gathered >= needed) break;
    gathered += u.capacity;
    routes.push(hop(u.c));
  }
  return routes;
}
