// What requestPersistentStorage reports inside a Worker (persist() is a page-only API).
import { requestPersistentStorage } from '../../../src/store/persistence.js';

export default async function storePersist(): Promise<unknown> {
  return requestPersistentStorage();
}
