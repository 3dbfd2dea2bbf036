import { LightningError } from '../errors.js';

export type CryptoErrorCode =
  | 'NOT_INITIALIZED'
  | 'BAD_LENGTH'
  | 'INVALID_SECRET'
  | 'INVALID_PUBKEY'
  | 'INVALID_SIGNATURE'
  | 'INVALID_TWEAK'
  | 'TWEAK_OUT_OF_RANGE'
  | 'WASM_LOAD'
  /** The WASM module trapped (an internal failure, never caused by input); it was re-instantiated. */
  | 'WASM_TRAP'
  /** Sphinx: the hop payloads plus their 32-byte HMACs do not fit in the routing info. */
  | 'ONION_TOO_BIG';

export class CryptoError extends LightningError {
  constructor(
    override readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
