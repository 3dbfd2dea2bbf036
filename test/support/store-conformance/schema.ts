// Conformance: versioned schemas and migrations.
import type { Migration, MigrationTx, StoreSchema, TableSpec } from '../../../src/store/types.js';
import { assertEqual, assertRejects } from './assert.js';
import type { ConformanceCheck } from './context.js';
import { ids, schemaOf } from './fixtures.js';

const NOTES_V1: TableSpec = { name: 'notes', keyPath: 'id', indexes: [] };
const NOTES_V2: TableSpec = { name: 'notes', keyPath: 'id', indexes: [{ name: 'by_tag', keyPath: 'tag' }] };
const COPIES: TableSpec = { name: 'copies', keyPath: 'id', indexes: [{ name: 'by_len', keyPath: 'len' }] };

/** v1: notes; v2: copies filled from notes + an index on notes; v3: notes dropped, copies renumbered. */
function history(log: string[]): Migration[] {
  return [
    {
      version: 1,
      description: 'notes',
      tables: [NOTES_V1],
      transform: async (tx) => {
        log.push('v1');
        await tx.put('notes', { id: 0, text: 'seeded by v1', tag: 'seed' });
      },
    },
    {
      version: 2,
      description: 'copies of notes',
      tables: [NOTES_V2, COPIES],
      transform: async (tx: MigrationTx) => {
        log.push('v2');
        for (const n of await tx.getAll('notes')) {
          await tx.put('copies', { id: n.id as number, len: (n.text as string).length, from: 'v2' });
        }
      },
    },
    {
      version: 3,
      description: 'drop notes',
      tables: [COPIES],
      transform: async (tx) => {
        log.push('v3');
        const notes = await tx.getAll('notes');
        await tx.put('copies', { id: 'count', len: notes.length, from: 'v3' });
        await tx.delete('copies', 0);
      },
    },
  ];
}

const upTo = (log: string[], v: number): StoreSchema => schemaOf(...history(log).slice(0, v));

export const schemaChecks: ConformanceCheck[] = [
  {
    name: 'migrations run in order from the stored version up to the code version',
    async run(ctx) {
      const log: string[] = [];
      const name = ctx.fresh();
      const v1 = await ctx.open(name, upTo(log, 1));
      await v1.commit([{ table: 'notes', put: { id: 1, text: 'hello', tag: 't' } }]);
      await v1.close();
      assertEqual(log, ['v1'], 'first open runs v1');
      const v3 = await ctx.open(name, upTo(log, 3));
      assertEqual(log, ['v1', 'v2', 'v3'], 'v2 then v3');
      assertEqual(
        await v3.query('copies'),
        [
          { id: 1, len: 5, from: 'v2' },
          { id: 'count', len: 2, from: 'v3' },
        ],
        'copies after v3',
      );
      assertEqual(ids(await v3.query('copies', { index: 'by_len', range: { only: 5 } })), [1], 'index of a created table');
      await assertRejects(v3.count('notes'), 'UNKNOWN_TABLE', 'dropped table');
      await v3.close();
      const again = await ctx.open(name, upTo(log, 3));
      assertEqual(log, ['v1', 'v2', 'v3'], 'no migration at the current version');
      assertEqual(await again.count('copies'), 2, 'data kept');
    },
  },
  {
    name: 'a migration adds an index over existing rows',
    async run(ctx) {
      const log: string[] = [];
      const name = ctx.fresh();
      const v1 = await ctx.open(name, upTo(log, 1));
      await v1.commit([
        { table: 'notes', put: { id: 1, text: 'a', tag: 'x' } },
        { table: 'notes', put: { id: 2, text: 'b', tag: 'y' } },
        { table: 'notes', put: { id: 3, text: 'c', tag: 'x' } },
      ]);
      await v1.close();
      const v2 = await ctx.open(name, upTo(log, 2));
      assertEqual(ids(await v2.query('notes', { index: 'by_tag', range: { only: 'x' } })), [1, 3], 'new index covers old rows');
      const reader = await ctx.open(name, upTo(log, 2), { readOnly: true });
      assertEqual(await reader.count('notes', { index: 'by_tag' }), 4, 'a read-only open alongside the writer sees the index');
    },
  },
  {
    name: 'a downgrade (stored version newer than the code) is refused with SCHEMA',
    async run(ctx) {
      const log: string[] = [];
      const name = ctx.fresh();
      await (await ctx.open(name, upTo(log, 2))).close();
      await assertRejects(ctx.open(name, upTo(log, 1)), 'SCHEMA', 'open at v1');
      await assertRejects(ctx.open(name, upTo(log, 1), { readOnly: true }), 'SCHEMA', 'read-only open at v1');
      const ok = await ctx.open(name, upTo(log, 2));
      assertEqual(await ok.count('copies'), 1, 'database intact');
    },
  },
  {
    name: 'a failing migration leaves the database at its old version, untouched',
    async run(ctx) {
      const log: string[] = [];
      const name = ctx.fresh();
      const v1 = await ctx.open(name, upTo(log, 1));
      await v1.commit([{ table: 'notes', put: { id: 1, text: 'keep' } }]);
      await v1.close();
      const broken: Migration = {
        version: 2,
        description: 'throws halfway',
        tables: [NOTES_V1, COPIES],
        transform: async (tx) => {
          await tx.put('notes', { id: 2, text: 'must not survive' });
          await tx.delete('notes', 1);
          throw new Error('boom');
        },
      };
      await assertRejects(ctx.open(name, schemaOf(history(log)[0]!, broken)), 'SCHEMA', 'open with a throwing transform');
      const back = await ctx.open(name, upTo(log, 1));
      assertEqual(ids(await back.query('notes')), [0, 1], 'v1 data, nothing from the failed migration');
      await back.close();
      const dup: Migration = {
        version: 2,
        description: 'unique index over duplicates',
        tables: [{ name: 'notes', keyPath: 'id', indexes: [{ name: 'by_text', keyPath: 'text', unique: true }] }],
        transform: async (tx) => {
          await tx.put('notes', { id: 3, text: 'keep' });
        },
      };
      await assertRejects(ctx.open(name, schemaOf(history(log)[0]!, dup)), 'CONSTRAINT', 'unique index over duplicate values');
      const fixed = await ctx.open(name, upTo(log, 2));
      assertEqual(await fixed.count('copies'), 2, 'a good migration then runs');
    },
  },
  {
    name: 'invalid schemas are SCHEMA',
    async run(ctx) {
      const t: TableSpec = { name: 't', keyPath: 'id', indexes: [] };
      await assertRejects(ctx.open(ctx.fresh(), { migrations: [] }), 'SCHEMA', 'no migrations');
      await assertRejects(ctx.open(ctx.fresh(), schemaOf({ version: 2, description: 'gap', tables: [t] })), 'SCHEMA', 'first version 2');
      const dupTables = schemaOf({ version: 1, description: 'twice', tables: [t, t] });
      await assertRejects(ctx.open(ctx.fresh(), dupTables), 'SCHEMA', 'a table listed twice');
      const rekey = schemaOf(
        { version: 1, description: 'a', tables: [t] },
        { version: 2, description: 'b', tables: [{ ...t, keyPath: 'other' }] },
      );
      await assertRejects(ctx.open(ctx.fresh(), rekey), 'SCHEMA', 'keyPath change');
    },
  },
  {
    name: 'tables that differ from the stored ones at the same version are SCHEMA',
    async run(ctx) {
      const name = ctx.fresh();
      const log: string[] = [];
      await (await ctx.open(name, upTo(log, 1))).close();
      const drifted = schemaOf({ version: 1, description: 'edited in place', tables: [NOTES_V2] });
      await assertRejects(ctx.open(name, drifted), 'SCHEMA', 'same version, different indexes');
    },
  },
];
