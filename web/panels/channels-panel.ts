// Section 3: our channels from listpeerchannels (state, balances, scid or alias), refreshed when
// the node reports channel/peer changes or a payment settles. Until a channel is ready it also
// polls, because a zero-conf channel the peer opens right after connecting is the very first
// thing a newcomer waits for; with the demo hub it also asks the demo server how the hub's open
// is going, so a failed open is said rather than waited for.
import type { App } from '../app.js';
import { byId, cell, h, replaceChildren, setMessage, tableRow } from '../dom.js';
import { formatMsat, formatMsatExact, nodeLabel } from '../format.js';
import { READY_STATE } from '../route.js';
import { channelViews, errorLine, type ChannelView } from '../rpc-views.js';
import { fetchHubChannelStatus, hubFailureText } from '../hub-channel.js';

const POLL_MS = 2000;

function amountCell(label: string, v: bigint | undefined): HTMLTableCellElement {
  return cell(label, { class: 'num', title: v === undefined ? undefined : formatMsatExact(v) }, v === undefined ? '—' : formatMsat(v));
}

function row(c: ChannelView, app: App): HTMLTableRowElement {
  const ready = c.state === READY_STATE;
  const theirs = c.total_msat !== undefined && c.to_us_msat !== undefined ? c.total_msat - c.to_us_msat : undefined;
  const id =
    c.short_channel_id !== undefined ? c.short_channel_id : c.alias_local !== undefined ? `${c.alias_local} (alias)` : '—';
  return tableRow(
    { 'data-state': c.state },
    cell('Peer', {}, nodeLabel(c.peer_id, app.names), c.peer_connected ? '' : ' (offline)'),
    cell('State', {}, h('span', { class: ready ? 'badge ok' : 'badge wait' }, ready ? 'ready' : 'not ready'), ' ', h('code', {}, c.state)),
    cell('Channel', {}, h('code', {}, id)),
    amountCell('Your balance', c.to_us_msat),
    amountCell('Their balance', theirs),
    amountCell('You can send', c.spendable_msat),
  );
}

export function mountChannelsPanel(app: App): void {
  const body = byId('channels-body', HTMLTableSectionElement);
  const table = byId('channels-table', HTMLTableElement);
  const empty = byId('channels-empty', HTMLElement);
  const error = byId('channels-error', HTMLElement);
  const refreshButton = byId('channels-refresh', HTMLButtonElement);
  const hubMessage = byId('channels-hub', HTMLElement);
  const emptyText = empty.textContent ?? '';
  const announcedReady = new Set<string>();
  let timer: number | undefined;
  let inFlight = false;
  let again = false;

  async function refresh(): Promise<void> {
    const client = app.client;
    if (client === undefined) return;
    // Coalesce bursts of events into one call at a time, plus one follow-up.
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const channels = channelViews(await client.listpeerchannels());
      setMessage(error, '');
      replaceChildren(body, ...channels.map((c) => row(c, app)));
      table.hidden = channels.length === 0;
      empty.hidden = channels.length !== 0;
      for (const c of channels) {
        const key = c.channel_id ?? `${c.peer_id}/${c.short_channel_id ?? c.alias_local ?? ''}`;
        if (c.state === READY_STATE && !announcedReady.has(key)) {
          announcedReady.add(key);
          app.announce(`Channel with ${nodeLabel(c.peer_id, app.names)} is ready: you can send ${formatMsat(c.spendable_msat ?? 0n)}.`);
        }
      }
      const hub = app.config?.hub?.id.toLowerCase();
      const waiting = !channels.some((c) => c.state === READY_STATE && (hub === undefined || c.peer_id.toLowerCase() === hub));
      if (hub !== undefined) await showHubStatus(waiting, channels.length === 0);
      schedulePoll(waiting);
    } catch (e) {
      setMessage(error, errorLine(e));
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  /** Sets a message only when it changes, so a polled alert is not read again every 2 s. */
  function show(el: HTMLElement, text: string): void {
    if (el.textContent !== text || el.hidden !== (text === '')) setMessage(el, text);
  }

  async function showHubStatus(waiting: boolean, noChannels: boolean): Promise<void> {
    const self = app.selfId;
    if (!waiting || self === undefined) {
      show(hubMessage, '');
      empty.textContent = emptyText;
      return;
    }
    try {
      const s = await fetchHubChannelStatus(self);
      show(hubMessage, s.state === 'failed' ? hubFailureText(s) : '');
      if (noChannels) empty.textContent = s.state === 'opening' ? 'The hub is opening a channel to you…' : emptyText;
    } catch (e) {
      show(hubMessage, `Cannot ask the demo server about the hub's channel: ${errorLine(e)}`);
    }
  }

  function schedulePoll(on: boolean): void {
    if (timer !== undefined) window.clearTimeout(timer);
    timer = on ? window.setTimeout(() => void refresh(), POLL_MS) : undefined;
  }

  refreshButton.addEventListener('click', () => void refresh());
  app.bus.on((e) => {
    if (e.type === 'started' || e.type === 'payments-changed') void refresh();
    if (e.type === 'node' && (e.event.type === 'channel' || e.event.type === 'peer' || e.event.type === 'sendpay_success' || e.event.type === 'sendpay_failure')) {
      void refresh();
    }
  });
}
