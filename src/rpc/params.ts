// Core Lightning's param() machinery (common/json_param.c), restated: a method declares its
// parameters in positional order; a request supplies them positionally (array; JSON null means
// "not supplied") or by name (object; null is NOT absent and goes to the parser). Supplied values
// are parsed in request order and the first failure wins; "missing required parameter" is checked
// only after every supplied value parsed. Messages are CLN's, verbatim.
import { JSONRPC2_INVALID_PARAMS, RpcError, ok, failWith, type Outcome } from './errors.js';
import type { JsonToken } from './json-parse.js';

export interface ParamContext {
  /**
   * Core Lightning with developer APIs enabled (every CLN test node) quotes the offending token in
   * parameter errors and accepts dev-only parameters. Default true: that is the text CLN's own test
   * suite, and therefore most client code written against it, sees.
   */
  readonly developer: boolean;
}

export const DEFAULT_PARAM_CONTEXT: ParamContext = { developer: true };

/** Parses one token; `name` is the parameter name used in error messages. */
export type ParamParser<T> = (tok: JsonToken, name: string, ctx: ParamContext) => Outcome<T>;

/** required: p_req; optional: p_opt (undefined when absent); default: p_opt_def; dev: p_opt_dev. */
export type ParamStyle = 'required' | 'optional' | 'default' | 'dev';

export interface ParamSpec<N extends string, T, S extends ParamStyle> {
  readonly name: N;
  readonly style: S;
  readonly parse: ParamParser<T>;
  /** Value when not supplied (styles 'default' and 'dev'). */
  readonly fallback?: T;
}

export type AnyParamSpec = ParamSpec<string, unknown, ParamStyle>;

export function req<N extends string, T>(name: N, parse: ParamParser<T>): ParamSpec<N, T, 'required'> {
  return { name, style: 'required', parse };
}
export function opt<N extends string, T>(name: N, parse: ParamParser<T>): ParamSpec<N, T, 'optional'> {
  return { name, style: 'optional', parse };
}
export function optDef<N extends string, T>(name: N, parse: ParamParser<T>, fallback: T): ParamSpec<N, T, 'default'> {
  return { name, style: 'default', parse, fallback };
}
/** A developer-only parameter with a default; supplying it without developer mode is an error. */
export function devDef<N extends string, T>(name: N, parse: ParamParser<T>, fallback: T): ParamSpec<N, T, 'dev'> {
  return { name, style: 'dev', parse, fallback };
}

/** The typed result of parsing against a spec list: optional parameters may be undefined. */
export type ParamsOf<S extends readonly AnyParamSpec[]> = {
  [P in S[number] as P['name']]: P extends ParamSpec<string, infer T, infer St> ? (St extends 'optional' ? T | undefined : T) : never;
};

export function invalidParams(message: string): RpcError {
  return new RpcError(JSONRPC2_INVALID_PARAMS, message);
}

/** CLN's command_fail_badparam: `NAME: REASON: invalid token 'TOKEN'` (token as written). */
export function badParam(name: string, reason: string, tok: JsonToken, ctx: ParamContext): RpcError {
  return invalidParams(
    ctx.developer
      ? `${name}: ${reason}: invalid token '${tok.full}'`
      : `${name}: ${reason}: invalid token (see logs for details)`,
  );
}

/** Parse a `params` token (array or object) against a method's parameter list. */
export function parseParams<S extends readonly AnyParamSpec[]>(
  specs: S,
  params: JsonToken,
  ctx: ParamContext = DEFAULT_PARAM_CONTEXT,
): Outcome<ParamsOf<S>> {
  const values = new Map<string, unknown>();

  const supply = (spec: AnyParamSpec, tok: JsonToken): RpcError | undefined => {
    const r = spec.parse(tok, spec.name, ctx);
    if (!r.ok) return r.error;
    values.set(spec.name, r.value);
    return undefined;
  };

  if (params.type === 'array') {
    for (let i = 0; i < params.items.length; i++) {
      const spec = specs[i];
      if (spec === undefined) {
        return failWith(invalidParams(`too many parameters: got ${params.items.length}, expected ${specs.length}`));
      }
      const tok = params.items[i]!;
      if (tok.type === 'null') continue;
      if (spec.style === 'dev' && !ctx.developer) return failWith(invalidParams(`Parameter ${i} is developer-only`));
      const err = supply(spec, tok);
      if (err) return failWith(err);
    }
  } else if (params.type === 'object') {
    for (const m of params.members) {
      const spec = specs.find((s) => s.name === m.key);
      if (spec === undefined) {
        return failWith(
          invalidParams(
            `unknown parameter: ${m.key}, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.`,
          ),
        );
      }
      if (values.has(spec.name)) return failWith(invalidParams(`duplicate json names: ${spec.name}`));
      if (spec.style === 'dev' && !ctx.developer) return failWith(invalidParams(`Parameter '${spec.name}' is developer-only`));
      const err = supply(spec, m.value);
      if (err) return failWith(err);
    }
  } else {
    return failWith(invalidParams('Expected array or object for params'));
  }

  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    if (values.has(spec.name)) {
      out[spec.name] = values.get(spec.name);
    } else if (spec.style === 'required') {
      return failWith(invalidParams(`missing required parameter: ${spec.name}`));
    } else {
      out[spec.name] = spec.fallback;
    }
  }
  // The mapped type cannot be built incrementally; every spec name was assigned above.
  return ok(out as ParamsOf<S>);
}
