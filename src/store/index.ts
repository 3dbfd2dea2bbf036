// The store layer's browser-safe surface: the contract, the memory and IndexedDB stores, and the
// persistent-storage request. The file store (`./file.js`) uses node:fs and is imported directly
// by Node entry points only, so that bundling this module for a browser pulls in no Node code.
export * from './types.js';
export { createMemoryVolume, openMemoryStore, MemoryVolume, type MemoryStoreOptions } from './memory.js';
export { openIndexedDbStore, type IndexedDbStoreOptions } from './indexeddb.js';
export { requestPersistentStorage, type PersistenceOutcome } from './persistence.js';
