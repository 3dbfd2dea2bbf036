// sendpay's `route` parameter, as Core Lightning v26.06+ parses it: each hop may use the getroute
// names (channel, id, amount_msat, delay) or the getroutes names (short_channel_id_dir,
// node_id_out, amount_out_msat, cltv_out), the newer name winning when both are present; unknown
// members (direction, style, ...) are ignored. Hops are checked one by one, and within a hop
// channel → node → amount → cltv; the first problem is reported as a `route` parameter error.
import { ok, failWith, type Outcome } from '../rpc/errors.js';
import { getMember, tokenText, type JsonToken } from '../rpc/json-parse.js';
import { parseAmountMsat } from '../rpc/msat.js';
import { badParam, type ParamContext, type ParamParser } from '../rpc/params.js';
import { parseNodeIdText, parseUnsigned, type PubkeyValidator } from '../rpc/parsers.js';
import { parseScidLenient } from './scid-text.js';

/** Hop i: the channel into node i, and what node i must receive. */
export type RouteHop = {
  readonly scid: bigint;
  readonly node_id: string;
  /** Amount delivered to node i. */
  readonly amount_msat: bigint;
  /** CLTV delta at node i (relative; 0 is accepted by sendpay). */
  readonly delay: number;
};

type Field<T> = {
  readonly names: readonly [string, string];
  readonly missing: string;
  readonly bad: string;
  readonly parse: (text: string) => T | undefined;
};

function field<T>(
  hop: JsonToken,
  f: Field<T>,
  name: string,
  ctx: ParamContext,
): Outcome<T> {
  const tok = getMember(hop, f.names[0]) ?? getMember(hop, f.names[1]);
  if (tok === undefined) return failWith(badParam(name, f.missing, hop, ctx));
  const v = f.parse(tokenText(tok));
  return v === undefined ? failWith(badParam(name, f.bad, tok, ctx)) : ok(v);
}

/** The route parser; `valid` checks node ids are curve points (crypto's isValidPubkey by default). */
export function paramRoute(valid?: PubkeyValidator): ParamParser<RouteHop[]> {
  const channel: Field<bigint> = {
    names: ['short_channel_id_dir', 'channel'],
    missing: 'must have either short_channel_id_dir or channel',
    bad: 'bad short_channel_id',
    parse: parseScidLenient,
  };
  const node: Field<string> = {
    names: ['node_id_out', 'id'],
    missing: 'must have either node_id_out or id',
    bad: 'bad node_id',
    parse: (t) => parseNodeIdText(t, valid),
  };
  const amount: Field<bigint> = {
    names: ['amount_out_msat', 'amount_msat'],
    missing: 'must have either amount_out_msat or amount_msat',
    bad: 'bad amount',
    parse: parseAmountMsat,
  };
  const cltv: Field<number> = {
    names: ['cltv_out', 'delay'],
    missing: 'must have either cltv_out or delay',
    bad: 'bad cltv_out/delay',
    parse: (t) => {
      const v = parseUnsigned(t, 0xffffffffn);
      return v === undefined ? undefined : Number(v);
    },
  };

  return (tok, name, ctx) => {
    if (tok.type !== 'array') return failWith(badParam(name, 'must be an array', tok, ctx));
    const hops: RouteHop[] = [];
    for (const hop of tok.items) {
      const s = field(hop, channel, name, ctx);
      if (!s.ok) return s;
      const n = field(hop, node, name, ctx);
      if (!n.ok) return n;
      const a = field(hop, amount, name, ctx);
      if (!a.ok) return a;
      const c = field(hop, cltv, name, ctx);
      if (!c.ok) return c;
      hops.push({ scid: s.value, node_id: n.value, amount_msat: a.value, delay: c.value });
    }
    return ok(hops);
  };
}
