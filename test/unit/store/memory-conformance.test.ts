// The conformance suite against the memory store (databases on a MemoryVolume outlive close).
import { describe, it } from 'vitest';
import { createMemoryVolume, openMemoryStore } from '../../../src/store/memory.js';
import { conformanceChecks, runCheck, type ConformanceTarget } from '../../support/store-conformance.js';

const volume = createMemoryVolume();
const target: ConformanceTarget = {
  backend: 'memory',
  open: (name, schema, opts) => openMemoryStore({ name, schema, volume, readOnly: opts?.readOnly }),
};

describe('memory store conformance', () => {
  for (const check of conformanceChecks) it(check.name, () => runCheck(target, check, 'mem'));
});
