// A read-only view (another tab holds the database's writer lock): only methods that read what
// the writer stored, or compute without state, may run here. Anything that would send, sign,
// connect or write is refused up front with a message saying why, rather than failing halfway
// inside the node with a store error.
import { LIGHTNINGD, RpcError } from '../rpc/errors.js';

const READ_METHODS: ReadonlySet<string> = new Set([
  'getinfo',
  'listsendpays',
  'listpays',
  'listinvoices',
  'listpeers',
  'listpeerchannels',
  'listfunds',
  'listchannels',
  'listnodes',
  'decode',
  'decodepay',
  'help',
]);

export function allowedReadOnly(method: string): boolean {
  return READ_METHODS.has(method);
}

export function readOnlyRefusal(method: string, dbName: string | undefined): RpcError {
  const db = dbName === undefined ? 'the database' : `database ${dbName}`;
  return new RpcError(
    LIGHTNINGD,
    `${method} is not available in a read-only view: ${db} is open in another tab, which runs the node; only read methods (listsendpays, listpays, listinvoices, getinfo, …) work here`,
  );
}
