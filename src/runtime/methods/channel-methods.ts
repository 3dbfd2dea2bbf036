// fundchannel, listpeerchannels, close (close-method.ts) with Core Lightning's parameters and result shapes.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { RpcError, fail, ok, type Outcome } from '../../rpc/errors.js';
import { opt, optDef, req, badParam, type ParamParser } from '../../rpc/params.js';
import { paramBool, paramFeerate, paramMsat, paramNodeId, paramString, paramU32, parseUnsigned, textParser } from '../../rpc/parsers.js';
import { parseAmountMsat } from '../../rpc/msat.js';
import { tokenText, type JsonToken } from '../../rpc/json-parse.js';
import { formatScid } from '../../wire/scid.js';
import { channelTypeBits, featureFlags, featureNames } from '../../wire/features.js';
import { toHex } from '../../util/bytes.js';
import { errorMessage } from '../../errors.js';
import type { Channel } from '../../channel/state/index.js';
import type { CallContext, NodeServices } from '../services.js';
import type { RelayPolicy } from '../../forwarding/policy.js';
import { closeMethod } from './close-method.js';

// common/jsonrpc_errors.h
const FUNDING_PEER_NOT_CONNECTED = 305;
const FUNDING_UNKNOWN_PEER = 306;

/** A satoshi amount: bare digits are sats; suffixed forms follow the msat grammar and must be whole sats. */
const paramSat: ParamParser<bigint> = textParser('should be a satoshi amount', (t) => {
  if (/^\d+$/.test(t)) return parseUnsigned(t, 0xffffffffffffffffn);
  const m = parseAmountMsat(t);
  return m !== undefined && m % 1000n === 0n ? m / 1000n : undefined;
});

/** A channel_type given as an array of feature bit numbers. */
const paramChannelType: ParamParser<number[]> = (tok: JsonToken, name, ctx): Outcome<number[]> => {
  if (tok.type !== 'array' || tok.items.some((i) => i.type !== 'number' || !/^\d+$/.test(tokenText(i)))) {
    return { ok: false, error: badParam(name, 'should be an array of feature bits', tok, ctx) };
  }
  return ok(tok.items.map((i) => Number(tokenText(i))));
};

function channelTypeObject(c: Channel) {
  const bits = channelTypeBits({
    anchors: c.record.channel_type === 'anchors_zero_fee_htlc_tx',
    scid_alias: c.record.scid_alias,
    zeroconf: c.record.zeroconf,
  });
  return { bits: featureFlags(bits), names: featureNames(bits).map((n) => `${n.replace(/^option_/, '')}/even`) };
}

export function channelMethods(n: NodeServices, relay: RelayPolicy): TableMethod<CallContext>[] {
  return [
    defineMethod({
      name: 'fundchannel',
      params: [
        req('id', paramNodeId()),
        req('amount', paramSat),
        opt('feerate', paramFeerate),
        optDef('announce', paramBool, true),
        opt('minconf', paramU32),
        opt('utxos', paramString),
        opt('push_msat', paramMsat),
        opt('close_to', paramString),
        opt('request_amt', paramString),
        opt('compact_lease', paramString),
        opt('mindepth', paramU32),
        opt('reserve', paramSat),
        opt('channel_type', paramChannelType),
      ] as const,
      handler: async (p) => {
        const peer = n.peers.get(p.id as never);
        if (!peer) return fail(FUNDING_UNKNOWN_PEER, `Unknown peer ${p.id}`);
        if (!peer.info().connected) return fail(FUNDING_PEER_NOT_CONNECTED, `Peer not connected`);
        const feeratePerKw = p.feerate === undefined ? undefined : 'perkw' in p.feerate ? p.feerate.perkw : ((await n.chain.feeratePerKw(p.feerate.target)) ?? undefined);
        const type = new Set(p.channel_type ?? []);
        try {
          const r = await n.channels.fundChannel({
            peerId: p.id,
            fundingSat: p.amount,
            ...(p.push_msat !== undefined ? { pushMsat: p.push_msat } : {}),
            ...(feeratePerKw !== undefined ? { feeratePerKw } : {}),
            announce: p.announce,
            zeroconf: p.mindepth === 0 || type.has(50),
            anchors: type.has(22),
          });
          const ch = n.channels.get(r.channel_id);
          return ok({
            tx: r.tx_hex,
            txid: r.funding_txid,
            outnum: r.funding_output_index,
            ...(ch ? { channel_type: channelTypeObject(ch) } : {}),
            channel_id: r.channel_id,
            ...(p.mindepth !== undefined ? { mindepth: p.mindepth } : {}),
          });
        } catch (e) {
          throw new RpcError(-1, errorMessage(e));
        }
      },
    }),
    closeMethod(n),
    listPeerChannelsMethod(n, relay),
  ];
}

function listPeerChannelsMethod(n: NodeServices, relay: RelayPolicy): TableMethod<CallContext> {
  return defineMethod({
    name: 'listpeerchannels',
    params: [opt('id', paramNodeId())] as const,
    handler: (p) =>
      ok({
        channels: n.channels
          .all()
          .filter((c) => p.id === undefined || c.record.peer_id === p.id)
          .map((c) => listPeerChannel(n, c, relay)),
      }),
  });
}

function listPeerChannel(n: NodeServices, c: Channel, relay: RelayPolicy) {
  const r = c.record;
  const view = n.channels.summaries().find((x) => x.channel === c);
  const b = view?.balances;
  const lp = r.local_params;
  const rp = r.remote_params;
  return {
    peer_id: r.peer_id,
    peer_connected: c.connection === 'active',
    state: view?.summary.cln_state ?? r.state,
    channel_type: channelTypeObject(c),
    ...(r.short_channel_id !== null ? { short_channel_id: formatScid(r.short_channel_id as never) } : {}),
    alias: { local: formatScid(r.local_alias as never), ...(r.remote_alias !== null ? { remote: formatScid(r.remote_alias as never) } : {}) },
    channel_id: r.channel_id,
    ...(r.funding_txid ? { funding_txid: toHex(r.funding_txid.slice().reverse()), funding_outnum: r.funding_output_index } : {}),
    opener: r.funder ? 'local' : 'remote',
    private: !r.announce,
    // Our latest commitment's feerate (CLN: perkw, and perkb = 4 × perkw).
    ...(view ? { feerate: { perkw: view.summary.feerate_per_kw, perkb: view.summary.feerate_per_kw * 4 } } : {}),
    to_us_msat: b?.to_us_msat ?? 0n,
    total_msat: b?.total_msat ?? r.funding_satoshis * 1000n,
    spendable_msat: b?.spendable_msat ?? 0n,
    receivable_msat: b?.receivable_msat ?? 0n,
    our_reserve_msat: b?.our_reserve_msat ?? 0n,
    their_reserve_msat: b?.their_reserve_msat ?? 0n,
    fee_base_msat: relay.fee_base_msat,
    fee_proportional_millionths: relay.fee_proportional_millionths,
    dust_limit_msat: lp.dust_limit_satoshis * 1000n,
    max_total_htlc_in_msat: lp.max_htlc_value_in_flight_msat,
    ...(rp ? { their_to_self_delay: lp.to_self_delay, our_to_self_delay: rp.to_self_delay } : {}),
    max_accepted_htlcs: lp.max_accepted_htlcs,
    minimum_htlc_in_msat: lp.htlc_minimum_msat,
    ...(rp ? { minimum_htlc_out_msat: rp.htlc_minimum_msat } : {}),
    ...(r.failure ? { status: [r.failure] } : {}),
    htlcs: (view?.htlcs ?? []).map((h) => ({ direction: h.direction, id: BigInt(h.id), amount_msat: h.amount_msat, expiry: h.expiry, payment_hash: h.payment_hash, state: h.state })),
  };
}
