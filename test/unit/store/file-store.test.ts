// File store behaviour beyond the shared conformance suite: journal damage, compaction, the lock file.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileStore, type FileStore } from '../../../src/store/file.js';
import { JOURNAL_MAGIC, RECORD_HEADER_BYTES } from '../../../src/store/journal.js';
import { StoreError, type StoreSchema } from '../../../src/store/types.js';

const base = mkdtempSync(join(tmpdir(), 'lw-file-store-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(base, `db${n++}`);

const schema: StoreSchema = {
  migrations: [{ version: 1, description: 'rows', tables: [{ name: 'rows', keyPath: 'id', indexes: [{ name: 'by_v', keyPath: 'v' }] }] }],
};

/** Writes `count` commits (one row each) and returns the journal's record boundaries. */
async function writeCommits(dir: string, count: number): Promise<number[]> {
  const s = await openFileStore({ name: dir, schema });
  const ends: number[] = [s.stats().journalBytes];
  for (let i = 0; i < count; i++) {
    await s.commit([{ table: 'rows', put: { id: i, v: `value ${i}`, big: BigInt(i) ** 5n } }]);
    ends.push(s.stats().journalBytes);
  }
  await s.close();
  return ends;
}

async function ids(dir: string, readOnly = false): Promise<unknown[]> {
  const s = await openFileStore({ name: dir, schema, readOnly });
  const out = (await s.query('rows')).map((r) => r.id);
  await s.close();
  return out;
}

const journal = (dir: string): string => join(dir, 'journal');

describe('file store journal', () => {
  it('cuts a torn tail at any length inside the last record, then keeps appending', async () => {
    const dir = freshDir();
    const ends = await writeCommits(dir, 5);
    const full = readFileSync(journal(dir));
    const lastStart = ends[4]!;
    for (const cut of [lastStart + 1, lastStart + RECORD_HEADER_BYTES - 1, lastStart + RECORD_HEADER_BYTES + 3, ends[5]! - 1]) {
      writeFileSync(journal(dir), full.subarray(0, cut));
      const s = await openFileStore({ name: dir, schema });
      expect(s.stats().truncatedBytes).toBe(cut - lastStart);
      expect((await s.query('rows')).map((r) => r.id)).toEqual([0, 1, 2, 3]);
      await s.close();
      expect(statSync(journal(dir)).size).toBe(lastStart);
    }
    const s = await openFileStore({ name: dir, schema });
    await s.commit([{ table: 'rows', put: { id: 'after', v: 'x' } }]);
    await s.close();
    expect(await ids(dir)).toEqual([0, 1, 2, 3, 'after']);
  });

  it('treats zero-filled and garbage tails as torn', async () => {
    const dir = freshDir();
    await writeCommits(dir, 3);
    appendFileSync(journal(dir), new Uint8Array(4096));
    expect(await ids(dir)).toEqual([0, 1, 2]);
    appendFileSync(journal(dir), Uint8Array.from({ length: 777 }, (_, i) => (i * 37 + 11) & 255));
    expect(await ids(dir)).toEqual([0, 1, 2]);
  });

  it('treats a garbled last record as torn', async () => {
    const dir = freshDir();
    const ends = await writeCommits(dir, 3);
    const buf = readFileSync(journal(dir));
    buf[ends[2]! + RECORD_HEADER_BYTES + 2]! ^= 0xff;
    writeFileSync(journal(dir), buf);
    expect(await ids(dir)).toEqual([0, 1]);
  });

  it('refuses to open when a record before the last is damaged, and leaves the file alone', async () => {
    for (const where of ['payload', 'length'] as const) {
      const dir = freshDir();
      const ends = await writeCommits(dir, 5);
      const buf = readFileSync(journal(dir));
      const at = where === 'payload' ? ends[1]! + RECORD_HEADER_BYTES + 1 : ends[1]! + 2;
      buf[at]! ^= 0x40;
      writeFileSync(journal(dir), buf);
      const err = await openFileStore({ name: dir, schema }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('IO');
      expect((err as StoreError).message).toMatch(/corrupt/);
      expect(readFileSync(journal(dir)).equals(buf)).toBe(true);
      expect(existsSync(join(dir, 'LOCK'))).toBe(false);
    }
  });

  it('rejects a file that is not a journal', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(journal(dir), 'hello');
    await expect(openFileStore({ name: dir, schema })).rejects.toMatchObject({ code: 'IO' });
  });

  it('a read-only open reads past a torn tail without truncating it', async () => {
    const dir = freshDir();
    await writeCommits(dir, 2);
    appendFileSync(journal(dir), new Uint8Array([1, 2, 3]));
    const size = statSync(journal(dir)).size;
    expect(await ids(dir, true)).toEqual([0, 1]);
    expect(statSync(journal(dir)).size).toBe(size);
  });

  it('starts the journal with its header and removes a leftover snapshot temp file', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(`${journal(dir)}.tmp`, 'half a snapshot');
    await (await openFileStore({ name: dir, schema })).close();
    expect(existsSync(`${journal(dir)}.tmp`)).toBe(false);
    expect(readFileSync(journal(dir)).subarray(0, JOURNAL_MAGIC.length)).toEqual(Buffer.from(JOURNAL_MAGIC));
  });
});

describe('file store compaction', () => {
  it('rewrites the journal once it is well beyond the live data, keeping every row', async () => {
    const dir = freshDir();
    const s = await openFileStore({ name: dir, schema, compaction: { minBytes: 4096, ratio: 2 } });
    for (let i = 0; i < 300; i++) {
      await s.commit([
        { table: 'rows', put: { id: 'hot', v: `update ${i}`, pad: new Uint8Array(100) } },
        { table: 'rows', put: { id: i % 20, v: `row ${i % 20}` } },
      ]);
    }
    const st = s.stats();
    expect(st.compactions).toBeGreaterThan(0);
    expect(st.journalBytes).toBeLessThan(4096 * 2 + 2 * st.liveBytes);
    await s.close();
    const again = await openFileStore({ name: dir, schema });
    expect(await again.count('rows')).toBe(21);
    expect((await again.get('rows', 'hot'))?.v).toBe('update 299');
    expect((await again.query('rows', { index: 'by_v', range: { only: 'row 7' } })).map((r) => r.id)).toEqual([7]);
    await again.close();
  });

  it('does not compact a journal of live data only, whatever its text encoding costs', async () => {
    const dir = freshDir();
    const opts = { name: dir, schema, compaction: { minBytes: 1000, ratio: 2 } };
    let s = await openFileStore(opts);
    for (let i = 0; i < 100; i++) await s.commit([{ table: 'rows', put: { id: i, v: 'é⚡'.repeat(100) } }]);
    expect(s.stats().compactions).toBe(0);
    await s.close();
    s = await openFileStore(opts);
    for (let i = 100; i < 150; i++) await s.commit([{ table: 'rows', put: { id: i, v: 'é⚡'.repeat(100) } }]);
    expect(s.stats().compactions).toBe(0);
    await s.close();
  });

  it('compact() on demand shrinks the journal and the data reads back', async () => {
    const dir = freshDir();
    const s: FileStore = await openFileStore({ name: dir, schema });
    for (let i = 0; i < 50; i++) await s.commit([{ table: 'rows', put: { id: 1, v: `v${i}` } }]);
    const before = s.stats().journalBytes;
    await s.compact();
    expect(s.stats().journalBytes).toBeLessThan(before / 5);
    await s.commit([{ table: 'rows', put: { id: 2, v: 'after compaction' } }]);
    await s.close();
    expect(await ids(dir)).toEqual([1, 2]);
    const ro = await openFileStore({ name: dir, schema, readOnly: true });
    await expect(ro.compact()).rejects.toMatchObject({ code: 'READ_ONLY' });
    await ro.close();
  });
});

describe('file store lock', () => {
  function deadPid(): number {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    return Number(r.stdout.toString());
  }

  it('takes over a lock left by a dead process', async () => {
    const dir = freshDir();
    await writeCommits(dir, 1);
    writeFileSync(join(dir, 'LOCK'), `${deadPid()}\n`);
    const s = await openFileStore({ name: dir, schema });
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await s.close();
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });

  it('is LOCKED while a live process holds it, or when LOCK holds no pid', async () => {
    const dir = freshDir();
    await writeCommits(dir, 1);
    writeFileSync(join(dir, 'LOCK'), `${process.ppid}\n`);
    await expect(openFileStore({ name: dir, schema })).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining(`process ${process.ppid}`) });
    expect(await ids(dir, true)).toEqual([0]);
    writeFileSync(join(dir, 'LOCK'), 'junk');
    await expect(openFileStore({ name: dir, schema })).rejects.toMatchObject({ code: 'LOCKED' });
    rmSync(join(dir, 'LOCK'));
    expect(await ids(dir)).toEqual([0]);
  });
});
