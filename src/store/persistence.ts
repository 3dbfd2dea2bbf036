// Persistent storage: without it a browser may evict IndexedDB under storage pressure, which
// for a Lightning node means losing channel state. The runtime decides when to ask (browsers
// only grant it from a page, often only after user engagement) and reports the outcome.
export type PersistenceOutcome =
  | { status: 'persisted'; alreadyPersisted: boolean; usage?: number; quota?: number }
  | { status: 'denied'; usage?: number; quota?: number }
  | { status: 'unsupported'; reason: string };

export async function requestPersistentStorage(): Promise<PersistenceOutcome> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (storage === undefined) return { status: 'unsupported', reason: 'navigator.storage is not available in this runtime' };
  const estimate = typeof storage.estimate === 'function' ? await storage.estimate() : {};
  const sizes = { usage: estimate.usage, quota: estimate.quota };
  if (typeof storage.persisted === 'function' && (await storage.persisted())) {
    return { status: 'persisted', alreadyPersisted: true, ...sizes };
  }
  // StorageManager.persist() is exposed to pages only, not to workers.
  if (typeof storage.persist !== 'function') {
    return { status: 'unsupported', reason: 'navigator.storage.persist() is only available on a page, not in a worker' };
  }
  return (await storage.persist()) ? { status: 'persisted', alreadyPersisted: false, ...sizes } : { status: 'denied', ...sizes };
}
