// Typed errors of the proxy layer: configuration and command-line mistakes. Relay failures are
// not thrown at callers; they end the WebSocket with a code from close-codes.ts.
import { LightningError } from '../errors.js';

export type ProxyErrorCode = 'BAD_CONFIG' | 'BAD_ADDRESS' | 'BAD_ARGUMENT';

export class ProxyError extends LightningError {
  constructor(
    override readonly code: ProxyErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
