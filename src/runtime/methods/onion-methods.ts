// createonion and decode (bolt11) with Core Lightning's parameters, messages and results.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { LIGHTNINGD, RpcError, failWith, ok, type Outcome } from '../../rpc/errors.js';
import { badParam, invalidParams, opt, req, type ParamParser } from '../../rpc/params.js';
import { paramNumber, paramSecret } from '../../rpc/parsers.js';
import { getMember, tokenText, type JsonToken } from '../../rpc/json-parse.js';
import type { JsonOut } from '../../rpc/json-write.js';
import { isHex } from '../../util/bytes.js';
import { createOnion, parseHopPubkey } from '../../onion/createonion.js';
import { OnionError } from '../../onion/errors.js';
import { clnDecodeBolt11, type ClnBolt11Decode } from '../../invoice/cln-decode.js';
import { InvoiceError } from '../../invoice/errors.js';
import type { CallContext } from '../services.js';

type Hop = { pubkey: string; payload: string };

/** CLN's param_hops_array, check for check and message for message. */
const paramHops: ParamParser<Hop[]> = (tok: JsonToken, name, ctx): Outcome<Hop[]> => {
  if (tok.type !== 'array') return failWith(badParam(name, 'should be an array of hops', tok, ctx));
  const hops: Hop[] = [];
  for (const [i, item] of tok.items.entries()) {
    const payload = getMember(item, 'payload');
    const pubkey = getMember(item, 'pubkey');
    if (pubkey === undefined) return failWith(invalidParams(`Hop ${i} does not have a pubkey`));
    if (payload === undefined) return failWith(invalidParams(`Hop ${i} does not have a payload`));
    if (parseHopPubkey(tokenText(pubkey)) === undefined) return failWith(badParam(name, 'should be a pubkey', pubkey, ctx));
    if (!isHex(tokenText(payload))) return failWith(badParam(name, 'should be hex', payload, ctx));
    hops.push({ pubkey: tokenText(pubkey), payload: tokenText(payload) });
  }
  if (hops.length === 0) return failWith(invalidParams('At least one hop must be specified.'));
  return ok(hops);
};

/**
 * Hex bytes. Core Lightning's param_bin_from_hex tests the wrong pointer and so never fails: bad
 * assocdata silently becomes *empty* associated data and the onion commits to nothing. We refuse
 * it with the message CLN's code intends, since an onion bound to the wrong payment hash is
 * useless and the silent form would hide a caller's bug.
 */
const paramHexString: ParamParser<string> = (tok, name, ctx) =>
  isHex(tokenText(tok)) ? ok(tokenText(tok)) : failWith(badParam(name, 'should be a hex value', tok, ctx));

/**
 * CLN decodes inside the parameter parser (param_decodable), so an undecodable string is a
 * parameter error quoting the token. Only the BOLT 11 branch exists here. The invoice's network
 * is not checked: `decode` passes no chain to the decoder, so another network's invoice decodes
 * and says which in `currency`.
 */
const paramDecodable: ParamParser<ClnBolt11Decode> = (tok, name, ctx) => {
  try {
    return ok(clnDecodeBolt11(tokenText(tok)));
  } catch (e) {
    // Core Lightning's decoder words where it has its own for the refusal.
    if (e instanceof InvoiceError) return failWith(badParam(name, e.clnReason ?? e.message, tok, ctx));
    throw e;
  }
};

export function onionMethods(): TableMethod<CallContext>[] {
  return [
    defineMethod({
      name: 'createonion',
      params: [req('hops', paramHops), req('assocdata', paramHexString), opt('session_key', paramSecret), opt('onion_size', paramNumber)] as const,
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
          if (!(e instanceof OnionError)) throw e;
          return failWith(e.code === 'ONION_CREATE_FAILED' ? new RpcError(LIGHTNINGD, e.message) : invalidParams(e.message));
        }
      },
    }),
    defineMethod({
      name: 'decode',
      params: [req('string', paramDecodable)] as const,
      handler: (p) => ok(p.string as unknown as JsonOut),
    }),
  ];
}
