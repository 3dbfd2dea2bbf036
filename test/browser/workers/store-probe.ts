// Opens a database once (optionally writing rows), reports what happened, and closes it.
import { openIndexedDbStore } from '../../../src/store/indexeddb.js';
import type { StoreRecord } from '../../../src/store/types.js';
import { codeOf, notesSchema } from './store-fixtures.js';

export interface ProbeArgs {
  name: string;
  version?: 1 | 2;
  readOnly?: boolean;
  write?: StoreRecord[];
  blockedTimeoutMs?: number;
}

export default async function storeProbe(raw: unknown): Promise<unknown> {
  const args = raw as ProbeArgs;
  let store;
  try {
    store = await openIndexedDbStore({
      name: args.name,
      schema: notesSchema(args.version ?? 1),
      readOnly: args.readOnly,
      blockedTimeoutMs: args.blockedTimeoutMs,
    });
  } catch (e) {
    return { opened: false, code: codeOf(e), message: e instanceof Error ? e.message : String(e) };
  }
  try {
    if (args.write !== undefined) await store.commit(args.write.map((put) => ({ table: 'notes', put })));
    const rows = await store.query('notes');
    const byWords = args.version === 2 ? (await store.query('notes', { index: 'by_words' })).map((r) => r.id) : undefined;
    return { opened: true, rows, byWords };
  } finally {
    await store.close();
  }
}
