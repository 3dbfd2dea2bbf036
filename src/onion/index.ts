// Public surface of the onion layer (BOLT 4).
export { OnionError, type OnionErrorCode } from './errors.js';
export { buildOnion, buildPaymentOnion, freshSessionKey, routeHopPayloads, DEFAULT_ROUTING_INFO_SIZE } from './build.js';
export type { OnionHop, BuildOnionOptions, BuiltOnion, PaymentRouteHop, PaymentOnionOptions } from './build.js';
export { peelOnion, PACKET_OVERHEAD, type PeelResult } from './peel.js';
export { encodeHopPayload, decodeHopPayload, frameHopPayload, type HopPayload, type PaymentData, type UnknownTlv } from './payload.js';
export { routeSharedSecrets } from './keys.js';
export {
  FAILURE_TABLE,
  FAILCODE,
  BADONION,
  PERM,
  NODE,
  UPDATE,
  clnFailcodeName,
  failureSpecByCode,
  failureSpecByName,
  isBadOnion,
  type FailureName,
  type FailureSpec,
  type FailureFieldDefs,
} from './failure-codes.js';
export { encodeFailureMessage, decodeFailureMessage, type FailureMessageInput, type DecodedFailureMessage, type FailureFields } from './failure-message.js';
export {
  buildFailurePacket,
  wrapFailurePacket,
  decodeFailurePacket,
  malformedFailure,
  failureFromMalformed,
  DEFAULT_FAILURE_PAD_TARGET,
  type FailurePacket,
  type DecodedFailure,
  type MalformedFailure,
  type BuildFailureOptions,
  type AttributionResult,
} from './failure-packet.js';
export { addAttribution, decodeFulfillAttribution, AttributionVerifier, ATTRIBUTION_DATA_SIZE, MAX_HOPS } from './attribution.js';
export { createOnion, CREATE_ONION_FAILED, PAYLOADS_EXCEED_ONION, MAX_ONION_SIZE, type CreateOnionParams, type CreateOnionResult } from './createonion.js';
