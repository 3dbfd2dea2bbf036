// Outbox follow-ups run once even when replays overlap. A node replays its outbox at start and
// again whenever any channel reestablishes or becomes ready; a follow-up (e.g. forwarding an
// incoming HTLC) is async and deletes its record only in the commit that finishes it. Found by the
// payer-crash points of daemon-crash.test.ts: a forwarder with several peers reconnecting ran the
// same incoming HTLC's forward twice; the duplicate forward record hit the unique index, the store
// failed and the forwarder stopped. In-process, with a stub handler, so the overlap is exact.
import { describe, expect, it } from 'vitest';
import { ChannelManager, type ChannelManagerDeps } from '../../src/runtime/channels.js';
import { NODE_SCHEMA } from '../../src/runtime/schema.js';
import { OUTBOX_TABLE, outboxKey, type OutboxRecord } from '../../src/runtime/tables.js';
import { silentLogger } from '../../src/runtime/log.js';
import { openMemoryStore } from '../../src/store/memory.js';
import type { StoreRecord } from '../../src/store/types.js';

function record(htlcId: number): OutboxRecord {
  return { key: outboxKey('incoming', 'aa'.repeat(32), 'remote', htlcId), kind: 'incoming', channel_id: 'aa'.repeat(32), htlc_id: htlcId };
}

describe('outbox replays that overlap', () => {
  it('run each follow-up once (in flight, or finished since the other replay listed it)', async () => {
    const store = await openMemoryStore({ name: 'outbox-once', schema: NODE_SCHEMA });
    const first = record(0);
    const second = record(1);
    await store.commit([first, second].map((r) => ({ table: OUTBOX_TABLE.name, put: r as unknown as StoreRecord })));

    // Only what replayOutbox touches: the store, the log, and the fatal hook.
    const channels = new ChannelManager({ store, log: silentLogger, fatal: () => undefined } as unknown as ChannelManagerDeps);
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    channels.setFollowUps({
      async handle(rec) {
        calls.push(rec.key);
        // The first record's work takes a while (an HTLC offered on another channel, say).
        if (rec.key === first.key) await gate;
        await store.commit([{ table: OUTBOX_TABLE.name, delete: rec.key }]);
      },
    });

    const atStart = channels.replayOutbox(); // lists both, starts on the first, waits at the gate
    await new Promise((r) => setTimeout(r, 20));
    const onReestablish = channels.replayOutbox(); // lists both again: the first is in flight
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([atStart, onReestablish]);

    expect(calls.filter((k) => k === first.key)).toHaveLength(1);
    expect(calls.filter((k) => k === second.key)).toHaveLength(1);
    expect(await store.query(OUTBOX_TABLE.name)).toEqual([]);
    await store.close();
  });
});
