// `lightning-worker node`: the daemon. Peers over TCP and WebSocket, Core Lightning's JSON-RPC on
// the unix socket DATA_DIR/lightning-rpc (so lightning-cli and pyln-client work unchanged), the
// seed and the journal in DATA_DIR. Prints one JSON line when ready; stops on SIGINT/SIGTERM/stop.
import { join } from 'node:path';
import { createLightningNode, type CreateLightningNodeOptions } from '../node.js';
import { jsonLineLogger, type LogLevel } from '../runtime/log.js';
import { parseRequestText } from '../rpc/envelope.js';
import { stringifyJson } from '../rpc/json-write.js';
import { startRpcSocket } from './rpc-socket.js';
import { errorMessage } from '../errors.js';
import type { Network } from '../chain/types.js';
import { NETWORKS } from '../wire/chains.js';

export const NODE_USAGE = `usage: lightning-worker node --data-dir DIR [options]
  --network NET            bitcoin | testnet | testnet4 | signet | regtest (default regtest)
  --bind HOST:PORT         listen for peers over TCP (repeatable; port 0 picks one)
  --bind ws:HOST:PORT      listen for peers over WebSocket (like Core Lightning's bind-addr=ws:)
  --chain SPEC             static[:HEIGHT] | esplora:URL | bitcoind:http://user:pass@host:port
  --zeroconf-from ID       accept zero-conf channels from this peer (repeatable)
  --alias NAME
  --fee-base MSAT          forwarding fee base (default 1000)
  --fee-ppm N              forwarding fee, parts per million (default 10)
  --cltv-delta N           our cltv_expiry_delta (default 34)
  --max-concurrent-htlcs N HTLCs we accept in flight per channel (5..483, default 30)
  --log-level LEVEL        debug | info | warn | error (default info; logs go to stderr)
`;

export interface NodeArgs {
  options: CreateLightningNodeOptions & { dataDir: string };
  logLevel: LogLevel;
}

export function parseNodeArgs(argv: string[]): NodeArgs {
  const o: CreateLightningNodeOptions = { listen: { tcp: [], ws: [] }, zeroconfFrom: [] };
  let dataDir: string | undefined;
  let logLevel: LogLevel = 'info';
  const relay: { fee_base_msat?: number; fee_proportional_millionths?: number; cltv_expiry_delta?: number } = {};
  const next = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${flag} needs a value`);
    return v;
  };
  const int = (v: string, flag: string): number => {
    if (!/^\d+$/.test(v)) throw new Error(`${flag} must be a non-negative integer`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => (raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : next(i++, flag));
    switch (flag) {
      case '--data-dir':
        dataDir = value();
        break;
      case '--network': {
        const n = value();
        if (!(NETWORKS as readonly string[]).includes(n)) throw new Error(`unknown network ${n}`);
        o.network = n as Network;
        break;
      }
      case '--bind': {
        const b = value();
        if (b.startsWith('ws:')) o.listen!.ws!.push(b.slice(3));
        else o.listen!.tcp!.push(b);
        break;
      }
      case '--chain':
        o.chain = value();
        break;
      case '--zeroconf-from':
        o.zeroconfFrom!.push(value().toLowerCase());
        break;
      case '--alias':
        o.alias = value();
        break;
      case '--fee-base':
        relay.fee_base_msat = int(value(), flag);
        break;
      case '--fee-ppm':
        relay.fee_proportional_millionths = int(value(), flag);
        break;
      case '--cltv-delta':
        relay.cltv_expiry_delta = int(value(), flag);
        break;
      case '--max-concurrent-htlcs': {
        const n = int(value(), flag);
        // Below 5 peers (BOLT 2 implementations, ourselves included) refuse the channel.
        if (n < 5 || n > 483) throw new Error(`${flag} must be between 5 and 483`);
        o.channelPolicy = { ...o.channelPolicy, max_accepted_htlcs: n };
        break;
      }
      case '--log-level': {
        const l = value();
        if (!['debug', 'info', 'warn', 'error'].includes(l)) throw new Error(`unknown log level ${l}`);
        logLevel = l as LogLevel;
        break;
      }
      default:
        throw new Error(`unknown option ${raw}`);
    }
  }
  if (!dataDir) throw new Error('--data-dir is required');
  if (Object.keys(relay).length > 0) o.relayPolicy = relay;
  return { options: { ...o, dataDir }, logLevel };
}

export async function nodeCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(NODE_USAGE);
    return 0;
  }
  let args: NodeArgs;
  try {
    args = parseNodeArgs(argv);
  } catch (e) {
    process.stderr.write(`lightning-worker node: ${errorMessage(e)}\n${NODE_USAGE}`);
    return 2;
  }
  const log = jsonLineLogger((l) => process.stderr.write(l), args.logLevel);
  let stopped!: () => void;
  const done = new Promise<void>((r) => (stopped = r));
  const client = await createLightningNode({
    ...args.options,
    log,
    ...(process.env.LW_CRASH_AT ? { crashAt: process.env.LW_CRASH_AT } : {}),
    // DEV-ONLY: every failure onion this node originates is corrupted (tests of 202 "Malformed error reply").
    ...(process.env.LW_DEV_GARBLE_FAILURES === '1' ? { dev: { garbleFailures: true } } : {}),
    onStop: () => stopped(),
  });
  const rpcPath = join(args.options.dataDir, 'lightning-rpc');
  const socket = await startRpcSocket(rpcPath, async (text, conn) => {
    // lightning-cli first enables notifications and expects a short `{"result":{}}` reply.
    const env = parseRequestText(text);
    if (env.ok && env.request.method === 'notifications') {
      conn.notificationsEnabled = true;
      return `{"jsonrpc":"2.0","id":${env.request.id === null ? 'null' : env.request.id.full},"result":{}}`;
    }
    return client.node.rpcText(text);
  });
  const unsubscribe = client.subscribe((e) => {
    if (e.type === 'sendpay_success' || e.type === 'sendpay_failure') {
      const params = e.type === 'sendpay_success' ? { sendpay_success: e.payment } : { sendpay_failure: e.error };
      socket.broadcast(stringifyJson({ jsonrpc: '2.0', method: e.type, params: params as never }));
    }
  });
  process.stdout.write(
    JSON.stringify({ event: 'ready', id: client.id, rpc: rpcPath, bindings: client.bindings.map((b) => ({ type: b.type, address: b.address, port: b.port })) }) + '\n',
  );
  const shutdown = () => void client.node.stop('signal');
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await done;
  unsubscribe();
  await socket.close();
  await client.close();
  process.stdout.write(JSON.stringify({ event: 'stopped' }) + '\n');
  return 0;
}
