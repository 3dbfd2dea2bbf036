// The file store (Node only): the daemon's embedded database. State lives in memory (the memory
// store's tables and indexes) and every commit is appended to a journal in the store directory
// and fdatasync'ed before commit() resolves. Opening replays the journal; a torn tail left by a
// crash is cut off (see journal.ts for what counts as torn). When the journal has grown well
// beyond the live data it is rewritten as a snapshot and atomically swapped in. Migrations are
// applied in memory and written the same way, so they are atomic too.
//
// Directory layout: `journal` (the data), `journal.tmp` (a snapshot being written), `LOCK`.
// A read-only open takes no lock and reads a snapshot of the journal as of the open.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { approxSize } from './codec.js';
import { acquireFileLock, type FileLock } from './file-lock.js';
import { JournalAppender, replaceJournal, truncateJournal } from './file-io.js';
import { decodeRecord, encodeCommitRecord, encodePutsRecord, encodeSchemaRecord } from './file-records.js';
import { toStoreError } from './gate.js';
import { scanJournal } from './journal.js';
import { MemoryDatabase, type AppliedOp } from './memory-db.js';
import { MemoryBackedStore } from './memory-store.js';
import { pendingMigrations, sameTables, targetVersion } from './schema.js';
import { StoreError, type OpenStoreOptions, type Store, type StoreRecord } from './types.js';

export interface FileStoreOptions extends OpenStoreOptions {
  /** Rewrite the journal once it exceeds both `minBytes` (default 8 MiB) and `ratio` (default 2) × the live data. */
  compaction?: { minBytes?: number; ratio?: number };
}

export interface FileStoreStats {
  journalBytes: number;
  /** Estimated size of the live rows (codec.ts approxSize). */
  liveBytes: number;
  /** The same estimate for everything the journal holds, live or overwritten. */
  journalEstimate: number;
  compactions: number;
  /** Bytes of torn tail cut off when this store was opened. */
  truncatedBytes: number;
}

export interface FileStore extends Store {
  readonly backend: 'file';
  /** Rewrites the journal as a snapshot of the live data now. */
  compact(): Promise<void>;
  stats(): FileStoreStats;
}

const JOURNAL = 'journal';
const SNAPSHOT_ROWS_PER_RECORD = 1000;

function notFound(e: unknown): boolean {
  return e instanceof Error && (e as { code?: unknown }).code === 'ENOENT';
}

interface Loaded {
  db: MemoryDatabase;
  validLength: number;
  fileLength: number;
  /** approxSize of every record the journal writes (live or overwritten since). */
  writtenApprox: number;
}

/** Rough size of what a commit writes, in the same unit as the live-data estimate. */
function opsApprox(ops: readonly { rec?: StoreRecord }[]): number {
  let n = 0;
  for (const op of ops) n += op.rec === undefined ? 16 : approxSize(op.rec);
  return n;
}

/** Replays the journal into a fresh MemoryDatabase; undefined if there is no journal yet. */
async function loadJournal(path: string): Promise<Loaded | undefined> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (e) {
    if (notFound(e)) return undefined;
    throw e;
  }
  const buf = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const scan = scanJournal(buf, path);
  const db = new MemoryDatabase();
  let hasSchema = false;
  let writtenApprox = 0;
  scan.payloads.forEach((payload, n) => {
    const rec = decodeRecord(payload);
    if (rec.kind === 'schema') {
      if (hasSchema) throw new StoreError('IO', `${path}: record ${n} is a second schema record`);
      db.version = rec.version;
      for (const t of rec.tables) {
        db.createTable(t);
        db.table(t.name).deferIndexes();
      }
      hasSchema = true;
      return;
    }
    if (!hasSchema) throw new StoreError('IO', `${path}: the journal does not start with its schema`);
    try {
      writtenApprox += opsApprox(db.apply(db.prepare(rec.ops, true), false));
    } catch (e) {
      throw new StoreError('IO', `${path}: record ${n} does not apply (${toStoreError(e).message})`);
    }
  });
  if (!hasSchema) throw new StoreError('IO', `${path}: the journal has no schema record`);
  for (const name of db.tableNames()) db.table(name).buildIndexes();
  return { db, validLength: scan.validLength, fileLength: buf.length, writtenApprox };
}

/** The journal that recreates `db`: its schema, then its rows in batches. */
function* snapshotPayloads(db: MemoryDatabase): Generator<Uint8Array> {
  yield encodeSchemaRecord(db.version, db.specs());
  for (const name of db.tableNames()) {
    let batch: StoreRecord[] = [];
    const rows: StoreRecord[][] = [];
    db.table(name).forEachRow((_pk, rec) => {
      batch.push(rec);
      if (batch.length === SNAPSHOT_ROWS_PER_RECORD) {
        rows.push(batch);
        batch = [];
      }
    });
    if (batch.length > 0) rows.push(batch);
    for (const b of rows) yield encodePutsRecord(name, b);
  }
}

function liveSize(db: MemoryDatabase): number {
  let n = 0;
  for (const name of db.tableNames()) db.table(name).forEachRow((_pk, rec) => (n += approxSize(rec)));
  return n;
}

function checkSchema(db: MemoryDatabase, opts: FileStoreOptions, dir: string): void {
  const target = targetVersion(opts.schema);
  if (!sameTables(db.specs(), opts.schema.migrations[target - 1]!.tables)) {
    throw new StoreError('SCHEMA', `database ${dir} at version ${target} does not have the tables this code declares for it; add a migration`);
  }
}

class FileStoreImpl extends MemoryBackedStore implements FileStore {
  readonly backend = 'file' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private compactions = 0;
  private compactionQueued = false;
  private readonly minBytes: number;
  private readonly ratio: number;

  constructor(
    db: MemoryDatabase,
    readOnly: boolean,
    private readonly path: string,
    private appender: JournalAppender | undefined,
    private readonly lock: FileLock | undefined,
    private liveBytes: number,
    private journalEstimate: number,
    private readonly truncatedBytes: number,
    opts: FileStoreOptions,
  ) {
    super(db, readOnly, `file store ${opts.name}`);
    this.minBytes = opts.compaction?.minBytes ?? 8 << 20;
    this.ratio = opts.compaction?.ratio ?? 2;
  }

  /** One call at a time: reads never see a commit that is not yet on disk. */
  protected override exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  protected async persist(applied: AppliedOp[]): Promise<void> {
    await this.appender!.append(encodeCommitRecord(applied));
    // Both sides of the ratio use the same estimate, so the encoding's real sizes (e.g. UTF-8
    // text) cannot make the journal look permanently oversized.
    for (const op of applied) {
      if (op.rec !== undefined) this.liveBytes += approxSize(op.rec);
      if (op.prev !== undefined) this.liveBytes -= approxSize(op.prev);
    }
    this.journalEstimate += opsApprox(applied);
    const bytes = this.appender!.bytes;
    if (!this.compactionQueued && bytes > this.minBytes && this.journalEstimate > this.ratio * this.liveBytes) {
      // Queued behind this commit, which resolves first; calls made meanwhile wait for it.
      this.compactionQueued = true;
      this.exclusive(() => this.compactNow()).catch((e: unknown) => {
        // compactNow has already failed the store; this only records the first reason if not.
        this.gate.fail(`journal compaction failed: ${toStoreError(e).message}`);
      });
    }
  }

  private async compactNow(): Promise<void> {
    this.compactionQueued = false;
    if (!this.gate.isOpen || this.appender === undefined) return;
    try {
      await replaceJournal(this.path, snapshotPayloads(this.db));
      await this.appender.close();
      this.appender = await JournalAppender.open(this.path);
      this.journalEstimate = this.liveBytes;
      this.compactions++;
    } catch (e) {
      const err = toStoreError(e);
      this.gate.fail(`journal compaction failed: ${err.message}`);
      throw err;
    }
  }

  compact(): Promise<void> {
    return this.gate.run(() =>
      this.exclusive(async () => {
        this.gate.checkNotFailed();
        if (this.readOnly) throw new StoreError('READ_ONLY', 'this store was opened read-only');
        await this.compactNow();
      }),
    );
  }

  stats(): FileStoreStats {
    return {
      journalBytes: this.appender?.bytes ?? 0,
      liveBytes: this.liveBytes,
      journalEstimate: this.journalEstimate,
      compactions: this.compactions,
      truncatedBytes: this.truncatedBytes,
    };
  }

  protected release(): Promise<void> {
    return this.exclusive(async () => {
      try {
        await this.appender?.close();
      } finally {
        this.appender = undefined;
        await this.lock?.release();
      }
    });
  }
}

async function openReader(opts: FileStoreOptions, dir: string): Promise<FileStore> {
  const loaded = await loadJournal(join(dir, JOURNAL));
  if (loaded === undefined) throw new StoreError('SCHEMA', `database ${dir} does not exist; a read-only open cannot create it`);
  const target = targetVersion(opts.schema);
  if (pendingMigrations(opts.schema, loaded.db.version, dir).length > 0) {
    throw new StoreError('SCHEMA', `database ${dir} is at version ${loaded.db.version}; a read-only open cannot migrate it to ${target}`);
  }
  checkSchema(loaded.db, opts, dir);
  return new FileStoreImpl(loaded.db, true, join(dir, JOURNAL), undefined, undefined, 0, 0, 0, opts);
}

async function openWriter(opts: FileStoreOptions, dir: string): Promise<FileStore> {
  const path = join(dir, JOURNAL);
  await mkdir(dir, { recursive: true });
  const lock = await acquireFileLock(dir);
  try {
    await rm(`${path}.tmp`, { force: true }); // a snapshot a crash interrupted
    const loaded = await loadJournal(path);
    const db = loaded?.db ?? new MemoryDatabase();
    let truncated = 0;
    if (loaded !== undefined && loaded.validLength < loaded.fileLength) {
      truncated = loaded.fileLength - loaded.validLength;
      await truncateJournal(path, loaded.validLength);
    }
    const steps = pendingMigrations(opts.schema, db.version, dir);
    const rewrite = loaded === undefined || steps.length > 0;
    if (rewrite) {
      await db.migrate(steps);
      await replaceJournal(path, snapshotPayloads(db));
    } else {
      checkSchema(db, opts, dir);
    }
    const live = liveSize(db);
    const appender = await JournalAppender.open(path);
    return new FileStoreImpl(db, false, path, appender, lock, live, rewrite ? live : loaded.writtenApprox, truncated, opts);
  } catch (e) {
    await lock.release();
    throw toStoreError(e);
  }
}

/** Opens (creating if needed) the store in directory `opts.name`. */
export async function openFileStore(opts: FileStoreOptions): Promise<FileStore> {
  targetVersion(opts.schema);
  const dir = resolve(opts.name);
  try {
    return await (opts.readOnly === true ? openReader(opts, dir) : openWriter(opts, dir));
  } catch (e) {
    throw toStoreError(e);
  }
}
