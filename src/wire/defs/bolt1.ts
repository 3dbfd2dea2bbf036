// BOLT 1 messages: setup (init), error/warning, ping/pong, peer storage.
import { chain_hash, channel_id, restArray, restBytes, u16, u16Bytes } from '../fields.js';
import { msg } from '../message-set.js';
import { tlvStream } from '../tlv.js';

export const initTlvs = tlvStream('init_tlvs', [
  /** Chains the sender is interested in, as chain hashes (see chains.ts). */
  ['networks', 1, restArray(chain_hash)],
  /** The peer's address as the sender sees it, in node_announcement address-descriptor form. */
  ['remote_addr', 3, restBytes],
]);

export const BOLT1_MESSAGES = {
  warning: msg(1, [
    ['channel_id', channel_id],
    ['data', u16Bytes],
  ]),
  peer_storage: msg(7, [['blob', u16Bytes]]),
  peer_storage_retrieval: msg(9, [['blob', u16Bytes]]),
  // The spec calls the first field `globalfeatures`; this codebase uses `global_features`.
  init: msg(16, [
    ['global_features', u16Bytes],
    ['features', u16Bytes],
    ['tlvs', initTlvs],
  ]),
  error: msg(17, [
    ['channel_id', channel_id],
    ['data', u16Bytes],
  ]),
  ping: msg(18, [
    ['num_pong_bytes', u16],
    ['ignored', u16Bytes],
  ]),
  pong: msg(19, [['ignored', u16Bytes]]),
};
