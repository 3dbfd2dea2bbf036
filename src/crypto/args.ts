// Argument checks shared by the crypto entry points: the module only ever sees byte arrays of
// the lengths it expects, and callers get CryptoError('BAD_LENGTH') instead of a raw TypeError.
import { CryptoError } from './errors.js';
import type { Bytes } from '../util/bytes.js';

/** Asserts `b` is a Uint8Array, of length `n` (or one of the lengths) when given. */
export function requireBytes(name: string, b: unknown, n?: number | readonly number[]): asserts b is Bytes {
  if (!(b instanceof Uint8Array)) throw new CryptoError('BAD_LENGTH', `${name} must be a Uint8Array`);
  if (n === undefined) return;
  const ok = typeof n === 'number' ? b.length === n : n.includes(b.length);
  if (!ok) throw new CryptoError('BAD_LENGTH', `${name} has length ${b.length}, expected ${String(n)}`);
}
