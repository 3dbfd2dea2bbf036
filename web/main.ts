// The demo page: a Lightning node in this tab's Web Worker, driven through Core Lightning's
// payment API. Loads the demo server's config when there is one (and then starts by itself),
// mounts the five sections and lets the event bus connect them.
import { createApp } from './app.js';
import { loadDemoConfig } from './config.js';
import { byId, setMessage } from './dom.js';
import { errorLine } from './rpc-views.js';
import { mountChannelsPanel } from './panels/channels-panel.js';
import { mountConnectPanel } from './panels/connect-panel.js';
import { mountNodePanel } from './panels/node-panel.js';
import { mountPayPanel } from './panels/pay-panel.js';
import { mountPaymentsPanel } from './panels/payments-panel.js';
import { mountShopPanel } from './panels/shop-panel.js';

async function main(): Promise<void> {
  const app = createApp(byId('announcer', HTMLElement));
  try {
    const config = await loadDemoConfig();
    if (config !== undefined) {
      app.config = config;
      if (config.hub !== undefined) app.names.set(config.hub.id, 'hub');
    }
  } catch (e) {
    setMessage(byId('node-error', HTMLElement), `The demo config is invalid: ${errorLine(e)}`);
  }
  const node = mountNodePanel(app);
  mountConnectPanel(app);
  mountChannelsPanel(app);
  mountShopPanel(app);
  mountPayPanel(app);
  mountPaymentsPanel(app);
  document.body.dataset.ready = 'true';
  if (app.config !== undefined) await node.start();
  else byId('node-form', HTMLFormElement).hidden = false;
}

void main();
