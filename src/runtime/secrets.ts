// The node's key material. One 32-byte seed is the only secret: the node key and every channel's
// basepoint secrets derive from it. Where the seed lives is the caller's choice (the daemon keeps
// it in DATA_DIR/hsm_secret, the Worker in its IndexedDB database); it never reaches logs or errors.
import { hmacSha256, isValidSecret, pubkeyCreate, randomBytes } from '../crypto/secp256k1.js';
import { utf8, toHex } from '../util/bytes.js';
import { asNodeId, type NodeId } from '../types.js';
import { channelKeysFromSeed, type ChannelKeySource } from '../channel/state/index.js';
import { LightningError } from '../errors.js';

export interface NodeSecrets {
  readonly nodeSecret: Uint8Array;
  readonly nodeId: NodeId;
  readonly channelKeys: ChannelKeySource;
}

export function newSeed(): Uint8Array {
  return randomBytes(32);
}

export function deriveNodeSecrets(seed: Uint8Array): NodeSecrets {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new LightningError('BAD_SEED', 'node seed must be 32 bytes');
  // A counter makes an (astronomically unlikely) out-of-range HMAC output retry instead of fail.
  let nodeSecret: Uint8Array | undefined;
  for (let i = 0; !nodeSecret; i++) {
    const k = hmacSha256(seed, utf8(`lightning-worker/node-key/v1/${i}`));
    if (isValidSecret(k)) nodeSecret = k;
  }
  return {
    nodeSecret,
    nodeId: asNodeId(toHex(pubkeyCreate(nodeSecret))),
    channelKeys: channelKeysFromSeed(seed),
  };
}
