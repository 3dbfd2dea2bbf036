// The daemon's JSON-RPC socket as Core Lightning's clients use it. Core Lightning's lightning-cli
// and pyln-client are not installed here, so their framing is reproduced byte for byte over a raw
// unix-socket connection (lightningd/lightning-cli.c, contrib/pyln-client):
//   - lightning-cli first writes {"jsonrpc":"2.0","method":"notifications","id":"cli:notifications#PID",
//     "params":{"enable":true}} and reads the reply into a 100-byte buffer until it ends in "\n\n",
//     then sends one request (string id, positional params, or named ones with -k);
//   - pyln-client uses numeric ids and splits the stream at "\n\n" before decoding each object.
// Then the methods of the Foundation issue (connect, listpeers, disconnect, stop) with Core
// Lightning's parameters, shapes, codes and messages; u64 values beyond 2^53 through the socket;
// and our own `lightning-worker cli` command.
import { spawn } from 'node:child_process';
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/shared.js';
import { CLI_MAIN, Daemon, assertBuilt, killAll, removeTempRoot } from './support/daemon.js';
import { channels, connect, invoice, openChannel, until } from './support/lightning.js';
import type { JsonObject } from './support/rpc-client.js';

/** One raw connection to the daemon's socket; frames are what the daemon wrote, "\n\n" included. */
class RawSocket {
  private buf = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  closed = false;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiting?.();
    });
    sock.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }

  static open(path: string): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const s = netConnect(path);
      s.once('connect', () => resolve(new RawSocket(s)));
      s.once('error', reject);
    });
  }

  write(text: string): void {
    this.sock.write(text);
  }

  /** Everything received so far. */
  get received(): string {
    return this.buf.toString('utf8');
  }

  /** Waits until `done(bytes)` holds (or the daemon hangs up). */
  async until(done: (b: Buffer) => boolean, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!done(this.buf)) {
      if (this.closed) throw new Error(`socket closed; received ${JSON.stringify(this.received)}`);
      if (Date.now() > end) throw new Error(`timed out; received ${JSON.stringify(this.received)}`);
      await new Promise<void>((r) => {
        this.waiting = r;
        setTimeout(r, 200);
      });
      this.waiting = undefined;
    }
  }

  /** pyln-client's reading: the next object up to its "\n\n" (removed from the buffer). */
  async nextFrame(): Promise<string> {
    await this.until((b) => b.includes('\n\n'));
    const at = this.buf.indexOf('\n\n');
    const frame = this.buf.subarray(0, at + 2).toString('utf8');
    this.buf = this.buf.subarray(at + 2);
    return frame;
  }

  close(): void {
    this.sock.destroy();
  }
}

/** The frame without its "\n\n", parsed (for frames without u64 beyond 2^53). */
const body = (frame: string): JsonObject => {
  expect(frame.endsWith('\n\n')).toBe(true);
  return JSON.parse(frame.slice(0, -2)) as JsonObject;
};

/** lightning-cli's exchange: enable notifications, then one request; returns the reply frame. */
async function lightningCli(d: Daemon, method: string, params: string): Promise<{ enableReply: string; reply: string }> {
  const s = await RawSocket.open(d.ready.rpc);
  try {
    s.write(`{"jsonrpc":"2.0","method":"notifications","id":"cli:notifications#${process.pid}","params":{"enable":true}}`);
    // rbuf[100], zeroed, filled until strends(rbuf, "\n\n"): the reply must fit with its NUL.
    await s.until((b) => b.length >= 100 || b.toString('utf8').endsWith('\n\n'));
    const enableReply = s.received;
    expect(Buffer.byteLength(enableReply)).toBeLessThan(100);
    await s.nextFrame();
    s.write(`{"jsonrpc":"2.0","method":"${method}","id":"cli:${method}#${process.pid}","params":${params}}`);
    return { enableReply, reply: await s.nextFrame() };
  } finally {
    s.close();
  }
}

/** `lightning-worker cli …` as a child process: exit code and stdout. */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_MAIN, 'cli', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

async function rpcError(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: number; message: string };
  }
  throw new Error('the call succeeded');
}

let x: Daemon;
let y: Daemon;

beforeAll(async () => {
  assertBuilt();
  x = await Daemon.start({ name: 'X' });
  y = await Daemon.start({ name: 'Y', zeroconfFrom: [x.id] });
});

afterAll(async () => {
  await killAll();
  removeTempRoot();
});

describe("lightning-cli's framing", () => {
  it('notifications: a reply under 100 bytes ending in a blank line, then a positional request answered with the same string id', async () => {
    const { enableReply, reply } = await lightningCli(x, 'getinfo', '[]');
    expect(enableReply).toBe(`{"jsonrpc":"2.0","id":"cli:notifications#${process.pid}","result":{}}\n\n`);
    const r = body(reply);
    expect(r).toMatchObject({ jsonrpc: '2.0', id: `cli:getinfo#${process.pid}` });
    expect((r.result as JsonObject).id).toBe(x.id);
  });

  it('-k: named params', async () => {
    const { reply } = await lightningCli(x, 'invoice', '{"amount_msat":1000,"label":"cli-k","description":"named"}');
    const r = body(reply);
    expect(r.id).toBe(`cli:invoice#${process.pid}`);
    expect((r.result as JsonObject).bolt11).toMatch(/^lnbcrt10n1/);
  });

  it('an error comes back as a CLN error object, framed the same way', async () => {
    const { reply } = await lightningCli(x, 'nosuchmethod', '[]');
    expect(body(reply)).toEqual({ jsonrpc: '2.0', id: `cli:nosuchmethod#${process.pid}`, error: { code: -32601, message: "Unknown command 'nosuchmethod'" } });
  });
});

describe("pyln-client's framing", () => {
  it('numeric and string ids echo back; every response ends in "\\n\\n"; pipelined and split requests', async () => {
    const s = await RawSocket.open(x.ready.rpc);
    try {
      // Enabling notifications with id 0, as pyln does.
      s.write('{"jsonrpc":"2.0","method":"notifications","id":0,"params":{"enable":true}}');
      expect(await s.nextFrame()).toBe('{"jsonrpc":"2.0","id":0,"result":{}}\n\n');
      // Three requests in one write, one split across two writes mid-token.
      s.write('{"jsonrpc":"2.0","method":"getinfo","id":7,"params":{}}{"jsonrpc":"2.0","method":"getinfo","id":"pyln:getinfo#8","params":[]}');
      s.write('{"jsonrpc":"2.0","method":"getinfo","id":123456789012345678901');
      await new Promise((r) => setTimeout(r, 50));
      s.write('234,"params":{}}');
      const frames = [await s.nextFrame(), await s.nextFrame(), await s.nextFrame()];
      for (const f of frames) expect(f.endsWith('}\n\n')).toBe(true);
      // The id token exactly as sent (a number beyond 2^64 included, never rounded).
      const ids = frames.map((f) => /^\{"jsonrpc":"2.0","id":([^,]+),"result":/.exec(f)?.[1]).sort();
      expect(ids).toEqual(['"pyln:getinfo#8"', '123456789012345678901234', '7'].sort());
      expect(s.received).toBe('');
    } finally {
      s.close();
    }
  });
});

describe('connect, listpeers, disconnect', () => {
  it("connect's parameter forms and Core Lightning's refusals", async () => {
    // The host given twice, the port given twice, a port without a host.
    expect(await rpcError(x.call('connect', [`${y.id}@127.0.0.1:${y.port}`, '127.0.0.1']))).toMatchObject({
      code: -32602,
      message: "Can't specify host as both xxx@yyy and separate argument",
    });
    expect(await rpcError(x.call('connect', { id: `${y.id}@127.0.0.1:${y.port}`, port: y.port }))).toMatchObject({
      code: -32602,
      message: "Can't specify port as both xxx@yyy:port and separate argument",
    });
    expect(await rpcError(x.call('connect', { id: y.id, port: y.port }))).toMatchObject({ code: -32602, message: "Can't specify port without host" });
    expect(await rpcError(x.call('connect', [y.id]))).toMatchObject({ code: 400, message: 'Unable to connect, no address known for peer' });
    expect(await rpcError(x.call('connect', ['02zz', '127.0.0.1', y.port]))).toMatchObject({ code: -32602, message: `id: should be a node id: invalid token '"02zz"'` });
    expect(await rpcError(x.call('connect', [y.id, '127.0.0.1', 0]))).toMatchObject({ code: -32602, message: "port: should be non-zero: invalid token '0'" });

    // Positional [id, host, port].
    const r = await x.call('connect', [y.id, '127.0.0.1', y.port]);
    expect(r).toEqual({ id: y.id, features: expect.stringMatching(/^[0-9a-f]+$/), direction: 'out', address: { type: 'ipv4', address: '127.0.0.1', port: y.port } });
    // id@host:port while connected: the live connection (lightningd answers at once).
    expect(await x.call('connect', [`${y.id}@127.0.0.1:${y.port}`])).toEqual(r);
    // id@host with a separate port is one address, not a conflict.
    expect(await x.call('connect', { id: `${y.id}@127.0.0.1`, port: y.port })).toEqual(r);
  });

  it('listpeers has the same shape on both sides, each seeing the other', async () => {
    await until('Y sees X', async () => ((await y.call<{ peers: JsonObject[] }>('listpeers')).peers.length === 1 ? true : undefined));
    const fromX = (await x.call<{ peers: JsonObject[] }>('listpeers')).peers;
    const fromY = (await y.call<{ peers: JsonObject[] }>('listpeers')).peers;
    expect(fromX).toEqual([{ id: y.id, connected: true, num_channels: 0, netaddr: [`127.0.0.1:${y.port}`], features: expect.stringMatching(/^[0-9a-f]+$/) }]);
    expect(fromY).toEqual([{ id: x.id, connected: true, num_channels: 0, netaddr: [expect.stringMatching(/^127\.0\.0\.1:\d+$/)], features: fromX[0]!.features }]);
    // Filtered by id, and the positional form.
    expect((await x.call<{ peers: JsonObject[] }>('listpeers', [y.id])).peers).toEqual(fromX);
    expect((await x.call<{ peers: JsonObject[] }>('listpeers', { id: x.id })).peers).toEqual([]);
  });

  it('disconnect: an unknown peer and a peer not connected get lightningd\'s code and message', async () => {
    expect(await rpcError(x.call('disconnect', ['nonsense']))).toMatchObject({ code: -32602, message: `id: invalid peer id: invalid token '"nonsense"'` });
    // The generator point: a valid node id we never met.
    const stranger = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
    expect(await rpcError(x.call('disconnect', { id: stranger }))).toMatchObject({ code: -32602, message: `Unknown peer '${stranger}'` });
    // Y, connected and channel-less: disconnected, and then unknown (lightningd forgets it).
    expect(await x.call('disconnect', [y.id])).toEqual({});
    await until('X no longer lists Y', async () => ((await x.call<{ peers: JsonObject[] }>('listpeers')).peers.length === 0 ? true : undefined));
    expect(await rpcError(x.call('disconnect', [y.id]))).toMatchObject({ code: -32602, message: `Unknown peer '${y.id}'` });
  });
});

describe('u64 values beyond 2^53 through the socket', () => {
  it('a groupid of 2^60+1 goes in through sendpay and comes back exactly from listsendpays', async () => {
    const groupid = '1152921504606846977'; // 2^60 + 1: a double would read 1152921504606846976
    const inv = await invoice(x, 5000n, 'big-groupid');
    const s = await RawSocket.open(x.ready.rpc);
    try {
      // An empty route pays our own invoice (CLN's self-payment).
      s.write(
        `{"jsonrpc":"2.0","id":1,"method":"sendpay","params":{"route":[],"payment_hash":"${inv.payment_hash}","payment_secret":"${inv.payment_secret}","amount_msat":5000,"groupid":${groupid}}}`,
      );
      const sent = await s.nextFrame();
      expect(sent).toMatch(new RegExp(`"groupid":${groupid}[,}]`));
      s.write(`{"jsonrpc":"2.0","id":2,"method":"listsendpays","params":{"payment_hash":"${inv.payment_hash}"}}`);
      const listed = await s.nextFrame();
      expect(listed).toMatch(new RegExp(`"groupid":${groupid}[,}]`));
      expect(listed).toContain('"status":"complete"');
    } finally {
      s.close();
    }
  });
});

describe('lightning-worker cli', () => {
  it('positional params, and -k for named ones', async () => {
    const info = await cli(['--data-dir', x.dataDir, 'getinfo']);
    expect(info.code, info.err).toBe(0);
    expect((JSON.parse(info.out) as JsonObject).id).toBe(x.id);

    const pos = await cli(['--data-dir', x.dataDir, 'connect', y.id, '127.0.0.1', String(y.port)]);
    expect(pos.code, pos.err).toBe(0);
    expect(JSON.parse(pos.out)).toMatchObject({ id: y.id, direction: 'out', address: { type: 'ipv4', address: '127.0.0.1', port: y.port } });

    const named = await cli(['--data-dir', x.dataDir, '-k', 'listpeers', `id=${y.id}`]);
    expect(named.code, named.err).toBe(0);
    expect((JSON.parse(named.out) as { peers: JsonObject[] }).peers).toMatchObject([{ id: y.id, connected: true }]);

    const inv = await cli(['--data-dir', x.dataDir, '-k', 'invoice', 'amount_msat=2000', 'label=from-cli', 'description=made by the cli']);
    expect(inv.code, inv.err).toBe(0);
    expect((JSON.parse(inv.out) as JsonObject).bolt11).toMatch(/^lnbcrt20n1/);
  });
});

describe('stop', () => {
  it('a peer that went away is "not connected" while we have a channel with it; stop answers, then the process exits 0', async () => {
    await connect(x, y);
    const ch = await openChannel(x, y, 500_000);
    const s = await RawSocket.open(y.ready.rpc);
    s.write('{"jsonrpc":"2.0","id":"stop-1","method":"stop","params":[]}');
    expect(body(await s.nextFrame())).toEqual({ jsonrpc: '2.0', id: 'stop-1', result: 'Shutdown complete' });
    const exit = await y.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    await s.until(() => s.closed);
    s.close();

    await until('X sees Y gone', async () => ((await channels(x, y))[0]?.peer_connected === false ? true : undefined));
    expect((await x.call<{ peers: JsonObject[] }>('listpeers')).peers).toEqual([{ id: y.id, connected: false, num_channels: 1 }]);
    expect(await rpcError(x.call('disconnect', { id: y.id }))).toMatchObject({ code: -1, message: 'Peer not connected' });
    expect((await channels(x, y))[0]!.channel_id).toBe(ch.channel_id);
  });
});
