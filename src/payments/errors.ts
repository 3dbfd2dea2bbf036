// Programming errors of the payments layer (wrong use by the runtime, never user input: user input
// errors are RpcError values with CLN's codes).
import { LightningError } from '../errors.js';

export type PaymentsErrorCode =
  | 'NOT_PENDING'
  | 'MISSING_CONTEXT'
  | 'NO_SUCH_ATTEMPT'
  /** The runtime's payments service after one of its store commits failed (the node is stopping). */
  | 'STOPPED';

export class PaymentsError extends LightningError {
  constructor(
    override readonly code: PaymentsErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
