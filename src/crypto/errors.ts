import { LightningError } from '../errors.js';

export type CryptoErrorCode =
  | 'NOT_INITIALIZED'
  | 'BAD_LENGTH'
  | 'INVALID_SECRET'
  | 'INVALID_PUBKEY'
  | 'INVALID_SIGNATURE'
  | 'INVALID_TWEAK'
  | 'TWEAK_OUT_OF_RANGE'
  | 'WASM_LOAD';

export class CryptoError extends LightningError {
  constructor(
    override readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
