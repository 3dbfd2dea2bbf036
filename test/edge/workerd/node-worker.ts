// A Worker that runs lightning-worker/node's createLightningNode for the span of one request (a
// Worker's sockets belong to the request that opened them): memory store, fresh seed, static
// chain, WebSocket dialer, and the WASM module the runtime gives for lightning.wasm. The request
// says which peer to connect to and, optionally, which invoice to pay once that peer has opened
// a zero-conf channel to us; the node stays up until the peer disconnects. The entry module that
// imports the .wasm file is written by the test (test/edge/workerd-node.test.ts).
import { createLightningNode, type LightningNodeClient } from '../../../src/node.js';

interface NodeRequest {
  id: string;
  url: string;
  pay?: { payment_hash: string; payment_secret: string; bolt11: string; amount_msat: number };
}

type Obj = Record<string, unknown>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function poll<T>(what: string, f: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
    const v = await f();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function pay(ln: LightningNodeClient, peer: string, p: NonNullable<NodeRequest['pay']>): Promise<Obj> {
  const channel = await poll('a channel in CHANNELD_NORMAL', async () => {
    const { channels } = (await ln.listpeerchannels({ id: peer })) as { channels: Obj[] };
    return channels.find((c) => c.state === 'CHANNELD_NORMAL');
  });
  const alias = (channel.alias as Obj).local as string;
  const route = [{ id: peer, channel: alias, amount_msat: p.amount_msat, delay: 18 }];
  const sent = await ln.sendpay({ route, payment_hash: p.payment_hash, payment_secret: p.payment_secret, bolt11: p.bolt11 });
  const done = await ln.waitsendpay({ payment_hash: p.payment_hash, timeout: 15 });
  const listed = await ln.listsendpays({ payment_hash: p.payment_hash });
  return { channel, sent, done, listed };
}

export function nodeWorker(wasm: WebAssembly.Module): { fetch(request: Request): Promise<Response> } {
  return {
    async fetch(request) {
      const req = (await request.json()) as NodeRequest;
      const ln = await createLightningNode({ network: 'regtest', wasm, zeroconfFrom: [req.id] });
      try {
        const info = await ln.getinfo();
        const connected = await ln.connect({ id: req.id, url: req.url });
        const peers = await ln.listpeers();
        const payment = req.pay ? await pay(ln, req.id, req.pay) : undefined;
        await poll('the peer to disconnect', async () => {
          const { peers } = (await ln.listpeers({ id: req.id })) as { peers: { connected: boolean }[] };
          return peers.every((p) => !p.connected) ? true : undefined;
        });
        const body = { info, connected, peers, payment };
        return new Response(JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      } catch (e) {
        return new Response(JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }), { status: 500 });
      } finally {
        await ln.close();
      }
    },
  };
}
