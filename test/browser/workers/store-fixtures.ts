// Schemas and helpers shared by the browser store test workers (not a test module itself).
import type { StoreSchema } from '../../../src/store/types.js';

const notesV1 = { name: 'notes', keyPath: 'id', indexes: [] };

/** v1: notes; v2: adds an index and a `words` column computed from each note. */
export function notesSchema(version: 1 | 2): StoreSchema {
  const migrations: StoreSchema['migrations'] = [{ version: 1, description: 'notes', tables: [notesV1] }];
  if (version === 2) {
    migrations.push({
      version: 2,
      description: 'index by word count',
      tables: [{ name: 'notes', keyPath: 'id', indexes: [{ name: 'by_words', keyPath: 'words' }] }],
      transform: async (tx) => {
        for (const n of await tx.getAll('notes')) await tx.put('notes', { ...n, words: String(n.text).split(' ').length });
      },
    });
  }
  return { migrations };
}

export const TEST_CHANNEL = 'lw-store-test';

/** Error code of a rejection (our StoreError codes), or the message for anything untyped. */
export function codeOf(e: unknown): string {
  if (e instanceof Error && 'code' in e) return String((e as { code: unknown }).code);
  return e instanceof Error ? e.message : String(e);
}
