// What the panels share: the running client (once started), the names of known nodes, the event
// bus and the page's announcer (a polite live region for things that happen without a click).
import type { Network } from '../src/wire/chains.js';
import type { LightningClient } from '../src/worker/types.js';
import { Bus } from './bus.js';
import type { DemoConfig } from './config.js';

export interface App {
  readonly bus: Bus;
  /** Node id → name ("hub", "shop", "you") for labels. */
  readonly names: Map<string, string>;
  config?: DemoConfig;
  client?: LightningClient;
  selfId?: string;
  /** The chain the running node is on: invoices for another chain cannot be paid. */
  network?: Network;
  announce(text: string): void;
}

export function createApp(announcer: HTMLElement): App {
  return {
    bus: new Bus(),
    names: new Map(),
    announce(text: string): void {
      // Clearing first makes a repeated message be announced again.
      announcer.textContent = '';
      window.setTimeout(() => {
        announcer.textContent = text;
      }, 50);
    },
  };
}

/** The client, or an error a panel can show when something is used before the node runs. */
export function clientOf(app: App): LightningClient {
  if (app.client === undefined) throw new Error('The node is not running yet: start it first (section 1).');
  return app.client;
}
