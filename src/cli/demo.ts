// `lightning-worker demo` (what `npm start` runs): an embedded local network on loopback — two of
// our nodes, "hub" and "shop", on a static regtest chain, with a zero-conf channel hub → shop —
// plus our WebSocket proxy, and the demo page. When a browser's Worker connects to the hub, the
// hub opens a zero-conf channel to it with a push amount, so the page can pay at once.
//
// Start-up is a list of steps, each registering how to undo itself: a failure at any step (the
// port is taken, the page is not built) closes what already runs and exits 1 with one clear line,
// never a stack trace. The first Ctrl-C stops cleanly (after the step in progress); a second one
// exits at once.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createLightningNode, type LightningNodeClient } from '../node.js';
import { startProxyServer } from '../proxy/node.js';
import { parseTargetArg } from '../proxy/env-config.js';
import { jsonLineLogger } from '../runtime/log.js';
import { LightningError, errorMessage } from '../errors.js';
import type { RpcObject } from '../runtime/types.js';
import { DEMO_USAGE, DemoUsageError, parseDemoArgs, type DemoArgs } from './demo-args.js';
import { DemoListenError, createDemoHttpServer, listenDemo } from './demo-http.js';
import { openChannelsToPages } from './demo-hub.js';

export const DEMO_HEIGHT = 800_000;
const HUB_TO_SHOP_SAT = 5_000_000;
const HUB_TO_PAGE_SAT = 2_000_000;
const PUSH_TO_PAGE_MSAT = 1_000_000_000n;

class DemoStartError extends LightningError {}
/** Ctrl-C arrived while starting: not a failure, the person changed their mind. */
class StopRequested extends Error {}

const out = (line: string): void => void process.stdout.write(line);
const err = (line: string): void => void process.stderr.write(line);

/** Resolves on the first SIGINT/SIGTERM; a second one ends the process at once. */
function stopSignals(): { stopped: Promise<void>; requested(): boolean; dispose(): void } {
  let requested = false;
  let resolve!: () => void;
  const stopped = new Promise<void>((r) => (resolve = r));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (requested) {
      err(`\n  ${signal} again: exiting without a clean stop.\n`);
      process.exit(130);
    }
    requested = true;
    err('\n  Stopping the demo (press Ctrl-C again to exit at once)…\n');
    resolve();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped,
    requested: () => requested,
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

async function assertPageBuilt(webDir: string): Promise<void> {
  try {
    await stat(join(webDir, 'index.html'));
  } catch {
    throw new DemoStartError('NO_PAGE', `the demo page is not built in ${webDir}: run \`npx vite build --mode demo\` (npm start does), or pass --web-dir`);
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function run(args: DemoArgs, signals: ReturnType<typeof stopSignals>, undo: (() => Promise<void>)[]): Promise<void> {
  const step = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    if (signals.requested()) throw new StopRequested();
    try {
      return await f();
    } catch (e) {
      // A listen error already says what to do; anything else gets the step it happened in.
      if (e instanceof DemoListenError || e instanceof DemoStartError) throw e;
      throw new DemoStartError('START', `${what}: ${errorMessage(e)}`);
    }
  };

  await assertPageBuilt(args.webDir);
  // The page server first: a port in use is the likeliest failure, and it needs no network.
  const http = createDemoHttpServer(args.webDir);
  undo.push(() => http.close());
  const port = await step('listening for the page', () => listenDemo(http.server, args.port, args.host));

  const log = jsonLineLogger(err, process.env.LW_DEMO_LOG === 'debug' ? 'debug' : 'warn');
  const chain = `static:${DEMO_HEIGHT}`;
  const hub = await step('starting the hub', () => createLightningNode({ alias: 'hub', chain, log, listen: { tcp: ['127.0.0.1:0'], ws: ['127.0.0.1:0'] } }));
  undo.push(() => hub.close());
  const shop: LightningNodeClient = await step('starting the shop', () =>
    createLightningNode({ alias: 'shop', chain, log, zeroconfFrom: [hub.id], listen: { tcp: ['127.0.0.1:0'] } }),
  );
  undo.push(() => shop.close());
  const hubTcp = hub.bindings.find((b) => b.type === 'ipv4')!;
  const hubWs = hub.bindings.find((b) => b.type === 'websocket')!;
  const shopTcp = shop.bindings[0]!;

  await step('connecting the hub to the shop', () => hub.connect(`${shop.id}@127.0.0.1:${shopTcp.port}`));
  await step('opening the hub → shop channel', () => hub.fundchannel({ id: shop.id, amount: HUB_TO_SHOP_SAT, mindepth: 0, announce: false }));

  const pages = openChannelsToPages(hub, { exclude: [shop.id], amountSat: HUB_TO_PAGE_SAT, pushMsat: PUSH_TO_PAGE_MSAT, warn: (line) => err(`${line}\n`) });
  undo.push(() => Promise.resolve(pages.stop()));

  const proxy = await step('starting the proxy', () =>
    startProxyServer({ host: '127.0.0.1', port: 0, allow: [parseTargetArg('--allow', `127.0.0.1:${hubTcp.port}`)], allowLoopback: true }),
  );
  undo.push(() => proxy.close());

  let invoiceCounter = 0;
  const config = {
    network: 'regtest',
    chain: { static: DEMO_HEIGHT },
    hub: { id: hub.id, ws_url: `ws://127.0.0.1:${hubWs.port}`, tcp: `127.0.0.1:${hubTcp.port}` },
    shop: { id: shop.id },
    proxy: { url: `ws://127.0.0.1:${proxy.port}` },
  };
  http.setNetwork({
    config,
    shopInvoice: async (amount_msat, description) => {
      const inv = (await shop.invoice({ amount_msat, label: `demo-${Date.now()}-${++invoiceCounter}`, description })) as RpcObject;
      return { bolt11: inv.bolt11, payment_hash: inv.payment_hash };
    },
    pageChannel: (peer) => pages.status(peer),
  });

  const pageUrl = `http://${urlHost(args.host)}:${port}/`;
  out(JSON.stringify({ event: 'demo-ready', url: pageUrl, hub: config.hub, shop: config.shop, proxy: config.proxy }) + '\n');
  err(`\n  Demo running: open ${pageUrl}\n  (Ctrl-C stops the hub, the shop, the proxy and the page server.)\n\n`);
  await signals.stopped;
}

/** Runs the undo steps newest first; every one runs even if an earlier one fails. */
async function undoAll(undo: (() => Promise<void>)[]): Promise<string[]> {
  const failures: string[] = [];
  for (const u of undo.reverse()) {
    try {
      await u();
    } catch (e) {
      failures.push(errorMessage(e));
    }
  }
  return failures;
}

export async function demoCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(DEMO_USAGE);
    return 0;
  }
  let args: DemoArgs;
  try {
    args = parseDemoArgs(argv);
  } catch (e) {
    if (!(e instanceof DemoUsageError)) throw e;
    err(`lightning-worker demo: ${e.message}\n${DEMO_USAGE}`);
    return 2;
  }
  const signals = stopSignals();
  const undo: (() => Promise<void>)[] = [];
  let code = 0;
  try {
    await run(args, signals, undo);
  } catch (e) {
    if (!(e instanceof StopRequested)) {
      err(`lightning-worker demo: ${errorMessage(e)}\n`);
      code = 1;
    }
  }
  const failures = await undoAll(undo);
  signals.dispose();
  if (failures.length > 0) {
    err(`lightning-worker demo: stopping failed: ${failures.join('; ')}\n`);
    return 1;
  }
  if (code === 0) out(JSON.stringify({ event: 'stopped' }) + '\n');
  return code;
}
