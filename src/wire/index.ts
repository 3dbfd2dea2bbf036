// Public surface of the wire layer (BOLT 1, 2, 7, 9).
//
//   decodeMessage(bytes)  -> WireMessage | UnknownMessage   (WireError on malformed known messages)
//   encodeMessage(msg)    -> 2-byte type + payload
//
// Other layers declare their own structures with the same engine, e.g. a BOLT 4 hop payload:
//   const payload = tlvStream('payload', [['amt_to_forward', 2, fields.tu64], ...]);
//   const failures = messageSet('failure', { temporary_channel_failure: msg(0x1007, [...]) });
// and read/write them with `codec.read(reader)`, `codec.write(writer, v)`, encodeWith/decodeWith.
export { WireError, type WireErrorCode } from './errors.js';
export { bigSizeLength, decodeBigSize, encodeBigSize, readBigSize } from './bigsize.js';
export {
  type Codec,
  type CodecDesc,
  type CodecValue,
  type FieldDef,
  type StructCodec,
  type StructValue,
  consumesRest,
  decodeWith,
  encodeWith,
  struct,
} from './codec.js';
export * as fields from './fields.js';
export {
  type TlvRecord,
  type TlvRecordDef,
  type TlvStream,
  type TlvValue,
  type UnknownTlv,
  readTlvRecords,
  tlvStream,
  writeTlvRecords,
} from './tlv.js';
export { type MessageOf, type MessageSet, type MessageSpec, type MessageSpecs, messageSet, msg } from './message-set.js';
export * from './messages.js';
export { ATTRIBUTION_DATA_SIZE, ONION_PACKET_SIZE } from './defs/bolt2.js';
export * from './features.js';
export * from './scid.js';
export * from './chains.js';
export * from './gossip-queries.js';
