// Section 1: start our node in a Web Worker. With the demo config it starts by itself; otherwise
// the person picks the network, chain source and trusted zero-conf peers, then presses Start.
import type { Network } from '../../src/chain/types.js';
import type { ChainOption } from '../../src/worker/types.js';
import type { App } from '../app.js';
import { startNode } from '../boot.js';
import { isNetwork, settingsFromConfig, startOptions, type NodeSettings } from '../config.js';
import { byId, definitionList, replaceChildren, setMessage } from '../dom.js';
import { shortId } from '../format.js';
import { errorLine, str, u32 } from '../rpc-views.js';

function settingsFromForm(): NodeSettings | string {
  const network = byId('node-network', HTMLSelectElement).value;
  if (!isNetwork(network)) return `Unknown network "${network}".`;
  const chainText = byId('node-chain', HTMLInputElement).value.trim();
  let chain: ChainOption | undefined;
  if (/^[0-9]+$/.test(chainText)) chain = { static: Number(chainText) };
  else if (/^https?:\/\//.test(chainText)) chain = { esplora: chainText };
  else if (chainText !== '') return 'Chain: enter a block height (static chain) or an Esplora API URL (https://…/api).';
  const zeroconfFrom = byId('node-zeroconf', HTMLInputElement)
    .value.split(/[\s,]+/)
    .filter((s) => s !== '');
  const s: NodeSettings = { network: network as Network, zeroconfFrom };
  if (chain !== undefined) s.chain = chain;
  return s;
}

function fillForm(s: NodeSettings): void {
  byId('node-network', HTMLSelectElement).value = s.network;
  const chain = s.chain;
  byId('node-chain', HTMLInputElement).value = chain === undefined ? '' : 'static' in chain ? String(chain.static) : chain.esplora;
  byId('node-zeroconf', HTMLInputElement).value = s.zeroconfFrom.join(', ');
}

export function mountNodePanel(app: App): { start(): Promise<void> } {
  const form = byId('node-form', HTMLFormElement);
  const status = byId('node-status', HTMLElement);
  const error = byId('node-error', HTMLElement);
  const info = byId('node-info', HTMLElement);
  const button = byId('node-start', HTMLButtonElement);

  if (app.config !== undefined) fillForm(settingsFromConfig(app.config));
  app.bus.on((e) => {
    // The node's own warnings (e.g. a peer's error message) are shown as they come, latest first.
    if (e.type === 'node' && e.event.type === 'warning') {
      setMessage(byId('node-warning', HTMLElement), `Node warning: ${e.event.message}`);
      app.announce(`Node warning: ${e.event.message}`);
    }
  });

  async function start(): Promise<void> {
    const settings = settingsFromForm();
    setMessage(error, typeof settings === 'string' ? settings : '');
    if (typeof settings === 'string') return;
    button.disabled = true;
    status.textContent = 'Starting the node in a Web Worker…';
    try {
      const client = await startNode(startOptions(settings));
      app.client = client;
      app.network = settings.network;
      await client.subscribe((event) => app.bus.emit({ type: 'node', event }));
      const infoResult = await client.getinfo();
      const id = str(infoResult.id);
      if (id !== undefined) {
        app.selfId = id.toLowerCase();
        app.names.set(app.selfId, 'you');
      }
      form.hidden = true;
      status.textContent = client.readOnly ? 'Running read-only: another tab holds this node’s database.' : 'Running.';
      replaceChildren(
        info,
        definitionList([
          ['Node id', id === undefined ? '—' : shortId(id)],
          ['Network', str(infoResult.network) ?? settings.network],
          ['Block height', String(u32(infoResult.blockheight) ?? '—')],
        ]),
      );
      if (id !== undefined) info.querySelector('dd')?.setAttribute('title', id);
      app.announce('Your node is running.');
      app.bus.emit({ type: 'started' });
    } catch (e) {
      status.textContent = 'Not running.';
      setMessage(error, errorLine(e));
      button.disabled = false;
      form.hidden = false;
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void start();
  });
  return { start };
}
