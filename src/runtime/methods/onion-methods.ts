// createonion and decode (bolt11) with Core Lightning's parameters and results.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { RpcError, ok, type Outcome } from '../../rpc/errors.js';
import { badParam, opt, req, type ParamParser } from '../../rpc/params.js';
import { paramString, paramU32 } from '../../rpc/parsers.js';
import { tokenText, type JsonToken } from '../../rpc/json-parse.js';
import type { JsonOut } from '../../rpc/json-write.js';
import { createOnion, CREATE_ONION_FAILED } from '../../onion/createonion.js';
import { OnionError } from '../../onion/errors.js';
import { clnDecodeBolt11 } from '../../invoice/cln-decode.js';
import { InvoiceError } from '../../invoice/errors.js';
import type { CallContext, NodeServices } from '../services.js';

type Hop = { pubkey: string; payload: string };

const paramHops: ParamParser<Hop[]> = (tok: JsonToken, name, ctx): Outcome<Hop[]> => {
  const bad = (why: string, t: JsonToken = tok): Outcome<Hop[]> => ({ ok: false, error: badParam(name, why, t, ctx) });
  if (tok.type !== 'array') return bad('must be an array');
  const hops: Hop[] = [];
  for (const item of tok.items) {
    if (item.type !== 'object') return bad('hop must be an object', item);
    const get = (k: string) => item.members.find((m) => m.key === k)?.value;
    const pubkey = get('pubkey');
    const payload = get('payload');
    if (!pubkey || pubkey.type !== 'string' || !payload || payload.type !== 'string') return bad('hop needs pubkey and payload', item);
    hops.push({ pubkey: tokenText(pubkey), payload: tokenText(payload) });
  }
  return ok(hops);
};

export function onionMethods(n: NodeServices): TableMethod<CallContext>[] {
  return [
    defineMethod({
      name: 'createonion',
      params: [req('hops', paramHops), req('assocdata', paramString), opt('session_key', paramString), opt('onion_size', paramU32)] as const,
      handler: (p) => {
        try {
          const r = createOnion({
            hops: p.hops,
            assocdata: p.assocdata,
            ...(p.session_key !== undefined ? { session_key: p.session_key } : {}),
            ...(p.onion_size !== undefined ? { onion_size: p.onion_size } : {}),
          });
          return ok({ onion: r.onion, shared_secrets: r.shared_secrets });
        } catch (e) {
          if (e instanceof OnionError && e.code === 'ONION_TOO_BIG') throw new RpcError(-1, CREATE_ONION_FAILED);
          if (e instanceof OnionError) throw new RpcError(-32602, e.message);
          throw e;
        }
      },
    }),
    defineMethod({
      name: 'decode',
      params: [req('string', paramString)] as const,
      handler: (p) => {
        try {
          const d = clnDecodeBolt11(p.string);
          if (d.currency !== undefined && n.network !== networkOfCurrency(d.currency)) {
            return { ok: false, error: new RpcError(-32602, `string: Invoice is for another network ${d.currency}: invalid token '${p.string}'`) };
          }
          return ok(d as unknown as JsonOut);
        } catch (e) {
          if (e instanceof InvoiceError) return { ok: false, error: new RpcError(-32602, `string: ${e.message}: invalid token '${p.string}'`) };
          throw e;
        }
      },
    }),
  ];
}

function networkOfCurrency(c: string): string {
  return ({ bc: 'bitcoin', tb: 'testnet', tbs: 'signet', bcrt: 'regtest', sb: 'simnet' } as Record<string, string>)[c] ?? c;
}
