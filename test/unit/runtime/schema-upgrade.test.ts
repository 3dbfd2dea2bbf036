// A daemon's database written by the version-1 schema opens under the current one: the
// peer_addresses table appears empty and every version-1 record is still there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileStore } from '../../../src/store/file.js';
import { META_TABLE, NODE_SCHEMA } from '../../../src/runtime/schema.js';
import { PEER_ADDRESSES_TABLE } from '../../../src/runtime/peer-addresses.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('node schema upgrade', () => {
  it('v1 → current keeps the data and adds peer_addresses', async () => {
    const name = join(dir, 'db');
    const v1 = { migrations: NODE_SCHEMA.migrations.slice(0, 1) };
    const old = await openFileStore({ name, schema: v1 });
    await old.commit([{ table: META_TABLE, put: { key: 'seed-check', value: 'kept' } }]);
    await expect(old.query(PEER_ADDRESSES_TABLE.name)).rejects.toMatchObject({ code: 'UNKNOWN_TABLE' });
    await old.close();

    const now = await openFileStore({ name, schema: NODE_SCHEMA });
    expect(await now.get(META_TABLE, 'seed-check')).toEqual({ key: 'seed-check', value: 'kept' });
    expect(await now.query(PEER_ADDRESSES_TABLE.name)).toEqual([]);
    await now.commit([{ table: PEER_ADDRESSES_TABLE.name, put: { peer_id: '02aa', kind: 'url', url: 'ws://127.0.0.1:1/', dialled_at: 1 } }]);
    await now.close();

    const again = await openFileStore({ name, schema: NODE_SCHEMA });
    expect(await again.query(PEER_ADDRESSES_TABLE.name)).toEqual([{ peer_id: '02aa', kind: 'url', url: 'ws://127.0.0.1:1/', dialled_at: 1 }]);
    await again.close();
  });
});
