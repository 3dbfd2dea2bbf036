// Our Node client for relay tests: the project's own peer session (BOLT 8 handshake, BOLT 1 init
// exchange, ping/pong) over the `ws` dialer, to one of our daemons through a proxy URL.
import { nodeDialer } from '../../../src/net/node.js';
import { generateSecret } from '../../../src/noise/index.js';
import { connectPeer, type PeerConnection } from '../../../src/peer/index.js';
import type { NodeId } from '../../../src/types.js';
import { chainHash, featureBits } from '../../../src/wire/index.js';

/** What a wallet offers: enough for our daemon to accept the peer. */
export const CLIENT_FEATURES = featureBits({
  option_data_loss_protect: 'required',
  var_onion_optin: 'required',
  option_static_remotekey: 'required',
  payment_secret: 'required',
  basic_mpp: 'optional',
  option_channel_type: 'optional',
});

/** Dials `url` (a proxy dialect) expecting `nodeId` behind it; resolves once both inits are exchanged. */
export function connectThrough(url: string, nodeId: string, localSecret = generateSecret()): Promise<PeerConnection> {
  return connectPeer({
    localSecret,
    features: CLIENT_FEATURES,
    chains: [chainHash('regtest')],
    remoteNodeId: nodeId as NodeId,
    address: { kind: 'url', url },
    dialer: nodeDialer,
    // Keepalive pings of our own would only add noise to the counts; the test pings itself.
    timing: { pingIntervalMs: 60_000 },
  });
}

/**
 * `count` pings answered in order, with varying pong and padding sizes so frames of many lengths
 * cross the key rotation (every 1000 messages each way). Rejects on the first missing pong.
 */
export async function pingMany(conn: PeerConnection, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await conn.ping(i % 7 === 0 ? 1000 : i % 50, i % 3 === 0 ? 16 : 0);
}
