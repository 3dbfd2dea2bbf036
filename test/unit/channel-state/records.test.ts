// Records and keys: the table definitions, the write operations, restore() rejecting corrupt
// records, deterministic per-channel keys, and no secret ever reaching a record, event or error.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate, sha256 } from '../../../src/crypto/secp256k1.js';
import {
  CHANNEL_TABLES,
  CHANNELS_TABLE,
  ChannelSigner,
  ChannelStateError,
  HTLCS_TABLE,
  addHtlc,
  channelKeysFromSeed,
  fulfillHtlc,
  channelWriteOps,
  forceClose,
  restoreChannel,
} from '../../../src/channel/state/index.js';
import { ONION, add, canon, openLink, preimageOf } from './harness.js';

describe('tables and writes', () => {
  it('defines IndexedDB-friendly tables', () => {
    expect(CHANNEL_TABLES).toEqual([CHANNELS_TABLE, HTLCS_TABLE]);
    expect(CHANNELS_TABLE).toEqual({ name: 'channels', keyPath: 'channel_id', indexes: [{ name: 'peer_id', keyPath: 'peer_id' }] });
    expect(HTLCS_TABLE.keyPath).toEqual(['channel_id', 'offerer', 'id']);
    const link = openLink();
    add(link, link.a, 5_000_000n, 'k');
    link.commit(link.a);
    link.deliverAll();
    const ch = link.a.store.channel!;
    expect(typeof ch.channel_id).toBe('string');
    expect(typeof ch.peer_id).toBe('string');
    for (const h of link.a.store.htlcs.values()) {
      expect(typeof h.channel_id).toBe('string');
      expect(typeof h.offerer).toBe('string');
      expect(typeof h.id).toBe('number');
      expect(typeof h.payment_hash).toBe('string');
    }
  });

  it('turns a transition into put/delete operations, writing only what changed', () => {
    const link = openLink();
    add(link, link.a, 5_000_000n, 'w');
    link.commit(link.a);
    link.deliverAll();
    const incoming = link.b.take('htlc_incoming')[0]!;
    expect(incoming.htlc.id).toBe(0);
    // A later add writes the channel record (next id) and its own HTLC record only.
    const r = addHtlc(link.a.ch, { amount_msat: 6_000_000n, payment_hash: sha256(preimageOf('w2')), cltv_expiry: 800_000, onion_routing_packet: ONION });
    if (!r.ok) throw new Error(r.reason);
    expect(r.step.persist.htlcs.map((h) => h.id)).toEqual([1]);
    expect(channelWriteOps(r.step.persist).map((o) => ('put' in o ? `put ${o.table}` : `delete ${o.table}`))).toEqual(['put channels', 'put htlcs']);
    // The fulfill's last revoke_and_ack deletes the resolved HTLC record.
    link.run(link.a, r.step);
    link.run(link.b, fulfillHtlc(link.b.ch, 0, preimageOf('w')));
    link.commit(link.b);
    link.deliverAll();
    expect(link.a.store.htlcs.has('local:0')).toBe(false);
    expect(channelWriteOps({ channel: null, htlcs: [], deleted_htlcs: [['ab', 'local', 3]] })).toEqual([{ table: 'htlcs', delete: ['ab', 'local', 3] }]);
  });
});

describe('restore', () => {
  it('rejects corrupt records with BAD_RECORD', () => {
    const link = openLink();
    add(link, link.a, 5_000_000n, 'r');
    const { channel, htlcs } = link.a.store;
    const h = [...htlcs.values()][0]!;
    const cases: [unknown, unknown[]][] = [
      [null, []],
      [{ ...channel, v: 2 }, []],
      [{ ...channel, state: 'WHATEVER' }, []],
      [{ ...channel, local_ctn: -1 }, []],
      [{ ...channel, funding_satoshis: 5 }, []],
      [{ ...channel, remote_secrets: { next_index: 'x', known: [] } }, []],
      [{ ...channel, channel_id: 'zz' }, []],
      [channel, [{ ...h, channel_id: '00'.repeat(32) }]],
      [channel, [h, h]],
      [channel, [{ ...h, removal: { kind: 'fulfill', at: { local: null, remote: null }, seq: 1 } }]],
      [channel, [{ ...h, offerer: 'them' }]],
    ];
    for (const [c, hs] of cases) {
      let err: unknown;
      try {
        restoreChannel(link.a.keys, c, hs);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ChannelStateError);
      expect((err as ChannelStateError).code).toBe('BAD_RECORD');
    }
    expect(restoreChannel(link.a.keys, channel, [h]).htlcs.size).toBe(1);
  });
});

describe('keys', () => {
  it('derives every channel secret from the node seed and the key index', () => {
    const keys = channelKeysFromSeed(new Uint8Array(32).fill(1));
    const s0 = keys(0);
    expect(canon(keys(0))).toBe(canon(s0));
    const s1 = keys(1);
    const all = [...Object.values(s0), ...Object.values(s1)].map(toHex);
    expect(new Set(all).size).toBe(12);
    // A fixed vector: changing the derivation would orphan every existing channel.
    expect(toHex(pubkeyCreate(s0.funding_privkey))).toBe(toHex(new ChannelSigner(s0).basepoints.funding_pubkey));
    expect(toHex(new ChannelSigner(s0).basepoints.funding_pubkey)).toBe('02d2cb2f523a1ccbe50531bc7510380c727244802de3e660f3a325f7bde085d6dd');
    expect(() => keys(-1)).toThrow(ChannelStateError);
    expect(() => channelKeysFromSeed(new Uint8Array(31))).toThrow(ChannelStateError);
  });

  it('never lets a secret reach records, events, messages, errors or logs', () => {
    const link = openLink({ push: 100_000_000n });
    add(link, link.a, 5_000_000n, 's1');
    link.commit(link.a);
    link.deliverAll();
    const forced = forceClose(link.b.ch);
    for (const n of [link.a, link.b]) {
      const secrets = n.keys(n.ch.record.key_index);
      const secretHex = Object.values(secrets).map(toHex);
      // Our per-commitment secrets of commitments not revoked yet must not leak either.
      const lc = n.ch.record.local_ctn;
      secretHex.push(toHex(n.ch.signer.revealSecret(lc)), toHex(n.ch.signer.revealSecret(lc + 1)));
      const haystack = [
        canon(n.store.channel),
        canon([...n.store.htlcs.values()]),
        canon(n.events),
        canon(n.sent.filter((m) => m.type !== 'revoke_and_ack')),
        JSON.stringify(n.ch.signer),
        inspect(n.ch.signer, { depth: 5 }),
        inspect(n.ch, { depth: 5 }),
        canon(forced.events),
      ].join('\n');
      for (const s of secretHex) expect(haystack.includes(s)).toBe(false);
    }
  });
});
