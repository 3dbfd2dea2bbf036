// Developer-only methods (CLN's `dev-` prefix): present only when the node runs in developer mode,
// and each only where it makes sense. `dev-mine` drives the static chain, which otherwise confirms
// nothing: tests against peers that insist on confirmations (Electrum's minimum_depth 3) mine the
// synthetic funding transaction with it. `dev-chain-feerate` sets the static chain's fee estimate
// (what a funder's update_fee follows); `dev-feerate` (Core Lightning's) makes us send update_fee
// with a given feerate, whatever our policy says, to see how the peer answers.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { JSONRPC2_INVALID_PARAMS, fail, ok, type Outcome } from '../../rpc/errors.js';
import { badParam, opt, optDef, req, type ParamParser } from '../../rpc/params.js';
import { paramNodeId, paramU32, textParser } from '../../rpc/parsers.js';
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

const paramFeeratePerKw: ParamParser<number> = textParser('should be a feerate in sat per 1000 weight, at least 1', (t) =>
  /^[0-9]+$/.test(t) && Number(t) >= 1 && Number(t) <= 0xffffffff ? Number(t) : undefined,
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
      defineMethod({
        name: 'dev-chain-feerate',
        params: [req('feerate', paramFeeratePerKw)] as const,
        handler: async (p) => {
          chain.setFeerate(p.feerate);
          // Like a new estimate from bitcoind: funders look at their channels' feerates now.
          await n.channels.updateFeerates();
          return ok({ perkw: p.feerate });
        },
      }),
    );
  }
  out.push(
    defineMethod({
      name: 'dev-feerate',
      params: [req('id', paramNodeId()), req('feerate', paramU32)] as const,
      handler: async (p) => {
        const live = n.channels.ofPeer(p.id).filter((c) => c.persisted && c.record.state === 'NORMAL');
        if (live.length !== 1) return fail(-1, live.length === 0 ? 'Peer has no channel in state CHANNELD_NORMAL' : 'Peer has multiple channels');
        try {
          await n.channels.forceFeerate(live[0]!.record.channel_id, p.feerate);
        } catch (e) {
          return fail(-1, errorMessage(e));
        }
        return ok({ id: p.id, feerate: p.feerate });
      },
    }),
  );
  return out;
}
