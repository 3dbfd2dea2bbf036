// Locations of ../shared (vectors, interop scripts) for tests, overridable with LW_SHARED_DIR.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = process.env.LW_SHARED_DIR ?? resolve(REPO_ROOT, '../shared');
export const VECTORS_DIR = resolve(SHARED_DIR, 'vectors');
export const INTEROP_DIR = resolve(SHARED_DIR, 'interop');
/** Debian's python (Electrum lives in its dist-packages). */
export const PYTHON = process.env.LW_PYTHON ?? '/usr/bin/python3';

export function loadVector<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(resolve(VECTORS_DIR, file), 'utf8')) as T;
}
