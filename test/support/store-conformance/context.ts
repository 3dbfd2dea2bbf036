// What a conformance check gets: the backend under test, fresh database names, and an `open`
// that remembers every store so the runner can close them (releasing locks) even after a failure.
import type { Store, StoreSchema } from '../../../src/store/types.js';

export interface ConformanceTarget {
  readonly backend: Store['backend'];
  /** Opens database `name`; the same name reaches the same data after close (like a profile or a disk). */
  open(name: string, schema: StoreSchema, opts?: { readOnly?: boolean }): Promise<Store>;
}

export interface CheckContext {
  readonly backend: Store['backend'];
  /** A database name no other check (or run) uses. */
  fresh(label?: string): string;
  open(name: string, schema: StoreSchema, opts?: { readOnly?: boolean }): Promise<Store>;
}

export interface ConformanceCheck {
  name: string;
  run(ctx: CheckContext): Promise<void>;
}
