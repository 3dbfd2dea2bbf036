#!/usr/bin/env node
// The `lightning-worker` command: `node` (the daemon), `proxy` (the WebSocket→TCP relay), `cli`
// (a small lightning-cli), `demo` (the local network and demo page behind `npm start`).
import { nodeCommand } from './node-daemon.js';
import { proxyCommand } from './proxy.js';
import { cliCommand } from './cli-client.js';
import { errorMessage } from '../errors.js';

const USAGE = `usage: lightning-worker <command> [options]
  node    run a node (peers over TCP/WebSocket, Core Lightning JSON-RPC on DATA_DIR/lightning-rpc)
  proxy   run the WebSocket→TCP relay for browsers
  cli     call a running node: lightning-worker cli --data-dir DIR [-k] METHOD [PARAMS…]
  demo    start a local network (hub, shop, proxy) and serve the demo page
Run 'lightning-worker <command> --help' for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'node':
      return nodeCommand(rest);
    case 'proxy':
      return proxyCommand(rest);
    case 'cli':
      return cliCommand(rest);
    case 'demo': {
      const { demoCommand } = await import('./demo.js');
      return demoCommand(rest);
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`lightning-worker: unknown command ${cmd}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`lightning-worker: ${errorMessage(e)}\n`);
    process.exitCode = 1;
  },
);
