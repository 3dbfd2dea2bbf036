// Why `startLightningWorker` rejected. Starting is not a Core Lightning method, so this is not an
// RpcError: `code` is the runtime's reason ('LOCKED' when another tab holds the database, 'SCHEMA',
// 'WASM_LOAD', …; 'WORKER' when the Worker itself could not run).
import { LightningError } from '../errors.js';

export class WorkerStartError extends LightningError {
  // Spelled out: LightningError takes the constructor's name, which a minified bundle shortens.
  override readonly name = 'WorkerStartError';
}

/** The message for the page: for LOCKED, also what the caller can do about it. */
export function startErrorMessage(code: string, message: string): string {
  if (code !== 'LOCKED') return message;
  return `${message}; only one tab can run a node on a database (pass readOnlyIfLocked: true for a read-only view here)`;
}
