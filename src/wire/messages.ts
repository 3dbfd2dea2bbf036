// The peer message table (BOLT 1, 2, 7) and its API. Message objects use the spec's field names
// with `type` as the discriminant; see defs/*.ts for the field lists the types are inferred from.
import { ByteReader } from '../util/bytes.js';
import { BOLT1_MESSAGES } from './defs/bolt1.js';
import { BOLT2_MESSAGES } from './defs/bolt2.js';
import { BOLT7_MESSAGES } from './defs/bolt7.js';
import { WireError } from './errors.js';
import { type MessageOf, type UnknownMessage, messageSet } from './message-set.js';

export type { UnknownMessage } from './message-set.js';

const WIRE_MESSAGES = { ...BOLT1_MESSAGES, ...BOLT2_MESSAGES, ...BOLT7_MESSAGES };

/** The codec table of every known peer message (also the source for tests and fuzzers). */
export const wireMessages = messageSet('wire', WIRE_MESSAGES);

/** Any known peer message. */
export type WireMessage = MessageOf<typeof WIRE_MESSAGES>;
export type MessageName = WireMessage['type'];
export type MessageByName<N extends MessageName> = Extract<WireMessage, { type: N }>;

// BOLT 1
export type Warning = MessageByName<'warning'>;
export type PeerStorage = MessageByName<'peer_storage'>;
export type PeerStorageRetrieval = MessageByName<'peer_storage_retrieval'>;
export type Init = MessageByName<'init'>;
export type ErrorMessage = MessageByName<'error'>;
export type Ping = MessageByName<'ping'>;
export type Pong = MessageByName<'pong'>;
// BOLT 2
export type Stfu = MessageByName<'stfu'>;
export type OpenChannel = MessageByName<'open_channel'>;
export type AcceptChannel = MessageByName<'accept_channel'>;
export type FundingCreated = MessageByName<'funding_created'>;
export type FundingSigned = MessageByName<'funding_signed'>;
export type ChannelReady = MessageByName<'channel_ready'>;
export type Shutdown = MessageByName<'shutdown'>;
export type ClosingSigned = MessageByName<'closing_signed'>;
export type ClosingComplete = MessageByName<'closing_complete'>;
export type ClosingSig = MessageByName<'closing_sig'>;
export type UpdateAddHtlc = MessageByName<'update_add_htlc'>;
export type UpdateFulfillHtlc = MessageByName<'update_fulfill_htlc'>;
export type UpdateFailHtlc = MessageByName<'update_fail_htlc'>;
export type CommitmentSigned = MessageByName<'commitment_signed'>;
export type RevokeAndAck = MessageByName<'revoke_and_ack'>;
export type UpdateFee = MessageByName<'update_fee'>;
export type UpdateFailMalformedHtlc = MessageByName<'update_fail_malformed_htlc'>;
export type ChannelReestablish = MessageByName<'channel_reestablish'>;
// BOLT 7
export type ChannelAnnouncement = MessageByName<'channel_announcement'>;
export type NodeAnnouncement = MessageByName<'node_announcement'>;
export type ChannelUpdate = MessageByName<'channel_update'>;
export type AnnouncementSignatures = MessageByName<'announcement_signatures'>;
export type QueryShortChannelIds = MessageByName<'query_short_channel_ids'>;
export type ReplyShortChannelIdsEnd = MessageByName<'reply_short_channel_ids_end'>;
export type QueryChannelRange = MessageByName<'query_channel_range'>;
export type ReplyChannelRange = MessageByName<'reply_channel_range'>;
export type GossipTimestampFilter = MessageByName<'gossip_timestamp_filter'>;

/** 2-byte type followed by the payload; throws WireError if a field cannot be encoded. */
export function encodeMessage(m: WireMessage | UnknownMessage): Uint8Array {
  return wireMessages.encode(m);
}

/**
 * Decodes one message (2-byte type + payload). Unknown types come back as UnknownMessage: the
 * caller ignores odd ones and disconnects on even ones. Malformed known messages throw WireError.
 */
export function decodeMessage(bytes: Uint8Array): WireMessage | UnknownMessage {
  return wireMessages.decode(bytes);
}

export function messageTypeNumber(name: MessageName): number {
  return wireMessages.typeNumber(name);
}

/** The name of a known message type number, or undefined. */
export function messageName(typeNum: number): MessageName | undefined {
  return wireMessages.nameOf(typeNum);
}

export function isUnknownMessage(m: WireMessage | UnknownMessage): m is UnknownMessage {
  return m.type === 'unknown';
}

/** channel_id meaning "all channels" in error and warning messages. Shared: never mutate it. */
export const ALL_CHANNELS_ID: Uint8Array = new Uint8Array(32);

export function isAllChannelsId(id: Uint8Array): boolean {
  return id.length === 32 && id.every((b) => b === 0);
}

const CHANNEL_UPDATE_TYPE = wireMessages.typeNumber('channel_update');
const SIGNATURE_SIZE = 64;

/**
 * The bytes a channel_update's signature covers: everything after the signature. BOLT 7 signs
 * "the entire remaining packet", so pass the raw message as received when verifying: a peer may
 * append fields this codec does not know, which a decode/encode round trip would drop. Given a
 * ChannelUpdate object, returns the bytes of its encoding (for signing updates we create).
 */
export function channelUpdateSignedBytes(update: ChannelUpdate | Uint8Array): Uint8Array {
  const raw = update instanceof Uint8Array ? update : encodeMessage(update);
  if (raw.length < 2 + SIGNATURE_SIZE) throw new WireError('TRUNCATED', 'channel_update shorter than its signature');
  const typeNum = new ByteReader(raw).u16();
  if (typeNum !== CHANNEL_UPDATE_TYPE) throw new WireError('BAD_VALUE', `type ${typeNum} is not channel_update`);
  return raw.slice(2 + SIGNATURE_SIZE);
}
