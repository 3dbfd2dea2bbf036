// The JSON-RPC 2.0 request envelope as lightningd checks it (lightningd/jsonrpc.c), and the
// response/error objects it writes back. The request id is echoed exactly as received (raw token),
// so a client matching responses by id sees its own bytes.
import { JSONRPC2_INVALID_REQUEST, JSONRPC2_METHOD_NOT_FOUND, RpcError } from './errors.js';
import { getMember, JsonParseError, parseJson, type JsonToken } from './json-parse.js';
import { RawJson, stringifyJson, stringifyUnknown, type JsonOut } from './json-write.js';

export interface RpcRequest {
  /** The id token as received (string or primitive), echoed verbatim. */
  readonly id: JsonToken;
  readonly method: string;
  /** The `params` token; its array/object shape is checked by the parameter parser. */
  readonly params: JsonToken;
  /** CLN's output-filter member, tolerated and handed through unapplied. */
  readonly filter?: JsonToken;
}

/** A request that could not be accepted, with the id to answer (`null` when unusable). */
export interface EnvelopeFailure {
  readonly id: JsonToken | null;
  readonly error: RpcError;
}

export type EnvelopeResult = { readonly ok: true; readonly request: RpcRequest } | ({ readonly ok: false } & EnvelopeFailure);

const NULL_TOKEN: JsonToken = { type: 'null', full: 'null' };

function malformed(id: JsonToken | null, message: string): EnvelopeResult {
  return { ok: false, id, error: new RpcError(JSONRPC2_INVALID_REQUEST, message) };
}

/** Parse the text of one request. */
export function parseRequestText(text: string): EnvelopeResult {
  let tok: JsonToken;
  try {
    tok = parseJson(text);
  } catch (e) {
    if (e instanceof JsonParseError) return malformed(null, `Invalid token in json input: '${text}'`);
    throw e;
  }
  return parseRequestToken(tok);
}

/** Check an already parsed request object, in lightningd's order. */
export function parseRequestToken(tok: JsonToken): EnvelopeResult {
  if (tok.type !== 'object') return malformed(null, 'Expected {} for json command');
  const id = getMember(tok, 'id');
  if (id === undefined) return malformed(null, 'No id');
  if (id.type === 'object' || id.type === 'array') return malformed(null, 'Expected string/primitive for id');
  const jsonrpc = getMember(tok, 'jsonrpc');
  if (jsonrpc === undefined || jsonrpc.type !== 'string' || jsonrpc.raw !== '2.0') {
    return malformed(id, 'jsonrpc: "2.0" must be specified in the request');
  }
  const method = getMember(tok, 'method');
  const params = getMember(tok, 'params');
  if (method === undefined || params === undefined) return malformed(id, method ? 'No params' : 'No method');
  if (method.type !== 'string') return malformed(id, 'Expected string for method');
  const filter = getMember(tok, 'filter');
  const request: RpcRequest = filter === undefined ? { id, method: method.value, params } : { id, method: method.value, params, filter };
  return { ok: true, request };
}

export function unknownCommand(method: string): RpcError {
  return new RpcError(JSONRPC2_METHOD_NOT_FOUND, `Unknown command '${method}'`);
}

/** `{"jsonrpc":"2.0","id":…,"result":…}` as text; bigint values become JSON integers. */
export function successResponseText(id: JsonToken | null, result: JsonOut): string {
  return stringifyJson({ jsonrpc: '2.0', id: new RawJson((id ?? NULL_TOKEN).full), result });
}

/** `{"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…,"data":…}}` as text. */
export function errorResponseText(id: JsonToken | null, error: RpcError): string {
  return stringifyUnknown({ jsonrpc: '2.0', id: new RawJson((id ?? NULL_TOKEN).full), error: error.toJSON() });
}
