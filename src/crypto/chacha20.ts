// ChaCha20 stream cipher (RFC 8439: 256-bit key, 96-bit nonce, 32-bit block counter), as BOLT 4
// uses it for the Sphinx rho/um/ammag streams (zero nonce). Runs in the WASM module.
import { requireBytes } from './args.js';
import { CryptoError } from './errors.js';
import { activeWasm } from './wasm-instance.js';
import type { Bytes } from '../util/bytes.js';


/**
 * XORs `data` with the key stream that starts at block `counter` and returns the result (a new
 * array; `data` is untouched). With zero-filled data this returns the key stream itself.
 */
export function chacha20(key: Bytes, nonce12: Bytes, data: Bytes, counter = 0): Bytes {
  requireBytes('key', key, 32);
  requireBytes('nonce', nonce12, 12);
  requireBytes('data', data);
  const blocks = Math.ceil(data.length / 64);
  if (!Number.isInteger(counter) || counter < 0 || counter + blocks > 2 ** 32) {
    throw new CryptoError('BAD_LENGTH', 'ChaCha20 block counter out of range (32-bit counter would wrap)');
  }
  return activeWasm().call(true, (x, a) => {
    const buf = a.put(data);
    x.lw_chacha20(buf, buf, data.length, a.put(key), a.put(nonce12), counter >>> 0);
    return a.read(buf, data.length);
  });
}
