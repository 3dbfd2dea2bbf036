/// <reference lib="webworker" />
// Runs in a Chromium module Worker: our BOLT 8 + BOLT 1 client over the browser's own WebSocket
// to Electrum's bolt8_peer.py behind websockify; handshake, init and many pings (crossing the
// key rotation both ways). bolt8-electrum.spec.ts starts the peer and checks its log.
import { initCrypto, secp256k1BackendName } from '../../../src/crypto/index.js';
import { webSocketDialer } from '../../../src/net/index.js';
import { generateSecret } from '../../../src/noise/index.js';
import { connectPeer } from '../../../src/peer/index.js';
import { toHex } from '../../../src/util/bytes.js';
import type { NodeId } from '../../../src/types.js';
import { chainHash, featureBits } from '../../../src/wire/index.js';

export interface Bolt8ElectrumArgs {
  wsUrl: string;
  nodeId: string;
  pings: number;
}

export interface Bolt8ElectrumResult {
  backend: string | undefined;
  remoteNodeId: string | undefined;
  remoteFeatures: string;
  remoteNetworks: string[];
  ourFeatures: string;
  subprotocol: string;
  pongs: number;
  chunks: number;
  diagnostics: string[];
}

export default async function run(args: unknown, log: (m: string) => void): Promise<Bolt8ElectrumResult> {
  const a = args as Bolt8ElectrumArgs;
  await initCrypto(new URL('/wasm/lightning.wasm', self.location.origin));
  const features = featureBits({
    gossip_queries: 'optional', // Electrum 4.3.4 insists on it
    option_data_loss_protect: 'required',
    var_onion_optin: 'required',
    option_static_remotekey: 'required',
    payment_secret: 'required',
    basic_mpp: 'optional',
  });
  const conn = await connectPeer({
    localSecret: generateSecret(),
    features,
    chains: [chainHash('regtest')],
    remoteNodeId: a.nodeId as NodeId,
    address: { kind: 'url', url: a.wsUrl },
    dialer: webSocketDialer(),
  });
  let chunks = 0;
  conn.stream.on('data', () => chunks++);
  const diagnostics: string[] = [];
  conn.on('diagnostic', (d) => diagnostics.push(d));
  log(`ready with ${conn.remoteNodeId}`);
  let pongs = 0;
  for (let i = 0; i < a.pings; i++) {
    await conn.ping(i % 7 === 0 ? 1000 : i % 50, i % 3 === 0 ? 16 : 0);
    pongs++;
  }
  const info = conn.info!;
  const result: Bolt8ElectrumResult = {
    backend: secp256k1BackendName(),
    remoteNodeId: conn.remoteNodeId,
    remoteFeatures: toHex(info.remote.features),
    remoteNetworks: (info.remote.networks ?? []).map(toHex),
    ourFeatures: toHex(features),
    subprotocol: (conn.stream as { protocol?: string }).protocol ?? '?',
    pongs,
    chunks,
    diagnostics,
  };
  conn.close();
  await conn.closed;
  return result;
}
