// bitcoind's JSON-RPC over HTTP (what bitcoin-cli speaks): one POST per call, basic auth from the
// URL, errors as ChainError with bitcoind's code so callers can tell "not found" from "down".
import { ChainError } from './types.js';
import { asObject, readText } from './json.js';

/** bitcoind's error codes that change what we do (src/rpc/protocol.h). */
export const RPC = {
  /** Wallet refused (fundrawtransaction: "Insufficient funds" before v0.21 and since). */
  WALLET_ERROR: -4,
  /** Unknown txid, address or key. */
  INVALID_ADDRESS_OR_KEY: -5,
  WALLET_INSUFFICIENT_FUNDS: -6,
  WALLET_UNLOCK_NEEDED: -13,
  WALLET_NOT_FOUND: -18,
  WALLET_NOT_SPECIFIED: -19,
  /** Also what a bitcoind built or started without a wallet answers to wallet calls. */
  METHOD_NOT_FOUND: -32601,
} as const;

export function isRpcError(e: unknown, ...codes: number[]): boolean {
  return e instanceof ChainError && e.code === 'RPC' && e.rpcCode !== undefined && codes.includes(e.rpcCode);
}

/** The wallet is absent or cannot be addressed: it simply cannot tell us about a transaction. */
export function isNoWalletAnswer(e: unknown): boolean {
  return isRpcError(e, RPC.INVALID_ADDRESS_OR_KEY, RPC.WALLET_NOT_FOUND, RPC.WALLET_NOT_SPECIFIED, RPC.METHOD_NOT_FOUND);
}

export class BitcoindRpc {
  private readonly endpoint: string;
  private readonly auth: string | undefined;
  private readonly doFetch: typeof fetch;
  private nextId = 1;

  /** `url`: http://user:pass@host:port[/wallet/NAME]; the credentials never appear in errors. */
  constructor(url: string, doFetch?: typeof fetch) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new ChainError('BAD_SPEC', 'bitcoind URL must look like http://user:pass@host:port');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ChainError('BAD_SPEC', 'bitcoind URL must be http(s)');
    this.auth = u.username ? btoa(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`) : undefined;
    u.username = '';
    u.password = '';
    this.endpoint = u.toString();
    this.doFetch = doFetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async call(method: string, params: unknown[] = []): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.auth) headers.authorization = `Basic ${this.auth}`;
    const what = `bitcoind ${method}`;
    let res: Response;
    try {
      res = await this.doFetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '1.0', id: this.nextId++, method, params }),
      });
    } catch (e) {
      throw new ChainError('HTTP', `${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
    // bitcoind answers an unknown user or wrong password with an empty 401.
    if (res.status === 401 || res.status === 403) {
      throw new ChainError('HTTP', `${what}: bitcoind refused the RPC credentials (HTTP ${res.status})`, { httpStatus: res.status });
    }
    // RPC errors come with HTTP 500 (404 for unknown methods) and a JSON body: read it either way.
    const text = await readText(res, what);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      throw new ChainError(res.ok ? 'BAD_RESPONSE' : 'HTTP', `${what}: HTTP ${res.status} without a JSON body`, { httpStatus: res.status });
    }
    const body = asObject(parsed, what);
    if (body.error !== null && body.error !== undefined) {
      const err = asObject(body.error, `${what} error`);
      const code = typeof err.code === 'number' ? err.code : undefined;
      const message = typeof err.message === 'string' ? err.message.slice(0, 300) : 'error';
      throw new ChainError('RPC', `${what}: ${message} (${code ?? '?'})`, { httpStatus: res.status, ...(code !== undefined ? { rpcCode: code } : {}) });
    }
    if (!('result' in body)) throw new ChainError('BAD_RESPONSE', `${what}: reply has neither result nor error`);
    return body.result;
  }
}
