// HTLC benchmark between real daemons (`lightning-worker node`, dist/node/cli/main.js) on loopback
// TCP, private zero-conf channels on the static chain, JSON-RPC over each daemon's unix socket:
//   - round trip: one payment at a time, time from sendpay to waitsendpay "complete" (the whole
//     commitment dance both ways and the fulfill back), direct (payer → payee) and forwarded
//     (payer → hub → payee); invoices are made beforehand and not timed;
//   - throughput: payments per second with many in flight over one channel (lanes that each send
//     and wait in a loop; 25 lanes stay under the 30 HTLCs the payee accepts at once).
// Daemons log at info level (debug logging would be part of what is measured). Measures only.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { median, round } from '../lib/timing.mjs';

const WARMUP = 10;
const RUNS = Number(process.env.LW_BENCH_HTLC_RUNS ?? 60);
const THROUGHPUT_PAYMENTS = Number(process.env.LW_BENCH_HTLC_PAYMENTS ?? 300);
const LANES = [1, 10, 25];
const AMOUNT = 10_000_000n; // 10k sat: above the dust limits, so every HTLC is a real output

export default async function htlcSuite(ctx) {
  const lib = await loadLib(ctx.dist);
  const root = mkdtempSync(join(tmpdir(), 'lw-bench-htlc-'));
  const daemons = [];
  const start = async (name, extra = []) => {
    const d = await startDaemon(lib, join(ctx.dist, 'cli/main.js'), join(root, name), name, extra);
    daemons.push(d);
    return d;
  };
  try {
    const load = loadavg()[0];
    ctx.log('htlc: starting daemons');
    const payer = await start('payer');
    const hub = await start('hub', ['--zeroconf-from', payer.id]);
    const payee = await start('payee', ['--zeroconf-from', payer.id, '--zeroconf-from', hub.id]);
    await payer.call('connect', { id: `${hub.id}@127.0.0.1:${hub.port}` });
    await payer.call('connect', { id: `${payee.id}@127.0.0.1:${payee.port}` });
    await hub.call('connect', { id: `${payee.id}@127.0.0.1:${payee.port}` });
    const direct = await openChannel(payer, payee, 16_000_000);
    const payerHub = await openChannel(payer, hub, 4_000_000);
    const hubPayee = await openChannel(hub, payee, 4_000_000);

    const directRoute = [{ id: payee.id, channel: direct.aliasAt(payer), amount_msat: AMOUNT, delay: 18 }];
    const fee = 1000n + (AMOUNT * 10n) / 1_000_000n;
    const forwardedRoute = [
      { id: hub.id, channel: payerHub.aliasAt(payer), amount_msat: AMOUNT + fee, delay: 18 + 34 },
      { id: payee.id, channel: hubPayee.aliasAt(hub), amount_msat: AMOUNT, delay: 18 },
    ];

    ctx.log(`htlc: round trip, direct (${RUNS} runs)`);
    const roundTripDirect = await roundTrips(payer, payee, directRoute, 'rt-direct');
    ctx.log(`htlc: round trip, forwarded (${RUNS} runs)`);
    const roundTripForwarded = await roundTrips(payer, payee, forwardedRoute, 'rt-fwd');

    const throughput = {};
    for (const lanes of LANES) {
      ctx.log(`htlc: throughput, ${lanes} in flight (${THROUGHPUT_PAYMENTS} payments)`);
      throughput[`in_flight_${lanes}`] = await payMany(payer, payee, directRoute, THROUGHPUT_PAYMENTS, lanes, `tp-${lanes}`);
    }
    return {
      what: 'sendpay → waitsendpay complete between daemons on loopback TCP (zero-conf channels, static chain, file store)',
      amount_msat: Number(AMOUNT),
      round_trip_direct: roundTripDirect,
      round_trip_forwarded: roundTripForwarded,
      throughput,
      loadavg_1m_at_start: round(load),
    };
  } finally {
    await Promise.all(daemons.map((d) => d.kill()));
    rmSync(root, { recursive: true, force: true });
  }
}

/** Sequential payments: median/p90 of sendpay → waitsendpay complete, in ms. */
async function roundTrips(payer, payee, route, prefix) {
  const invoices = await makeInvoices(payee, WARMUP + RUNS, prefix);
  const ms = [];
  for (let i = 0; i < invoices.length; i++) {
    const inv = invoices[i];
    const t0 = performance.now();
    await payer.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
    const done = await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
    const dt = performance.now() - t0;
    if (done.status !== 'complete') throw new Error(`payment ${i} ended ${done.status}`);
    if (i >= WARMUP) ms.push(dt);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    runs: ms.length,
    median_ms: round(median(ms)),
    p90_ms: round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]),
    min_ms: round(sorted[0]),
    max_ms: round(sorted.at(-1)),
  };
}

/** `count` payments over `lanes` concurrent send-and-wait loops: payments per second. */
async function payMany(payer, payee, route, count, lanes, prefix) {
  const invoices = await makeInvoices(payee, count, prefix);
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < invoices.length) {
      const inv = invoices[next++];
      await payer.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
      const done = await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 120 });
      if (done.status !== 'complete') throw new Error(`payment ${inv.payment_hash} ended ${done.status}`);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  const s = (performance.now() - t0) / 1000;
  return { payments: count, seconds: round(s, 3), payments_per_s: round(count / s, 1) };
}

async function makeInvoices(payee, n, prefix) {
  const out = [];
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, (_, j) => payee.call('invoice', { amount_msat: AMOUNT, label: `${prefix}-${i + j}`, description: 'bench' }));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

async function openChannel(funder, fundee, sat) {
  const { channel_id } = await funder.call('fundchannel', { id: fundee.id, amount: sat, announce: false, mindepth: 0 });
  const aliases = new Map();
  for (const n of [funder, fundee]) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { channels } = await n.call('listpeerchannels', {});
      const c = channels.find((x) => x.channel_id === channel_id);
      if (c && c.state === 'CHANNELD_NORMAL' && c.peer_connected) {
        aliases.set(n.id, c.alias.local);
        break;
      }
      if (Date.now() > deadline) throw new Error(`${n.name}: channel ${channel_id} not ready`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { channel_id, aliasAt: (n) => aliases.get(n.id) };
}

// ---------------------------------------------------------------- daemons and JSON-RPC

async function loadLib(dist) {
  const imp = (p) => import(pathToFileURL(join(dist, p)).href);
  const [{ JsonStreamSplitter }, { parseJson, getMember }, { stringifyUnknown, tokenToValue }] = await Promise.all([
    imp('cli/json-stream.js'),
    imp('rpc/json-parse.js'),
    imp('rpc/json-write.js'),
  ]);
  return { JsonStreamSplitter, parseJson, getMember, stringifyUnknown, tokenToValue };
}

async function startDaemon(lib, main, dataDir, name, extra) {
  mkdirSync(dataDir, { recursive: true });
  const args = [main, 'node', '--data-dir', dataDir, '--network', 'regtest', '--bind', '127.0.0.1:0', '--chain', 'static', '--alias', name, '--log-level', 'info', ...extra];
  const env = { ...process.env };
  delete env.LW_CRASH_AT;
  const logFd = openSync(join(dataDir, 'daemon.log'), 'a');
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', logFd] });
  closeSync(logFd);
  const exited = new Promise((r) => child.once('exit', r));
  const ready = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (l) => {
      try {
        resolve(JSON.parse(l));
      } catch (e) {
        reject(e);
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`${name} exited before ready (${code ?? signal}); see ${dataDir}/daemon.log`)));
  });
  const rpc = rpcClient(lib, ready.rpc);
  return {
    name,
    id: ready.id,
    port: ready.bindings.find((b) => b.type === 'ipv4').port,
    call: rpc.call,
    async kill() {
      rpc.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** One socket per daemon; concurrent calls matched by id; u64 kept exact (bigint above 2^53). */
function rpcClient(lib, path) {
  const pending = new Map();
  let nextId = 1;
  const sock = netConnect(path);
  const splitter = new lib.JsonStreamSplitter();
  const opened = new Promise((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const failAll = (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  sock.on('data', (chunk) => {
    for (const text of splitter.push(chunk)) {
      const tok = lib.parseJson(text);
      const id = lib.getMember(tok, 'id');
      const p = id && pending.get(Number(id.full));
      if (!p) continue;
      pending.delete(Number(id.full));
      const err = lib.getMember(tok, 'error');
      if (err) {
        const e = lib.tokenToValue(err);
        p.reject(Object.assign(new Error(`${e.code}: ${e.message}`), { code: e.code, data: e.data }));
      } else p.resolve(lib.tokenToValue(lib.getMember(tok, 'result')));
    }
  });
  sock.on('error', failAll);
  sock.on('close', () => failAll(new Error(`rpc ${path} closed`)));
  return {
    async call(method, params) {
      await opened;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        sock.write(`{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${lib.stringifyUnknown(params)}}`);
      });
    },
    close() {
      sock.destroy();
    },
  };
}
