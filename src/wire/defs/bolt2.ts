// BOLT 2 messages: channel establishment (v1), quiescence, close (legacy and simple), normal
// operation, and reestablish. Field and record names are the spec's.
import { struct } from '../codec.js';
import {
  bytes,
  chain_hash,
  channel_id,
  point,
  restBytes,
  sha256,
  short_channel_id,
  signature,
  u16,
  u16Array,
  u16Bytes,
  u32,
  u64,
  u8,
} from '../fields.js';
import { msg } from '../message-set.js';
import { tlvStream } from '../tlv.js';

/** Size of the Sphinx packet carried by update_add_htlc (BOLT 4). */
export const ONION_PACKET_SIZE = 1366;
/** Size of BOLT 4 attribution data: 20 u32 hold times + 210 truncated 4-byte HMACs. */
export const ATTRIBUTION_DATA_SIZE = 920;

export const openChannelTlvs = tlvStream('open_channel_tlvs', [
  ['upfront_shutdown_script', 0, restBytes],
  /** A feature bit field naming the channel type (see features.ts channelTypeBits). */
  ['channel_type', 1, restBytes],
]);

export const acceptChannelTlvs = tlvStream('accept_channel_tlvs', [
  ['upfront_shutdown_script', 0, restBytes],
  ['channel_type', 1, restBytes],
]);

export const channelReadyTlvs = tlvStream('channel_ready_tlvs', [
  /** The spec's `alias`: an scid to route through before (or instead of) the real one. */
  ['short_channel_id', 1, short_channel_id],
]);

export const closingSignedTlvs = tlvStream('closing_signed_tlvs', [
  [
    'fee_range',
    1,
    struct('fee_range', [
      ['min_fee_satoshis', u64],
      ['max_fee_satoshis', u64],
    ]),
  ],
]);

export const closingTlvs = tlvStream('closing_tlvs', [
  ['closer_output_only', 1, signature],
  ['closee_output_only', 2, signature],
  ['closer_and_closee_outputs', 3, signature],
]);

export const updateAddHtlcTlvs = tlvStream('update_add_htlc_tlvs', [
  /** The record's single field is `path_key`, the route-blinding point for this hop. */
  ['blinded_path', 0, point],
]);

export const updateFulfillHtlcTlvs = tlvStream('update_fulfill_htlc_tlvs', [
  ['attribution_data', 1, bytes(ATTRIBUTION_DATA_SIZE)],
]);

export const updateFailHtlcTlvs = tlvStream('update_fail_htlc_tlvs', [
  ['attribution_data', 1, bytes(ATTRIBUTION_DATA_SIZE)],
]);

export const commitmentSignedTlvs = tlvStream('commitment_signed_tlvs', [['funding_txid', 1, sha256]]);

export const channelReestablishTlvs = tlvStream('channel_reestablish_tlvs', [
  [
    'next_funding',
    1,
    struct('next_funding', [
      ['next_funding_txid', sha256],
      ['retransmit_flags', u8],
    ]),
  ],
  [
    'my_current_funding_locked',
    5,
    struct('my_current_funding_locked', [
      ['my_current_funding_locked_txid', sha256],
      ['retransmit_flags', u8],
    ]),
  ],
]);

export const BOLT2_MESSAGES = {
  stfu: msg(2, [
    ['channel_id', channel_id],
    ['initiator', u8],
  ]),
  open_channel: msg(32, [
    ['chain_hash', chain_hash],
    ['temporary_channel_id', channel_id],
    ['funding_satoshis', u64],
    ['push_msat', u64],
    ['dust_limit_satoshis', u64],
    ['max_htlc_value_in_flight_msat', u64],
    ['channel_reserve_satoshis', u64],
    ['htlc_minimum_msat', u64],
    ['feerate_per_kw', u32],
    ['to_self_delay', u16],
    ['max_accepted_htlcs', u16],
    ['funding_pubkey', point],
    ['revocation_basepoint', point],
    ['payment_basepoint', point],
    ['delayed_payment_basepoint', point],
    ['htlc_basepoint', point],
    ['first_per_commitment_point', point],
    ['channel_flags', u8],
    ['tlvs', openChannelTlvs],
  ]),
  accept_channel: msg(33, [
    ['temporary_channel_id', channel_id],
    ['dust_limit_satoshis', u64],
    ['max_htlc_value_in_flight_msat', u64],
    ['channel_reserve_satoshis', u64],
    ['htlc_minimum_msat', u64],
    ['minimum_depth', u32],
    ['to_self_delay', u16],
    ['max_accepted_htlcs', u16],
    ['funding_pubkey', point],
    ['revocation_basepoint', point],
    ['payment_basepoint', point],
    ['delayed_payment_basepoint', point],
    ['htlc_basepoint', point],
    ['first_per_commitment_point', point],
    ['tlvs', acceptChannelTlvs],
  ]),
  funding_created: msg(34, [
    ['temporary_channel_id', channel_id],
    ['funding_txid', sha256],
    ['funding_output_index', u16],
    ['signature', signature],
  ]),
  funding_signed: msg(35, [
    ['channel_id', channel_id],
    ['signature', signature],
  ]),
  channel_ready: msg(36, [
    ['channel_id', channel_id],
    ['second_per_commitment_point', point],
    ['tlvs', channelReadyTlvs],
  ]),
  shutdown: msg(38, [
    ['channel_id', channel_id],
    ['scriptpubkey', u16Bytes],
  ]),
  closing_signed: msg(39, [
    ['channel_id', channel_id],
    ['fee_satoshis', u64],
    ['signature', signature],
    ['tlvs', closingSignedTlvs],
  ]),
  closing_complete: msg(40, [
    ['channel_id', channel_id],
    ['closer_scriptpubkey', u16Bytes],
    ['closee_scriptpubkey', u16Bytes],
    ['fee_satoshis', u64],
    ['locktime', u32],
    ['tlvs', closingTlvs],
  ]),
  closing_sig: msg(41, [
    ['channel_id', channel_id],
    ['closer_scriptpubkey', u16Bytes],
    ['closee_scriptpubkey', u16Bytes],
    ['fee_satoshis', u64],
    ['locktime', u32],
    ['tlvs', closingTlvs],
  ]),
  update_add_htlc: msg(128, [
    ['channel_id', channel_id],
    ['id', u64],
    ['amount_msat', u64],
    ['payment_hash', sha256],
    ['cltv_expiry', u32],
    ['onion_routing_packet', bytes(ONION_PACKET_SIZE)],
    ['tlvs', updateAddHtlcTlvs],
  ]),
  update_fulfill_htlc: msg(130, [
    ['channel_id', channel_id],
    ['id', u64],
    ['payment_preimage', bytes(32)],
    ['tlvs', updateFulfillHtlcTlvs],
  ]),
  update_fail_htlc: msg(131, [
    ['channel_id', channel_id],
    ['id', u64],
    ['reason', u16Bytes],
    ['tlvs', updateFailHtlcTlvs],
  ]),
  commitment_signed: msg(132, [
    ['channel_id', channel_id],
    ['signature', signature],
    // num_htlcs is the array's length on the wire.
    ['htlc_signature', u16Array(signature)],
    ['tlvs', commitmentSignedTlvs],
  ]),
  revoke_and_ack: msg(133, [
    ['channel_id', channel_id],
    ['per_commitment_secret', bytes(32)],
    ['next_per_commitment_point', point],
  ]),
  update_fee: msg(134, [
    ['channel_id', channel_id],
    ['feerate_per_kw', u32],
  ]),
  update_fail_malformed_htlc: msg(135, [
    ['channel_id', channel_id],
    ['id', u64],
    ['sha256_of_onion', sha256],
    ['failure_code', u16],
  ]),
  channel_reestablish: msg(136, [
    ['channel_id', channel_id],
    ['next_commitment_number', u64],
    ['next_revocation_number', u64],
    ['your_last_per_commitment_secret', bytes(32)],
    // The receiver "MUST ignore" this point (it MAY check it), so only its length is checked
    // here: a peer that sends a malformed one must not make the whole reestablish unreadable.
    ['my_current_per_commitment_point', bytes(33)],
    ['tlvs', channelReestablishTlvs],
  ]),
};
