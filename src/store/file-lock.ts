// One writer per store directory: a LOCK file holding the owner's pid. It is created complete
// (written to a private temp file, then hard-linked into place, which fails if LOCK exists), so
// a reader never sees a half-written pid. A LOCK whose pid is dead was left by a crash and is
// taken over; any other LOCK (including our own pid: another store in this process) is LOCKED.
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './types.js';

export interface FileLock {
  release(): Promise<void>;
}

function errno(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return errno(e) !== 'ESRCH';
  }
}

/** The pid in a lock file: undefined if the file is gone, NaN if it holds something else. */
async function readPid(path: string): Promise<number | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    return /^[1-9][0-9]*\n?$/.test(text) ? Number(text.trim()) : NaN;
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
}

function locked(dir: string, pid: number): StoreError {
  const who = pid === process.pid ? 'this process (another open store)' : `process ${pid}`;
  return new StoreError('LOCKED', `database ${dir} is locked by ${who}; one writer per database`);
}

export async function acquireFileLock(dir: string): Promise<FileLock> {
  const lockPath = join(dir, 'LOCK');
  const me = process.pid;
  const tmp = join(dir, `LOCK.${me}.${Math.random().toString(36).slice(2)}`);
  await writeFile(tmp, `${me}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(tmp, lockPath);
        return { release: () => releaseLock(lockPath) };
      } catch (e) {
        if (errno(e) !== 'EEXIST') throw e;
      }
      const owner = await readPid(lockPath);
      if (owner === undefined) continue; // released meanwhile: try again
      if (Number.isNaN(owner)) {
        // We always create LOCK complete, so this is not ours: leave it to a human.
        throw new StoreError('LOCKED', `database ${dir} has a LOCK file that holds no pid; remove it if no daemon uses this directory`);
      }
      if (owner === me || isAlive(owner)) throw locked(dir, owner);
      // Stale: move it aside atomically (only one contender's rename can succeed), then make
      // sure what we moved is the dead owner's lock and not one a contender just created.
      const aside = `${tmp}.stale`;
      try {
        await rename(lockPath, aside);
      } catch (e) {
        if (errno(e) === 'ENOENT') continue;
        throw e;
      }
      const moved = await readPid(aside);
      if (moved !== owner && moved !== undefined && !Number.isNaN(moved) && isAlive(moved)) {
        await link(aside, lockPath).catch((e: unknown) => {
          // EEXIST: yet another contender holds LOCK now; the owner we displaced loses nothing
          // but its file name, and will notice on release. Anything else is a real IO error.
          if (errno(e) !== 'EEXIST') throw e;
        });
        await unlink(aside);
        throw locked(dir, moved);
      }
      await unlink(aside);
    }
    throw new StoreError('LOCKED', `database ${dir}: could not take the lock (contended)`);
  } finally {
    await unlink(tmp);
  }
}

async function releaseLock(lockPath: string): Promise<void> {
  // Only remove a lock that is still ours.
  if ((await readPid(lockPath)) === process.pid) await unlink(lockPath);
}
