// Holds a database open until told to let go over a BroadcastChannel, so a test can try other
// opens (from other workers or pages) meanwhile. Posts {held: name} once open; on {release: name}
// it reads once more (to see whether it was failed meanwhile), closes, and reports.
import { openIndexedDbStore } from '../../../src/store/indexeddb.js';
import { TEST_CHANNEL, codeOf, notesSchema } from './store-fixtures.js';

interface HolderArgs {
  name: string;
  version?: 1 | 2;
  readOnly?: boolean;
  /** Hold a raw IndexedDB connection that ignores versionchange instead of a store. */
  raw?: boolean;
}

function waitForRelease(ch: BroadcastChannel, name: string): Promise<void> {
  return new Promise((resolve) => {
    ch.onmessage = (ev: MessageEvent<{ release?: string }>) => {
      if (ev.data.release === name) resolve();
    };
  });
}

export default async function storeHolder(raw: unknown): Promise<unknown> {
  const args = raw as HolderArgs;
  const ch = new BroadcastChannel(TEST_CHANNEL);
  const released = waitForRelease(ch, args.name);
  try {
    if (args.raw === true) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(args.name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      ch.postMessage({ held: args.name });
      await released;
      db.close();
      return { held: true };
    }
    const store = await openIndexedDbStore({ name: args.name, schema: notesSchema(args.version ?? 1), readOnly: args.readOnly });
    ch.postMessage({ held: args.name });
    await released;
    let afterwards: string;
    try {
      afterwards = `count ${await store.count('notes')}`;
    } catch (e) {
      afterwards = codeOf(e);
    }
    await store.close();
    return { held: true, afterwards };
  } finally {
    ch.close();
  }
}
