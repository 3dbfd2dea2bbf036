// Shared fixtures for the forwarding tests: two nodes, a channel between them, our policy.
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import type { OutgoingChannel } from '../../../src/forwarding/index.js';
import { decodeFailureMessage, type DecodedFailureMessage } from '../../../src/onion/index.js';
import { scid, type Scid } from '../../../src/types.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';

export const OUR_SECRET = fromHex('11'.repeat(32));
export const PEER_SECRET = fromHex('22'.repeat(32));
export const OUR_ID = toHex(pubkeyCreate(OUR_SECRET));
export const PEER_ID = toHex(pubkeyCreate(PEER_SECRET));
export const REAL_SCID: Scid = scid((700000n << 40n) | (12n << 16n) | 1n);
export const ALIAS: Scid = scid((16000000n << 40n) | (1n << 16n) | 7n);
export const NOW = 1_700_000_000;
export const HEIGHT = 800_000;

export type FoundChannel = Extract<OutgoingChannel, { found: true }>;

export function channel(over: Partial<FoundChannel> = {}): FoundChannel {
  return {
    found: true,
    state: 'normal',
    enabled: true,
    peer_connected: true,
    spendable_msat: 10_000_000n,
    peer_htlc_minimum_msat: 1n,
    policy: { fee_base_msat: 1000, fee_proportional_millionths: 10, cltv_expiry_delta: 34, htlc_minimum_msat: 0n, htlc_maximum_msat: 5_000_000n },
    short_channel_id: REAL_SCID,
    peer_node_id: PEER_ID,
    announced: false,
    ...over,
  };
}

export const CTX = { block_height: HEIGHT, now: NOW, network: 'regtest', node_secret: OUR_SECRET } as const;

export function decoded(message: Uint8Array): DecodedFailureMessage {
  return decodeFailureMessage(message);
}
