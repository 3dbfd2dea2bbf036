// The browser's one-writer guarantee: a Web Lock per database, held for as long as the store is
// open. Web Locks are shared by every tab and worker of the origin and are released by the
// browser when the holder's context goes away (tab closed, worker terminated, crash), so a
// stale lock cannot outlive its owner the way a lock file can.
import { StoreError } from './types.js';

export interface HeldWebLock {
  release(): void;
}

export function writerLockName(database: string): string {
  return `lightning-worker:db:${database}`;
}

/**
 * Takes the lock if nobody holds it (resolves undefined otherwise, without waiting).
 * `onLost` runs if the lock is later taken from us (another context requested it with `steal`).
 */
export function tryWebLock(name: string, onLost: (why: string) => void): Promise<HeldWebLock | undefined> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (locks === undefined) {
    return Promise.reject(new StoreError('LOCKED', 'the Web Locks API is not available here, so one writer per database cannot be guaranteed'));
  }
  return new Promise((resolve, reject) => {
    let granted = false;
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (lock === null) {
          resolve(undefined);
          return undefined;
        }
        granted = true;
        // Holding the lock = keeping this callback's promise pending until release().
        return new Promise<void>((release) => resolve({ release: () => release() }));
      })
      .catch((e: unknown) => {
        if (granted) onLost(e instanceof Error ? e.message : String(e));
        else reject(e);
      });
  });
}
