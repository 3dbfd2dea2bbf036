// `close` on a channel still being opened (Core Lightning's "unopened"): nothing was persisted,
// so the attempt is dropped, the peer gets an `error` for its temporary_channel_id, and the
// fundchannel waiting on it fails. Persisted channels of the same peer are not touched.
import { describe, expect, it } from 'vitest';
import { ChannelManager } from '../../../src/runtime/channels.js';
import type { PeerManager } from '../../../src/peer/index.js';
import { deriveNodeSecrets } from '../../../src/runtime/secrets.js';
import { initFeatures } from '../../../src/runtime/features.js';
import { EventHub } from '../../../src/runtime/events.js';
import { silentLogger } from '../../../src/runtime/log.js';
import { NODE_SCHEMA } from '../../../src/runtime/schema.js';
import { openMemoryStore } from '../../../src/store/memory.js';
import { StaticChain } from '../../../src/chain/static.js';
import { chainHash } from '../../../src/wire/chains.js';
import type { WireMessage } from '../../../src/wire/messages.js';
import { CHANNELS_TABLE } from '../../../src/channel/state/index.js';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import { fromUtf8, toHex } from '../../../src/util/bytes.js';

describe('discarding an unopened channel', () => {
  it('drops the attempt, sends error for its temporary id, fails the waiting fundchannel', async () => {
    const store = await openMemoryStore({ name: 'unopened', schema: NODE_SCHEMA });
    const peer = deriveNodeSecrets(sha256(Uint8Array.of(2))).nodeId;
    const sent: WireMessage[] = [];
    const peers = {
      send: async (_id: string, m: WireMessage) => void sent.push(m),
      disconnect: () => undefined,
      get: () => ({ info: () => ({ connected: true, features: toHex(initFeatures()) }) }),
    } as unknown as PeerManager;
    const fatal: unknown[] = [];
    const mgr = new ChannelManager({
      store,
      secrets: deriveNodeSecrets(sha256(Uint8Array.of(1))),
      chainHash: chainHash('regtest'),
      chain: new StaticChain(),
      peers,
      localFeatures: initFeatures(),
      isTrusted: () => true,
      log: silentLogger,
      events: new EventHub(() => undefined),
      fatal: (e) => fatal.push(e),
    });
    await mgr.load();

    const funding = mgr.fundChannel({ peerId: peer, fundingSat: 500_000n, zeroconf: true });
    const outcome = funding.then(
      () => 'funded',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    await new Promise<void>((r) => setImmediate(r));
    const open = sent.find((m) => m.type === 'open_channel');
    if (!open || open.type !== 'open_channel') throw new Error('no open_channel sent');
    expect(mgr.ofPeer(peer)).toHaveLength(1);

    await mgr.discardUnopened(peer, 'close command called');
    expect(await outcome).toBe('close command called');
    expect(mgr.ofPeer(peer)).toEqual([]);
    await new Promise<void>((r) => setImmediate(r));
    const err = sent.find((m) => m.type === 'error');
    if (!err || err.type !== 'error') throw new Error('no error sent');
    expect(toHex(err.channel_id)).toBe(toHex(open.temporary_channel_id));
    expect(fromUtf8(err.data, false)).toBe('close command called');
    expect(await store.query(CHANNELS_TABLE.name)).toEqual([]);
    expect(fatal).toEqual([]);
  });
});
