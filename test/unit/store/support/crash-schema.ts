// Schema shared by the crash test and its child writer.
import type { StoreSchema } from '../../../../src/store/types.js';

export const CRASH_SCHEMA: StoreSchema = {
  migrations: [
    {
      version: 1,
      description: 'crash test',
      tables: [
        { name: 'log', keyPath: 'id', indexes: [{ name: 'by_of', keyPath: 'of', unique: true }] },
        { name: 'meta', keyPath: 'id', indexes: [] },
      ],
    },
  ],
};
