// Method results as the in-process and Worker APIs hand them out: plain structured-clone values.
// u64 fields stay bigint exactly as the methods produced them; RawJson (text kept verbatim for
// the daemon's socket) is parsed into its value.
import { RawJson, tokenToValue, type JsonOut } from '../rpc/json-write.js';
import { parseJson } from '../rpc/json-parse.js';
import type { RpcValue } from './types.js';

export function fromRpcJson(v: JsonOut | undefined): RpcValue {
  if (v === undefined || v === null) return null;
  if (v instanceof RawJson) return tokenToValue(parseJson(v.text)) as RpcValue;
  if (Array.isArray(v)) return (v as readonly JsonOut[]).map(fromRpcJson);
  if (typeof v === 'object') {
    const out: { [k: string]: RpcValue } = {};
    for (const [k, x] of Object.entries(v as { readonly [key: string]: JsonOut | undefined })) {
      if (x !== undefined) out[k] = fromRpcJson(x);
    }
    return out;
  }
  return v as RpcValue;
}
