// The node's store schema: every table of every layer, versioned. Layers declare their tables as
// plain objects; this is the only place that assembles them.
import type { StoreSchema, TableSpec } from '../store/types.js';
import { PAYMENTS_TABLE } from '../payments/row.js';

export const META_TABLE = 'meta';
export const PAYMENTS_TABLE_NAME = PAYMENTS_TABLE.name;

const meta: TableSpec = { name: META_TABLE, keyPath: 'key', indexes: [] };

function table(t: { name: string; keyPath: string | readonly string[]; indexes: readonly { name: string; keyPath: string | readonly string[]; unique?: boolean }[] }): TableSpec {
  return {
    name: t.name,
    keyPath: typeof t.keyPath === 'string' ? t.keyPath : [...t.keyPath],
    indexes: t.indexes.map((i) => ({ name: i.name, keyPath: typeof i.keyPath === 'string' ? i.keyPath : [...i.keyPath], ...(i.unique ? { unique: true } : {}) })),
  };
}

export const NODE_SCHEMA: StoreSchema = {
  migrations: [
    {
      version: 1,
      description: 'meta, payments',
      tables: [meta, table(PAYMENTS_TABLE)],
    },
  ],
};
