// Two of the runtime's real ChannelManagers (memory stores, the real BOLT 2 machine) wired to each
// other the way the node's peer dispatch routes input (error → onRemoteError, the rest →
// onMessage), each on its own chain source. Deliveries run in order, one at a time, and can be
// held back or changed in flight. Tests call onBlock themselves after mining.
import { ChannelManager } from '../../../src/runtime/channels.js';
import type { PeerManager } from '../../../src/peer/index.js';
import { deriveNodeSecrets, type NodeSecrets } from '../../../src/runtime/secrets.js';
import { initFeatures } from '../../../src/runtime/features.js';
import { EventHub } from '../../../src/runtime/events.js';
import type { Logger, LogLevel } from '../../../src/runtime/log.js';
import { NODE_SCHEMA } from '../../../src/runtime/schema.js';
import { openMemoryStore } from '../../../src/store/memory.js';
import type { Store } from '../../../src/store/types.js';
import type { ChainSource, TxOutput, TxStatus } from '../../../src/chain/types.js';
import { chainHash } from '../../../src/wire/chains.js';
import type { WireMessage } from '../../../src/wire/messages.js';
import type { NodeEvent } from '../../../src/runtime/types.js';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import { fromUtf8, toHex } from '../../../src/util/bytes.js';

export interface LogEntry {
  level: LogLevel;
  message: string;
  fields: Record<string, unknown>;
}

/** A chain source that counts what is asked of it and passes everything on. */
export class CountingChain implements ChainSource {
  readonly statusAsked: string[] = [];
  readonly broadcasts: string[] = [];

  constructor(readonly inner: ChainSource) {}

  get kind(): ChainSource['kind'] {
    return this.inner.kind;
  }
  get network(): ChainSource['network'] {
    return this.inner.network;
  }
  get wallet(): ChainSource['wallet'] {
    return this.inner.wallet;
  }
  tipHeight(): Promise<number> {
    return this.inner.tipHeight();
  }
  onBlock(listener: (height: number) => void): () => void {
    return this.inner.onBlock(listener);
  }
  txStatus(txid: string, outputIndex?: number): Promise<TxStatus> {
    this.statusAsked.push(txid);
    return this.inner.txStatus(txid, outputIndex);
  }
  txOutput(txid: string, vout: number): Promise<TxOutput | null> {
    return this.inner.txOutput(txid, vout);
  }
  feeratePerKw(targetBlocks: number): Promise<number | null> {
    return this.inner.feeratePerKw(targetBlocks);
  }
  broadcast(txHex: string): Promise<string> {
    this.broadcasts.push(txHex);
    return this.inner.broadcast(txHex);
  }
  close(): void {
    this.inner.close();
  }
}

export class Side {
  mgr!: ChannelManager;
  store!: Store;
  readonly secrets: NodeSecrets;
  readonly sent: WireMessage[] = [];
  readonly logs: LogEntry[] = [];
  readonly events: NodeEvent[] = [];
  readonly fatal: unknown[] = [];

  constructor(
    readonly name: string,
    seed: number,
    readonly chain: CountingChain,
  ) {
    this.secrets = deriveNodeSecrets(sha256(Uint8Array.of(seed, 0x3c)));
  }

  get id(): string {
    return this.secrets.nodeId;
  }

  readonly log: Logger = { log: (level, message, fields = {}) => void this.logs.push({ level, message, fields }) };
}

export class Pair {
  readonly a: Side;
  readonly b: Side;
  /** Return false to hold a message back (it is dropped), or a replacement to deliver instead. */
  filter: ((to: Side, m: WireMessage) => WireMessage | false) | undefined;
  readonly handlerErrors: unknown[] = [];
  private tail: Promise<void> = Promise.resolve();
  private inFlight = 0;

  /** `trusted`: each side accepts the other's zero-conf channels (minimum_depth 0). */
  constructor(
    chainA: ChainSource,
    chainB: ChainSource,
    private readonly trusted = true,
  ) {
    this.a = new Side('A', 1, new CountingChain(chainA));
    this.b = new Side('B', 2, new CountingChain(chainB));
  }

  other(s: Side): Side {
    return s === this.a ? this.b : this.a;
  }

  async start(): Promise<void> {
    for (const s of [this.a, this.b]) {
      s.store = await openMemoryStore({ name: `pair-${s.name}-${Math.random()}`, schema: NODE_SCHEMA });
      await this.restart(s);
    }
  }

  /** A new manager on the side's store (a node restart), loaded. */
  async restart(s: Side): Promise<void> {
    s.mgr?.stop();
    const peers = {
      send: async (_peerId: string, m: WireMessage) => {
        s.sent.push(m);
        this.deliver(this.other(s), s.id, m);
      },
      disconnect: () => undefined,
      get: () => ({ info: () => ({ connected: true, features: toHex(initFeatures()) }) }),
    } as unknown as PeerManager;
    const events = new EventHub(() => undefined);
    events.subscribe((e) => void s.events.push(e));
    s.mgr = new ChannelManager({
      store: s.store,
      secrets: s.secrets,
      chainHash: chainHash('regtest'),
      chain: s.chain,
      peers,
      localFeatures: initFeatures(),
      isTrusted: () => this.trusted,
      log: s.log,
      events,
      fatal: (e) => void s.fatal.push(e),
    });
    await s.mgr.load();
  }

  private deliver(to: Side, fromId: string, original: WireMessage): void {
    this.inFlight++;
    this.tail = this.tail.then(async () => {
      try {
        const m = this.filter ? this.filter(to, original) : original;
        if (m === false) return;
        if (m.type === 'error') {
          await to.mgr.onRemoteError(fromId, { channelId: m.channel_id, data: m.data, text: fromUtf8(m.data, false), allChannels: m.channel_id.every((x) => x === 0) });
        } else if (m.type !== 'warning') {
          await to.mgr.onMessage(fromId, m);
        }
      } catch (e) {
        this.handlerErrors.push(e);
      } finally {
        this.inFlight--;
      }
    });
  }

  /** Both sides see a new block (what the node's chain subscription does). */
  async block(height: number): Promise<void> {
    await this.a.mgr.onBlock(height);
    await this.b.mgr.onBlock(height);
    await this.idle();
  }

  /** Waits until no message is in flight and queued microtasks ran. */
  async idle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      await new Promise<void>((r) => setImmediate(r));
      await this.tail;
      quiet = this.inFlight === 0 ? quiet + 1 : 0;
    }
  }
}

/** Polls `f` until true; fails after `ms`. */
export async function waitFor(what: string, f: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
