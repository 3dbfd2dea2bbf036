// Core Lightning's `close`: mutual close with the peer, or our commitment on chain once
// `unilateraltimeout` seconds pass without agreement (0: wait for ever). `destination` is where our
// closing output goes; `feerange` ([min, max] feerates) becomes our closing fee_range;
// `fee_negotiation_step` (N% or N sat) asks for the legacy negotiation with that step. Options we
// cannot honour are refused with Core Lightning's errors; the result is `{ type, tx, txid }`.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { JSONRPC2_INVALID_PARAMS, RpcError, fail, ok, type Outcome } from '../../rpc/errors.js';
import { badParam, opt, optDef, req, type ParamParser } from '../../rpc/params.js';
import { paramBool, paramFeerate, paramU32, textParser, type Feerate } from '../../rpc/parsers.js';
import { tokenText, type JsonToken } from '../../rpc/json-parse.js';
import { parseScid } from '../../wire/scid.js';
import { decodeSegwitAddress, segwitHrp } from '../../channel/bitcoin/address.js';
import { equalBytes, toHex } from '../../util/bytes.js';
import { errorMessage } from '../../errors.js';
import { scheduleLong } from '../../payments/clock.js';
import { CLN_STATE, isValidShutdownScript, type Channel, type FeeStep, type ShutdownOptions } from '../../channel/state/index.js';
import type { CallContext, NodeServices } from '../services.js';

// common/jsonrpc_errors.h
const LIGHTNINGD = -1;

/** CLN channel_state_can_close. */
const CLOSEABLE = new Set(['AWAITING_LOCKIN', 'NORMAL', 'SHUTDOWN', 'NEGOTIATING']);

/** CLN param_feerate_range: `[min, max]`, each a feerate. */
const paramFeerange: ParamParser<[Feerate, Feerate]> = (tok, name, ctx): Outcome<[Feerate, Feerate]> => {
  if (tok.type !== 'array' || tok.items.length !== 2) return { ok: false, error: badParam(name, 'should be an array of 2 entries', tok, ctx) };
  const lo = paramFeerate(tok.items[0]!, name, ctx);
  if (!lo.ok) return lo;
  const hi = paramFeerate(tok.items[1]!, name, ctx);
  if (!hi.ok) return hi;
  return ok([lo.value, hi.value]);
};

/** The id token itself: "Channel in state …" quotes it as Core Lightning's param errors do. */
const paramIdToken: ParamParser<JsonToken> = (tok) => ok(tok);

/** CLN param_outpoint. */
const paramOutpoint = textParser('should be a txid:outnum', (t) => (/^[0-9a-fA-F]{64}:\d+$/.test(t) ? t : undefined));

async function perKw(n: NodeServices, f: Feerate): Promise<number | undefined> {
  if ('perkw' in f) return f.perkw;
  return (await n.chain.feeratePerKw(f.target)) ?? undefined;
}

/** CLN's fee_negotiation_step: "N%" (1..100) or "N" satoshis, N > 0. */
function parseFeeStep(text: string): FeeStep | string {
  const m = /^(\d*)(.*)$/.exec(text)!;
  const digits = m[1]!;
  const rest = m[2]!;
  const value = digits === '' ? 0n : BigInt(digits);
  if (value === 0n) return `Wrong value given for fee_negotiation_step: "${text}", must be positive`;
  if (rest === '%') {
    if (value > 100n) return `Wrong value given for fee_negotiation_step: "${text}", the percentage should be between 1 and 100`;
    return { unit: 'percent', value: Number(value) };
  }
  if (rest === '') return { unit: 'sat', value };
  return `Wrong value given for fee_negotiation_step: "${text}", should be an integer or an integer followed by %`;
}

type Target = { channel: Channel } | { unopened: string } | { error: Outcome<never> };

/** CLN param_channel_or_peer: a peer id (its one closeable channel), a channel id or a short_channel_id. */
function findTarget(n: NodeServices, tok: JsonToken): Target {
  const id = tokenText(tok);
  const inState = (c: Channel): Target =>
    CLOSEABLE.has(c.record.state) ? { channel: c } : { error: { ok: false, error: badParam('id', `Channel in state ${CLN_STATE[c.record.state]}`, tok, n.pctx) } };
  if (/^[0-9a-f]{66}$/i.test(id)) {
    const peer = id.toLowerCase();
    const mine = n.channels.ofPeer(peer);
    const live = mine.filter((c) => c.persisted && CLOSEABLE.has(c.record.state));
    if (live.length > 1) return { error: fail(LIGHTNINGD, 'Peer has multiple channels: use channel_id or short_channel_id') };
    if (live.length === 1) return { channel: live[0]! };
    if (mine.some((c) => !c.persisted && c.record.state !== 'ABORTED')) return { unopened: peer };
    if (mine.length > 0 || n.peers.get(peer as never)) return { error: fail(LIGHTNINGD, 'Peer has no active channel') };
  }
  if (/^[0-9a-f]{64}$/i.test(id)) {
    const ch = n.channels.get(id.toLowerCase());
    return ch ? inState(ch) : { error: fail(LIGHTNINGD, `Channel ID not found: '${id}'`) };
  }
  let scid: bigint;
  try {
    scid = parseScid(id);
  } catch {
    return { error: { ok: false, error: badParam('id', 'should be a channel ID or short channel ID', tok, n.pctx) } };
  }
  const ch = n.channels.byScid(scid);
  return ch ? inState(ch) : { error: fail(LIGHTNINGD, `Short channel ID not found: '${id}'`) };
}

/** Our closing scriptpubkey from `destination`, checked as Core Lightning does. */
function destinationScript(n: NodeServices, ch: Channel, address: string): Uint8Array | Outcome<never> {
  let decoded;
  try {
    decoded = decodeSegwitAddress(address);
  } catch {
    return fail(LIGHTNINGD, 'Could not parse destination address, destination should be a valid address');
  }
  if (segwitHrp(decoded.network) !== segwitHrp(n.network)) return fail(LIGHTNINGD, `Destination address is not on network ${n.network}`);
  const script = decoded.scriptPubKey;
  const r = ch.record;
  const sent = r.closing.shutdown_requested ? r.closing.local_script : null;
  if (sent && !equalBytes(sent, script)) {
    return fail(JSONRPC2_INVALID_PARAMS, `Destination address ${toHex(script)} does not match already-sent shutdown script ${toHex(sent)}`);
  }
  const upfront = r.local_params.upfront_shutdown_script;
  if (upfront.length > 0 && !equalBytes(upfront, script)) {
    return fail(JSONRPC2_INVALID_PARAMS, `Destination address ${toHex(script)} does not match previous shutdown script ${toHex(upfront)}`);
  }
  if (!isValidShutdownScript(script, r.peer_anysegwit)) {
    // A v1+ (taproot) output needs the peer's option_shutdown_anysegwit.
    if (!r.peer_anysegwit && isValidShutdownScript(script, true)) return fail(JSONRPC2_INVALID_PARAMS, 'Peer does not allow v1+ shutdown addresses');
    return fail(JSONRPC2_INVALID_PARAMS, 'Invalid close destination');
  }
  return script;
}

export function closeMethod(n: NodeServices): TableMethod<CallContext> {
  return defineMethod({
    name: 'close',
    params: [
      req('id', paramIdToken),
      optDef('unilateraltimeout', paramU32, 172800),
      opt('destination', textParser('should be a string', (t) => t)),
      opt('fee_negotiation_step', textParser('should be a string', (t) => t)),
      opt('wrong_funding', paramOutpoint),
      // Only leased channels care, and we lease none: accepted like Core Lightning accepts it.
      opt('force_lease_closed', paramBool),
      opt('feerange', paramFeerange),
    ] as const,
    handler: async (p) => {
      const target = findTarget(n, p.id);
      if ('error' in target) return target.error;
      if ('unopened' in target) {
        await n.channels.discardUnopened(target.unopened, 'close command called');
        return ok({ type: 'unopened' });
      }
      const ch = target.channel;
      const opts: { -readonly [K in keyof ShutdownOptions]: ShutdownOptions[K] } = {};
      if (p.destination !== undefined) {
        const script = destinationScript(n, ch, p.destination);
        if (!(script instanceof Uint8Array)) return script;
        opts.scriptpubkey = script;
      }
      if (p.fee_negotiation_step !== undefined) {
        const step = parseFeeStep(p.fee_negotiation_step);
        if (typeof step === 'string') return fail(JSONRPC2_INVALID_PARAMS, step);
        // 50% is the default negotiation, quick close included (Core Lightning).
        if (!(step.unit === 'percent' && step.value === 50)) opts.fee_step = step;
      }
      if (p.wrong_funding !== undefined) {
        return fail(JSONRPC2_INVALID_PARAMS, 'wrong_funding feature not negotiated (we said no: option_shutdown_wrong_funding is not supported)');
      }
      if (p.feerange !== undefined) {
        const [lo, hi] = await Promise.all([perKw(n, p.feerange[0]), perKw(n, p.feerange[1])]);
        if (lo === undefined || hi === undefined) return fail(LIGHTNINGD, 'Cannot estimate fees');
        if (lo > hi) return fail(JSONRPC2_INVALID_PARAMS, `feerange: minimum ${lo}perkw is above maximum ${hi}perkw`);
        opts.feerate_range = { min_per_kw: lo, max_per_kw: hi };
      }
      const id = ch.record.channel_id;
      let cancelForce: (() => void) | undefined;
      if (p.unilateraltimeout > 0) {
        cancelForce = scheduleLong(globalThis, p.unilateraltimeout * 1000, () => {
          n.log.log('info', 'close: unilateral timeout reached, broadcasting our commitment', { channel_id: id });
          void n.channels.close(id, { force: true }).catch((e: unknown) => n.log.log('warn', 'close: force-close failed', { channel_id: id, error: errorMessage(e) }));
        });
      }
      try {
        const r = await n.channels.close(id, opts);
        return ok({ type: r.type, tx: r.tx, txid: r.txid });
      } catch (e) {
        throw new RpcError(LIGHTNINGD, errorMessage(e));
      } finally {
        cancelForce?.();
      }
    },
  });
}
