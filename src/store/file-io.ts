// Durable file operations for the file store: appending a record and waiting for fdatasync, and
// replacing the whole journal atomically (temp file, fsync, rename, fsync of the directory, so
// that after a crash the directory holds either the old journal or the complete new one).
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JOURNAL_MAGIC, frameRecord } from './journal.js';

async function writeAll(fh: FileHandle, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off, null);
    off += bytesWritten;
  }
}

export async function fsyncDirectory(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** The open journal, appended to in O_APPEND mode. */
export class JournalAppender {
  private constructor(
    private readonly fh: FileHandle,
    private size: number,
  ) {}

  static async open(path: string): Promise<JournalAppender> {
    const fh = await open(path, 'a');
    const { size } = await fh.stat();
    return new JournalAppender(fh, size);
  }

  get bytes(): number {
    return this.size;
  }

  /** Appends one framed record and returns once it is on disk (fdatasync). */
  async append(payload: Uint8Array): Promise<void> {
    const frame = frameRecord(payload);
    await writeAll(this.fh, frame);
    await this.fh.datasync();
    this.size += frame.length;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Cuts a torn tail off the journal before appending after it. */
export async function truncateJournal(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const FLUSH_BYTES = 4 << 20;

/**
 * Writes a new journal from record payloads and atomically puts it in place of `path`.
 * Returns its size in bytes.
 */
export async function replaceJournal(path: string, payloads: Iterable<Uint8Array>): Promise<number> {
  const tmp = `${path}.tmp`;
  await rm(tmp, { force: true });
  const fh = await open(tmp, 'wx');
  let total = 0;
  try {
    let chunks: Uint8Array[] = [JOURNAL_MAGIC];
    let pending = JOURNAL_MAGIC.length;
    const flush = async (): Promise<void> => {
      const buf = new Uint8Array(pending);
      let o = 0;
      for (const c of chunks) {
        buf.set(c, o);
        o += c.length;
      }
      await writeAll(fh, buf);
      total += pending;
      chunks = [];
      pending = 0;
    };
    for (const p of payloads) {
      const frame = frameRecord(p);
      chunks.push(frame);
      pending += frame.length;
      if (pending >= FLUSH_BYTES) await flush();
    }
    await flush();
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await fsyncDirectory(dirname(path));
  return total;
}
