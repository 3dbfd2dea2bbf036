// Smoke check of the harness: a module Worker with WebCrypto and IndexedDB.
export default async function smoke(args: unknown): Promise<unknown> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array([1, 2, 3])));
  return { args, digestByte0: digest[0], hasIndexedDB: typeof indexedDB !== 'undefined', hasLocks: typeof navigator.locks !== 'undefined' };
}
