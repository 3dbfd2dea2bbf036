// A method table and the request cycle around it: envelope → method lookup → param() → handler →
// response. The runtime fills the table (its handlers do the IO); this module only knows CLN's
// conventions. Both JSON text (the daemon's socket) and JS values (Comlink, in-process calls) enter
// through the same token path, so both see identical parsing and identical errors.
import { errorMessage } from '../errors.js';
import { JSONRPC2_INVALID_PARAMS, LIGHTNINGD, RpcError, failWith, type Outcome } from './errors.js';
import { errorResponseText, parseRequestText, successResponseText, unknownCommand } from './envelope.js';
import type { JsonToken } from './json-parse.js';
import { tokenFromValue, type JsonOut } from './json-write.js';
import { DEFAULT_PARAM_CONTEXT, parseParams, type AnyParamSpec, type ParamContext, type ParamsOf } from './params.js';

export interface RpcMethod<S extends readonly AnyParamSpec[], C, R extends JsonOut> {
  readonly name: string;
  readonly params: S;
  handler(params: ParamsOf<S>, ctx: C): Outcome<R> | Promise<Outcome<R>>;
}

/** A table entry with its parameter types erased, so methods of different shapes share a table. */
export interface TableMethod<C> {
  readonly name: string;
  readonly params: readonly AnyParamSpec[];
  call(params: JsonToken, ctx: C, pctx: ParamContext): Promise<Outcome<JsonOut>>;
}

export function defineMethod<S extends readonly AnyParamSpec[], C, R extends JsonOut>(m: RpcMethod<S, C, R>): TableMethod<C> {
  return {
    name: m.name,
    params: m.params,
    async call(params, ctx, pctx) {
      const parsed = parseParams(m.params, params, pctx);
      if (!parsed.ok) return parsed;
      return m.handler(parsed.value, ctx);
    },
  };
}

export type MethodTable<C> = ReadonlyMap<string, TableMethod<C>>;

export function methodTable<C>(methods: readonly TableMethod<C>[]): MethodTable<C> {
  return new Map(methods.map((m) => [m.name, m]));
}

/** Runs a method; a thrown RpcError becomes an error outcome, anything else a -1 (CLN's catch-all). */
async function run<C>(m: TableMethod<C>, params: JsonToken, ctx: C, pctx: ParamContext): Promise<Outcome<JsonOut>> {
  try {
    return await m.call(params, ctx, pctx);
  } catch (e) {
    if (e instanceof RpcError) return failWith(e);
    return failWith(new RpcError(LIGHTNINGD, errorMessage(e)));
  }
}

/** Call by method name with JS values as params (array = positional, object = named). */
export async function dispatchValues<C>(
  table: MethodTable<C>,
  method: string,
  params: unknown,
  ctx: C,
  pctx: ParamContext = DEFAULT_PARAM_CONTEXT,
): Promise<Outcome<JsonOut>> {
  const m = table.get(method);
  if (m === undefined) return failWith(unknownCommand(method));
  let tok: JsonToken;
  try {
    tok = tokenFromValue(params === undefined ? {} : params);
  } catch (e) {
    return failWith(new RpcError(JSONRPC2_INVALID_PARAMS, `Cannot encode params: ${errorMessage(e)}`));
  }
  return run(m, tok, ctx, pctx);
}

/** One JSON-RPC request text in, one response text out. */
export async function dispatchText<C>(
  table: MethodTable<C>,
  text: string,
  ctx: C,
  pctx: ParamContext = DEFAULT_PARAM_CONTEXT,
): Promise<string> {
  const env = parseRequestText(text);
  if (!env.ok) return errorResponseText(env.id, env.error);
  const { id, method, params } = env.request;
  const m = table.get(method);
  if (m === undefined) return errorResponseText(id, unknownCommand(method));
  const out = await run(m, params, ctx, pctx);
  return out.ok ? successResponseText(id, out.value) : errorResponseText(id, out.error);
}
