// Memory store specifics: private vs volume databases, fault injection, upgrades seen by old connections.
import { describe, expect, it } from 'vitest';
import { createMemoryVolume, openMemoryStore } from '../../../src/store/memory.js';
import type { StoreSchema } from '../../../src/store/types.js';

const v1: StoreSchema = { migrations: [{ version: 1, description: 't', tables: [{ name: 't', keyPath: 'id', indexes: [] }] }] };
const v2: StoreSchema = {
  migrations: [...v1.migrations, { version: 2, description: 'u', tables: [{ name: 't', keyPath: 'id', indexes: [] }, { name: 'u', keyPath: 'id', indexes: [] }] }],
};

describe('memory store', () => {
  it('without a volume every open is a new, private database', async () => {
    const a = await openMemoryStore({ name: 'same', schema: v1 });
    await a.commit([{ table: 't', put: { id: 1 } }]);
    const b = await openMemoryStore({ name: 'same', schema: v1 });
    expect(await b.count('t')).toBe(0);
    expect(a.backend).toBe('memory');
  });

  it('onCommit can simulate a failed write: the commit is IO, the store fails, nothing is applied', async () => {
    const volume = createMemoryVolume();
    let failNext = false;
    const s = await openMemoryStore({
      name: 'db',
      schema: v1,
      volume,
      onCommit: () => {
        if (failNext) throw new Error('disk full');
      },
    });
    await s.commit([{ table: 't', put: { id: 1 } }]);
    failNext = true;
    await expect(s.commit([{ table: 't', put: { id: 2 } }])).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining('disk full') });
    await expect(s.get('t', 1)).rejects.toMatchObject({ code: 'FAILED' });
    await s.close();
    const again = await openMemoryStore({ name: 'db', schema: v1, volume });
    expect((await again.query('t')).map((r) => r.id)).toEqual([1]);
  });

  it('an upgrade by a later writer fails older read-only connections, like versionchange', async () => {
    const volume = createMemoryVolume();
    const w = await openMemoryStore({ name: 'db', schema: v1, volume });
    await w.commit([{ table: 't', put: { id: 1 } }]);
    const r = await openMemoryStore({ name: 'db', schema: v1, volume, readOnly: true });
    await w.close();
    const w2 = await openMemoryStore({ name: 'db', schema: v2, volume });
    await expect(r.count('t')).rejects.toMatchObject({ code: 'FAILED', message: expect.stringContaining('upgraded') });
    expect(await w2.count('t')).toBe(1);
    expect(volume.names()).toEqual(['db']);
  });

  it('volume.delete is refused while a writer holds the database', async () => {
    const volume = createMemoryVolume();
    const w = await openMemoryStore({ name: 'db', schema: v1, volume });
    expect(() => volume.delete('db')).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    await w.close();
    volume.delete('db');
    expect(volume.names()).toEqual([]);
  });
});
