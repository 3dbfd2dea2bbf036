// Section 2: connect to a peer by `id@host:port` or `id@ws://…`, directly or through a proxy in
// either URL dialect, and show each peer's connection state as the node reports it. With the
// demo config the page dials the hub by itself once the node runs (a newcomer should not have to
// find the button first); the form stays for any other peer.
import type { App } from '../app.js';
import { clientOf } from '../app.js';
import { demoPeerAddress } from '../config.js';
import { byId, h, radioValue, replaceChildren, setMessage } from '../dom.js';
import { nodeLabel } from '../format.js';
import { isDialect, planConnection, type ConnectPlan, type Dialect, type PeerInput } from '../peer-input.js';
import { errorLine, peerViews, str } from '../rpc-views.js';

type PeerState = { state: 'connecting' | 'connected' | 'disconnected'; url?: string; reason?: string };

export function mountConnectPanel(app: App): void {
  const form = byId('connect-form', HTMLFormElement);
  const address = byId('peer-address', HTMLInputElement);
  const proxy = byId('proxy-url', HTMLInputElement);
  const preview = byId('dial-preview', HTMLElement);
  const error = byId('connect-error', HTMLElement);
  const list = byId('peer-list', HTMLElement);
  const button = byId('connect-button', HTMLButtonElement);
  const peers = new Map<string, PeerState>();

  const dialect = (): Dialect => {
    const v = radioValue(form, 'dialect');
    return isDialect(v) ? v : 'direct';
  };
  const input = (): PeerInput => ({ address: address.value, dialect: dialect(), proxyUrl: proxy.value });

  function renderPreview(): void {
    proxy.disabled = dialect() === 'direct';
    const plan = planConnection(input());
    preview.textContent = plan.ok ? `Will dial ${plan.target.url}${plan.note === undefined ? '' : ` (${plan.note})`}` : address.value.trim() === '' ? '' : plan.reason;
  }

  function renderPeers(): void {
    const items = [...peers].map(([id, p]) => {
      const where = p.url === undefined ? '' : ` via ${p.url}`;
      const text =
        p.state === 'connected' ? `connected${where}` : p.state === 'connecting' ? `connecting${where}…` : `disconnected${p.reason === undefined ? '' : `: ${p.reason}`}`;
      return h('li', { 'data-state': p.state }, h('span', { class: 'peer-name' }, nodeLabel(id, app.names)), ' — ', h('span', { class: `state state-${p.state}` }, text));
    });
    replaceChildren(list, ...(items.length === 0 ? [h('li', {}, 'Not connected to any peer.')] : items));
  }

  let lastDialect = dialect();
  form.addEventListener('change', (ev) => {
    // Swap the demo hub's address between its WebSocket and TCP ports when the dialect changes,
    // unless the person typed their own peer.
    if (ev.target instanceof HTMLInputElement && ev.target.name === 'dialect' && app.config !== undefined) {
      const was = demoPeerAddress(app.config, lastDialect);
      const now = demoPeerAddress(app.config, dialect());
      if (was !== undefined && now !== undefined && address.value.trim() === was) address.value = now;
      lastDialect = dialect();
    }
    renderPreview();
  });
  form.addEventListener('input', renderPreview);

  async function dial(plan: Extract<ConnectPlan, { ok: true }>): Promise<void> {
    setMessage(error, '');
    const { id, url } = plan.target;
    peers.set(id, { state: 'connecting', url });
    renderPeers();
    button.disabled = true;
    try {
      const result = await clientOf(app).connect(plan.target);
      const got = str(result.id)?.toLowerCase() ?? id;
      peers.set(got, { state: 'connected', url });
      app.announce(`Connected to ${nodeLabel(got, app.names)}.`);
    } catch (e) {
      peers.set(id, { state: 'disconnected', url, reason: errorLine(e) });
      setMessage(error, errorLine(e));
    } finally {
      button.disabled = false;
      renderPeers();
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const plan = planConnection(input());
    if (!plan.ok) {
      setMessage(error, plan.reason);
      address.focus();
      return;
    }
    void dial(plan);
  });

  /** The demo hub, dialled once per page load unless the node is already connected to it. */
  async function autoConnect(): Promise<void> {
    const hub = app.config?.hub;
    const demo = app.config === undefined ? undefined : demoPeerAddress(app.config, 'direct');
    if (hub === undefined || demo === undefined) return;
    if (peers.get(hub.id.toLowerCase())?.state === 'connected') return;
    const plan = planConnection({ address: demo, dialect: 'direct', proxyUrl: '' });
    if (!plan.ok) {
      setMessage(error, `The demo hub's address is unusable: ${plan.reason}`);
      return;
    }
    await dial(plan);
  }

  /** After a reload the node may already be connected (it reconnects by itself): show that. */
  async function loadPeers(): Promise<void> {
    try {
      for (const p of peerViews(await clientOf(app).listpeers())) {
        if (!peers.has(p.id)) peers.set(p.id, p.netaddr === undefined ? { state: p.connected ? 'connected' : 'disconnected' } : { state: p.connected ? 'connected' : 'disconnected', url: p.netaddr });
      }
      renderPeers();
    } catch (e) {
      setMessage(error, errorLine(e));
    }
  }

  app.bus.on((e) => {
    if (e.type === 'started') {
      button.disabled = false;
      void loadPeers().then(autoConnect);
    }
    if (e.type !== 'node' || e.event.type !== 'peer') return;
    const ev = e.event;
    const id = ev.id.toLowerCase();
    const prev = peers.get(id);
    const next: PeerState = { state: ev.connected ? 'connected' : 'disconnected' };
    if (prev?.url !== undefined) next.url = prev.url;
    if (ev.reason !== undefined) next.reason = ev.reason;
    peers.set(id, next);
    renderPeers();
    if (!ev.connected) app.announce(`Disconnected from ${nodeLabel(id, app.names)}${ev.reason === undefined ? '' : `: ${ev.reason}`}.`);
  });

  if (app.config !== undefined) {
    const demo = demoPeerAddress(app.config, 'direct');
    if (demo !== undefined) address.value = demo;
    if (app.config.proxy !== undefined) proxy.value = app.config.proxy.url;
    byId('connect-auto', HTMLElement).hidden = demo === undefined;
  }
  button.disabled = app.client === undefined;
  renderPreview();
  renderPeers();
}
