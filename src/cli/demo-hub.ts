// The demo hub's one policy: every new peer (the page's Worker) gets a zero-conf channel with
// funds on its side. What became of that open is kept per peer, so the page can ask
// (GET /api/hub/channel?peer=ID) instead of waiting for a channel that will never come.
import type { LightningNodeClient } from '../node.js';
import { errorMessage } from '../errors.js';

export type PageChannelStatus =
  | { state: 'none' }
  | { state: 'opening' }
  | { state: 'opened'; channel_id?: string }
  | { state: 'failed'; error: string; hint: string };

export interface PageChannels {
  status(peer: string): PageChannelStatus;
  stop(): void;
}

export interface PageChannelOptions {
  /** Peers that never get a channel (the shop). */
  exclude: readonly string[];
  amountSat: number;
  pushMsat: bigint;
  /** One human-readable line for the operator's terminal. */
  warn(line: string): void;
}

/** Bounded: a page that reloads with a fresh database is a new peer every time. */
const MAX_PEERS = 1000;

/** What a person can do about a failed open, from the hub's error text. */
export function pageChannelHint(error: string): string {
  if (/zero-?conf|untrusted/i.test(error)) {
    return "The page's node must accept zero-conf channels from the hub (the demo page does, from /demo-config.json): reload the page served by `npm start`.";
  }
  if (/not connected|unknown peer/i.test(error)) return 'The page disconnected before the channel was opened: reload the page to connect again.';
  return 'Reload the page to connect again (the hub retries on every new connection); `LW_DEMO_LOG=debug npm start` shows the nodes\' logs.';
}

function channelIdOf(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const id = (result as { channel_id?: unknown }).channel_id;
  return typeof id === 'string' ? id : undefined;
}

export function openChannelsToPages(hub: LightningNodeClient, opts: PageChannelOptions): PageChannels {
  const exclude = new Set(opts.exclude.map((s) => s.toLowerCase()));
  const statuses = new Map<string, PageChannelStatus>();
  const remember = (peer: string, s: PageChannelStatus): void => {
    statuses.delete(peer); // re-insert: the map's order is oldest first, for the bound below
    statuses.set(peer, s);
    if (statuses.size > MAX_PEERS) statuses.delete(statuses.keys().next().value!);
  };

  const unsubscribe = hub.subscribe((e) => {
    if (e.type !== 'peer' || !e.connected) return;
    const peer = e.id.toLowerCase();
    if (exclude.has(peer) || statuses.get(peer)?.state === 'opening') return;
    const existing = hub.node.channels.ofPeer(e.id).find((c) => c.record.state !== 'ONCHAIN');
    if (existing !== undefined) {
      remember(peer, { state: 'opened' });
      return;
    }
    remember(peer, { state: 'opening' });
    hub.fundchannel({ id: peer, amount: opts.amountSat, push_msat: opts.pushMsat, mindepth: 0, announce: false }).then(
      (r) => {
        const id = channelIdOf(r);
        remember(peer, id === undefined ? { state: 'opened' } : { state: 'opened', channel_id: id });
      },
      (err: unknown) => {
        const error = errorMessage(err);
        const hint = pageChannelHint(error);
        remember(peer, { state: 'failed', error, hint });
        opts.warn(`warning: the hub could not open a channel to ${peer}: ${error}\n  hint: ${hint}`);
      },
    );
  });

  return {
    status: (peer) => statuses.get(peer.toLowerCase()) ?? { state: 'none' },
    stop: unsubscribe,
  };
}
