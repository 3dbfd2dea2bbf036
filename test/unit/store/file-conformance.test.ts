// The conformance suite against the file store: each database is a directory under a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { openFileStore } from '../../../src/store/file.js';
import { conformanceChecks, runCheck, type ConformanceTarget } from '../../support/store-conformance.js';

const base = mkdtempSync(join(tmpdir(), 'lw-file-conformance-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const target: ConformanceTarget = {
  backend: 'file',
  open: (name, schema, opts) => openFileStore({ name: join(base, name), schema, readOnly: opts?.readOnly }),
};

describe('file store conformance', () => {
  for (const check of conformanceChecks) it(check.name, () => runCheck(target, check, 'file'));
});
