// connect, disconnect, listpeers with Core Lightning's parameters, results and error codes
// (lightningd/connect_control.c and peer_control.c).
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { JSONRPC2_INVALID_PARAMS, LIGHTNINGD, RpcError, fail, failWith, ok } from '../../rpc/errors.js';
import { badParam, opt, optDef, req, type ParamParser } from '../../rpc/params.js';
import { paramBool, paramNodeId, paramString, parseNodeIdText, parseUnsigned } from '../../rpc/parsers.js';
import { tokenText } from '../../rpc/json-parse.js';
import { parseHostPort, parsePeerAddress, type NetAddress, type PeerAddress } from '../../net/address.js';
import { LightningError } from '../../errors.js';
import type { ConnectionInfo } from '../../peer/index.js';
import type { NodeId } from '../../types.js';
import type { CallContext, NodeServices } from '../services.js';

// common/jsonrpc_errors.h
const CONNECT_NO_KNOWN_ADDRESS = 400;
const CONNECT_ALL_ADDRESSES_FAILED = 401;

const isWsUrl = (s: string): boolean => /^wss?:\/\//i.test(s);

/** CLN's connect `id`: "ID", "ID@HOST" or "ID@HOST:PORT"; we also accept "ID@ws(s)://…". */
const paramConnectId: ParamParser<{ id: NodeId; inline: string | undefined }> = (tok, name, ctx) => {
  const text = tokenText(tok);
  const at = text.indexOf('@');
  const id = parseNodeIdText(at < 0 ? text : text.slice(0, at));
  if (id === undefined) return failWith(badParam(name, 'should be a node id', tok, ctx));
  return ok({ id: id as NodeId, inline: at < 0 ? undefined : text.slice(at + 1) });
};

/** CLN's param_id_addr_u16 (connect `port`). */
const paramPort: ParamParser<number> = (tok, name, ctx) => {
  const v = parseUnsigned(tokenText(tok), 0xffffn);
  if (v === undefined) return failWith(badParam(name, 'should be a 16-bit integer', tok, ctx));
  if (v === 0n) return failWith(badParam(name, 'should be non-zero', tok, ctx));
  return ok(Number(v));
};

/** CLN's param_peer shape for disconnect: a node id, "invalid peer id" otherwise. */
const paramPeerId: ParamParser<{ id: NodeId; text: string }> = (tok, name, ctx) => {
  const id = parseNodeIdText(tokenText(tok));
  return id === undefined ? failWith(badParam(name, 'invalid peer id', tok, ctx)) : ok({ id: id as NodeId, text: tokenText(tok) });
};

function addressObject(a: NetAddress) {
  if (a.kind === 'url') return { type: 'websocket', address: a.url };
  const type = a.host.includes(':') ? 'ipv6' : /^[0-9.]+$/.test(a.host) ? 'ipv4' : 'dns';
  return { type, address: a.host, port: a.port };
}

/** The address to report for a connection: the one we dialled, else the remote end of an inbound one. */
function reportedAddress(known: NetAddress | undefined, info: ConnectionInfo): NetAddress | undefined {
  if (known && info.direction === 'out') return known;
  try {
    return isWsUrl(info.netaddr) ? { kind: 'url', url: info.netaddr } : { kind: 'hostport', ...parseHostPort(info.netaddr, 0) };
  } catch (e) {
    if (e instanceof LightningError) return known; // not a host:port (an in-memory stream)
    throw e;
  }
}

/**
 * The dial target from `id@inline` or the separate host/port, with CLN's refusals: the host or
 * the port given both ways, a port without a host, a malformed @part.
 */
function connectTarget(id: NodeId, inline: string | undefined, host: string | undefined, port: number | undefined) {
  if (inline !== undefined && host !== undefined) return fail(JSONRPC2_INVALID_PARAMS, "Can't specify host as both xxx@yyy and separate argument");
  let name = host;
  let at = port;
  if (inline !== undefined) {
    if (isWsUrl(inline)) name = inline;
    else {
      let hp;
      try {
        hp = parseHostPort(inline, 0);
      } catch (e) {
        if (e instanceof LightningError) return fail(JSONRPC2_INVALID_PARAMS, 'malformed host @part');
        throw e;
      }
      if (hp.port !== 0 && port !== undefined) return fail(JSONRPC2_INVALID_PARAMS, "Can't specify port as both xxx@yyy:port and separate argument");
      name = hp.host.includes(':') ? `[${hp.host}]` : hp.host;
      if (hp.port !== 0) at = hp.port;
    }
  }
  if (name === undefined) return port !== undefined ? fail(JSONRPC2_INVALID_PARAMS, "Can't specify port without host") : ok(undefined);
  try {
    // A WebSocket URL carries its own port.
    return ok(isWsUrl(name) ? parsePeerAddress(`${id}@${name}`) : parsePeerAddress({ id, host: name, ...(at !== undefined ? { port: at } : {}) }));
  } catch (e) {
    if (e instanceof LightningError) return fail(LIGHTNINGD, `Host ${name}:${at ?? 9735} not valid: ${e.message}`);
    throw e;
  }
}

export function peerMethods(n: NodeServices): TableMethod<CallContext>[] {
  return [
    defineMethod({
      name: 'connect',
      params: [req('id', paramConnectId), opt('host', paramString), opt('port', paramPort)] as const,
      handler: async (p) => {
        const t = connectTarget(p.id.id, p.id.inline, p.host, p.port);
        if (!t.ok) return t;
        const target: PeerAddress | undefined = t.value;
        // Without an address: the live connection, or where we last reached this peer.
        const pending = target ? n.peers.connect(target) : n.peers.connectKnown(p.id.id);
        if (!pending) return fail(CONNECT_NO_KNOWN_ADDRESS, 'Unable to connect, no address known for peer');
        const dialled = target?.address ?? n.peers.get(p.id.id)?.address;
        let info: ConnectionInfo;
        try {
          info = await pending;
        } catch (e) {
          const why = e instanceof LightningError ? e.message : String(e);
          throw new RpcError(CONNECT_ALL_ADDRESSES_FAILED, `All addresses failed: ${dialled ? describe(dialled) : p.id.id}: ${why}`);
        }
        const addr = reportedAddress(dialled, info);
        return ok({
          id: info.remoteNodeId,
          features: n.peers.get(info.remoteNodeId)?.info().features ?? '',
          direction: info.direction,
          ...(addr ? { address: addressObject(addr) } : {}),
        });
      },
    }),
    defineMethod({
      name: 'disconnect',
      params: [req('id', paramPeerId), optDef('force', paramBool, false)] as const,
      handler: (p) => {
        const peer = n.peers.get(p.id.id);
        const connected = peer?.info().connected === true;
        // lightningd knows a peer while it is connected or has channels with it.
        if (!peer || (!connected && n.channels.ofPeer(p.id.id).length === 0)) return fail(JSONRPC2_INVALID_PARAMS, `Unknown peer '${p.id.text}'`);
        if (!connected) return fail(LIGHTNINGD, 'Peer not connected');
        n.peers.disconnect(p.id.id);
        return ok({});
      },
    }),
    defineMethod({
      name: 'listpeers',
      params: [opt('id', paramNodeId()), opt('level', paramString)] as const,
      handler: (p) => {
        // Like lightningd: peers that are connected or share a channel with us.
        const rows = n.peers.list().filter((r) => (p.id === undefined || r.id === p.id) && (r.connected || n.channels.ofPeer(r.id).length > 0));
        return ok({
          peers: rows.map((r) => ({
            id: r.id,
            connected: r.connected,
            num_channels: n.channels.ofPeer(r.id).length,
            ...(r.connected ? { netaddr: r.netaddr } : {}),
            ...(r.connected && r.remote_addr ? { remote_addr: r.remote_addr } : {}),
            ...(r.connected ? { features: r.features } : {}),
          })),
        });
      },
    }),
  ];
}

function describe(a: NetAddress): string {
  return a.kind === 'url' ? a.url : `${a.host}:${a.port}`;
}
