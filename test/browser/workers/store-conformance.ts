// Runs the store conformance suite against real IndexedDB inside this module Worker.
import { openIndexedDbStore } from '../../../src/store/indexeddb.js';
import { runConformance, type ConformanceTarget } from '../../support/store-conformance.js';

export default async function storeConformance(args: unknown): Promise<unknown> {
  const only = (args as { only?: string[] } | undefined)?.only;
  const target: ConformanceTarget = {
    backend: 'indexeddb',
    open: (name, schema, opts) => openIndexedDbStore({ name, schema, readOnly: opts?.readOnly }),
  };
  return runConformance(target, only);
}
