// BOLT 7 gossip messages. A light node does not keep a routing graph, but peers (CLN, Electrum's
// gossip-enabled peers) send these anyway: they must decode cleanly or fail with a WireError, and
// channel_update matters in its own right (BOLT 4 failures embed one; private channels' updates).
import { struct } from '../codec.js';
import {
  bigsize,
  bytes,
  chain_hash,
  channel_id,
  point,
  restArray,
  restBytes,
  short_channel_id,
  signature,
  u16,
  u16Bytes,
  u32,
  u64,
  u8,
} from '../fields.js';
import { msg } from '../message-set.js';
import { tlvStream } from '../tlv.js';

export const queryShortChannelIdsTlvs = tlvStream('query_short_channel_ids_tlvs', [
  [
    'query_flags',
    1,
    struct('query_flags', [
      ['encoding_type', u8],
      ['encoded_query_flags', restBytes],
    ]),
  ],
]);

export const queryChannelRangeTlvs = tlvStream('query_channel_range_tlvs', [['query_option', 1, bigsize]]);

export const replyChannelRangeTlvs = tlvStream('reply_channel_range_tlvs', [
  [
    'timestamps_tlv',
    1,
    struct('timestamps_tlv', [
      ['encoding_type', u8],
      ['encoded_timestamps', restBytes],
    ]),
  ],
  [
    'checksums_tlv',
    3,
    restArray(
      struct('channel_update_checksums', [
        ['checksum_node_id_1', u32],
        ['checksum_node_id_2', u32],
      ]),
    ),
  ],
]);

export const BOLT7_MESSAGES = {
  channel_announcement: msg(256, [
    ['node_signature_1', signature],
    ['node_signature_2', signature],
    ['bitcoin_signature_1', signature],
    ['bitcoin_signature_2', signature],
    ['features', u16Bytes],
    ['chain_hash', chain_hash],
    ['short_channel_id', short_channel_id],
    ['node_id_1', point],
    ['node_id_2', point],
    ['bitcoin_key_1', point],
    ['bitcoin_key_2', point],
  ]),
  node_announcement: msg(257, [
    ['signature', signature],
    ['features', u16Bytes],
    ['timestamp', u32],
    ['node_id', point],
    ['rgb_color', bytes(3)],
    ['alias', bytes(32)],
    ['addresses', u16Bytes],
  ]),
  channel_update: msg(258, [
    ['signature', signature],
    ['chain_hash', chain_hash],
    ['short_channel_id', short_channel_id],
    ['timestamp', u32],
    ['message_flags', u8],
    ['channel_flags', u8],
    ['cltv_expiry_delta', u16],
    ['htlc_minimum_msat', u64],
    ['fee_base_msat', u32],
    ['fee_proportional_millionths', u32],
    ['htlc_maximum_msat', u64],
  ]),
  announcement_signatures: msg(259, [
    ['channel_id', channel_id],
    ['short_channel_id', short_channel_id],
    ['node_signature', signature],
    ['bitcoin_signature', signature],
  ]),
  query_short_channel_ids: msg(261, [
    ['chain_hash', chain_hash],
    ['encoded_short_ids', u16Bytes],
    ['tlvs', queryShortChannelIdsTlvs],
  ]),
  reply_short_channel_ids_end: msg(262, [
    ['chain_hash', chain_hash],
    ['full_information', u8],
  ]),
  query_channel_range: msg(263, [
    ['chain_hash', chain_hash],
    ['first_blocknum', u32],
    ['number_of_blocks', u32],
    ['tlvs', queryChannelRangeTlvs],
  ]),
  reply_channel_range: msg(264, [
    ['chain_hash', chain_hash],
    ['first_blocknum', u32],
    ['number_of_blocks', u32],
    ['sync_complete', u8],
    ['encoded_short_ids', u16Bytes],
    ['tlvs', replyChannelRangeTlvs],
  ]),
  gossip_timestamp_filter: msg(265, [
    ['chain_hash', chain_hash],
    ['first_timestamp', u32],
    ['timestamp_range', u32],
  ]),
};
