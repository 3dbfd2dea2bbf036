// The node's store schema: every table of every layer, versioned. Layers declare their tables as
// plain objects; this is the only place that assembles them. A new version appends a migration
// (tables as they are after it, plus an optional data transform); released versions never change.
import type { StoreSchema, TableSpec } from '../store/types.js';
import { PAYMENTS_TABLE } from '../payments/row.js';
import { CHANNELS_TABLE, HTLCS_TABLE } from '../channel/state/records.js';
import { INVOICES_TABLE } from '../invoices/record.js';
import { FORWARDS_TABLE } from '../forwarding/record.js';
import { FUNDINGS_TABLE, ORIGINS_TABLE, OUTBOX_TABLE } from './tables.js';
import { PEER_UPDATES_TABLE } from './peer-updates.js';
import { PEER_ADDRESSES_TABLE } from './peer-addresses.js';

export const META_TABLE = 'meta';
export const PAYMENTS_TABLE_NAME = PAYMENTS_TABLE.name;

type TableLike = {
  name: string;
  keyPath: string | readonly string[];
  indexes: readonly { name: string; keyPath: string | readonly string[]; unique?: boolean }[];
};

/** Copies a layer's (possibly `as const`) table declaration into a mutable TableSpec. */
function table(t: TableLike): TableSpec {
  return {
    name: t.name,
    keyPath: typeof t.keyPath === 'string' ? t.keyPath : [...t.keyPath],
    indexes: t.indexes.map((i) => ({ name: i.name, keyPath: typeof i.keyPath === 'string' ? i.keyPath : [...i.keyPath], ...(i.unique ? { unique: true } : {}) })),
  };
}

const V1_TABLES: TableSpec[] = [
  { name: META_TABLE, keyPath: 'key', indexes: [] },
  table(PAYMENTS_TABLE),
  table(CHANNELS_TABLE),
  table(HTLCS_TABLE),
  table(INVOICES_TABLE),
  table(FORWARDS_TABLE),
  ORIGINS_TABLE,
  OUTBOX_TABLE,
  FUNDINGS_TABLE,
  PEER_UPDATES_TABLE,
];

/** v2: where each peer was last dialled, so a restarted node reconnects its channel peers. */
const V2_TABLES: TableSpec[] = [...V1_TABLES, PEER_ADDRESSES_TABLE];

export const NODE_SCHEMA: StoreSchema = {
  migrations: [
    { version: 1, description: 'payments, channels, htlcs, invoices, forwards and runtime bookkeeping', tables: V1_TABLES },
    { version: 2, description: 'peer addresses', tables: V2_TABLES },
  ],
};
