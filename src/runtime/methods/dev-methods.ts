// Developer-only methods (CLN's `dev-` prefix): present only when the node runs in developer mode,
// and each only where it makes sense. `dev-mine` drives the static chain, which otherwise confirms
// nothing: tests against peers that insist on confirmations (Electrum's minimum_depth 3) mine the
// synthetic funding transaction with it.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { JSONRPC2_INVALID_PARAMS, fail, ok, type Outcome } from '../../rpc/errors.js';
import { badParam, opt, optDef, type ParamParser } from '../../rpc/params.js';
import { textParser } from '../../rpc/parsers.js';
import { tokenText } from '../../rpc/json-parse.js';
import { isHex } from '../../util/bytes.js';
import { StaticChain } from '../../chain/static.js';
import { errorMessage } from '../../errors.js';
import type { CallContext, NodeServices } from '../services.js';

/** Blocks per dev-mine call: each one reaches every channel's block handler. */
const MAX_BLOCKS = 1000;

const paramBlocks: ParamParser<number> = textParser(`should be an integer from 1 to ${MAX_BLOCKS}`, (t) =>
  /^[0-9]+$/.test(t) && Number(t) >= 1 && Number(t) <= MAX_BLOCKS ? Number(t) : undefined,
);

/** An array of txids (32-byte hex, display order), returned lowercase. */
const paramTxids: ParamParser<string[]> = (tok, name, ctx): Outcome<string[]> => {
  if (tok.type !== 'array' || tok.items.some((i) => i.type !== 'string' || !isHex(tokenText(i), 32))) {
    return { ok: false, error: badParam(name, 'should be an array of txids (32 byte hex)', tok, ctx) };
  }
  return ok(tok.items.map((i) => tokenText(i).toLowerCase()));
};

export function devMethods(n: NodeServices): TableMethod<CallContext>[] {
  if (!n.pctx.developer) return [];
  const out: TableMethod<CallContext>[] = [];
  const chain = n.chain;
  if (chain instanceof StaticChain) {
    out.push(
      defineMethod({
        name: 'dev-mine',
        params: [optDef('blocks', paramBlocks, 1), opt('txids', paramTxids)] as const,
        handler: (p) => {
          for (const t of p.txids ?? []) {
            if (!chain.broadcasts.has(t)) return fail(JSONRPC2_INVALID_PARAMS, `txids: ${t} was never broadcast`);
          }
          try {
            return ok(chain.mine(p.blocks, p.txids));
          } catch (e) {
            // An already mined txid.
            return fail(JSONRPC2_INVALID_PARAMS, `txids: ${errorMessage(e)}`);
          }
        },
      }),
    );
  }
  return out;
}
