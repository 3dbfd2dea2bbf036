// connect, disconnect, listpeers with Core Lightning's parameters, results and error codes.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { RpcError, fail, ok } from '../../rpc/errors.js';
import { opt, optDef, req } from '../../rpc/params.js';
import { paramBool, paramNodeId, paramString, paramU32 } from '../../rpc/parsers.js';
import { tokenText } from '../../rpc/json-parse.js';
import { parsePeerAddress, type PeerAddress } from '../../net/address.js';
import { LightningError, errorMessage } from '../../errors.js';
import type { NodeId } from '../../types.js';
import type { CallContext, NodeServices } from '../services.js';

// common/jsonrpc_errors.h
const CONNECT_NO_KNOWN_ADDRESS = 400;
const CONNECT_ALL_ADDRESSES_FAILED = 401;

/** CLN's connect `id` is "ID", "ID@HOST" or "ID@HOST:PORT"; we also accept "ID@ws(s)://…". */
const paramConnectId = (tok: Parameters<typeof paramString>[0]) => ok(tokenText(tok));

function addressObject(a: PeerAddress['address']) {
  if (a.kind === 'url') return { type: 'websocket', address: a.url };
  const type = a.host.includes(':') ? 'ipv6' : /^[0-9.]+$/.test(a.host) ? 'ipv4' : 'dns';
  return { type, address: a.host, port: a.port };
}

export function peerMethods(n: NodeServices): TableMethod<CallContext>[] {
  return [
    defineMethod({
      name: 'connect',
      params: [req('id', paramConnectId), opt('host', paramString), opt('port', paramU32)] as const,
      handler: async (p) => {
        let target: PeerAddress;
        try {
          const [id, inline] = p.id.split('@', 2) as [string, string | undefined];
          if (inline !== undefined && (p.host !== undefined || p.port !== undefined)) {
            return fail(-32602, 'Can\'t specify host as both xxx@yyy and separate argument');
          }
          const host = inline ?? p.host;
          if (host === undefined) return fail(CONNECT_NO_KNOWN_ADDRESS, 'Unable to connect, no address known for peer');
          const hostPort = /^wss?:\/\//i.test(host) || p.port === undefined ? host : `${host.includes(':') ? `[${host}]` : host}:${p.port}`;
          target = parsePeerAddress(`${id}@${hostPort}`);
        } catch (e) {
          return fail(-32602, `id: ${errorMessage(e)}`);
        }
        try {
          const info = await n.peers.connect(target);
          return ok({ id: info.remoteNodeId, features: n.peers.get(info.remoteNodeId)?.info().features ?? '', direction: info.direction, address: addressObject(target.address) });
        } catch (e) {
          const why = e instanceof LightningError ? e.message : String(e);
          throw new RpcError(CONNECT_ALL_ADDRESSES_FAILED, `All addresses failed: ${describe(target)}: ${why}`);
        }
      },
    }),
    defineMethod({
      name: 'disconnect',
      params: [req('id', paramNodeId()), optDef('force', paramBool, false)] as const,
      handler: (p) => {
        const peer = n.peers.get(p.id as NodeId);
        if (!peer) return fail(-1, 'Unknown peer');
        if (!peer.info().connected) return fail(-1, 'Peer not connected');
        n.peers.disconnect(p.id as NodeId);
        return ok({});
      },
    }),
    defineMethod({
      name: 'listpeers',
      params: [opt('id', paramNodeId()), opt('level', paramString)] as const,
      handler: (p) => {
        const rows = n.peers.list().filter((r) => p.id === undefined || r.id === p.id);
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

function describe(t: PeerAddress): string {
  return t.address.kind === 'url' ? t.address.url : `${t.address.host}:${t.address.port}`;
}
