// The root of every typed error in the project. Each layer subclasses it with its own `code`
// vocabulary; boundaries (RPC, peer connections) convert these into wire errors or RpcError.
// A raw TypeError/RangeError escaping a decoder is a bug: fuzz tests assert `instanceof LightningError`.
export class LightningError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export function isLightningError(e: unknown): e is LightningError {
  return e instanceof LightningError;
}

/** Message of any thrown value, for logs and diagnostics (never include secrets in messages). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
