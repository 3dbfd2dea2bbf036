// Public surface of the forwarding layer: our relay policy, the BOLT 4 forwarding decision,
// channel_update (BOLT 7), forward records and listforwards. Sans-IO throughout.
export { DEFAULT_POLICY, DEFAULT_MAX_LOCKTIME_BLOCKS, POLICY_GRACE_SECONDS, effectiveMinimum, forwardFee, gracePolicy, paysFee, type ChannelPolicy, type RelayPolicy } from './policy.js';
export {
  CHAN_FLAG_DIRECTION,
  CHAN_FLAG_DISABLE,
  MSG_FLAG_DONT_FORWARD,
  MSG_FLAG_MUST_BE_ONE,
  ChannelUpdateError,
  buildChannelUpdate,
  directionBit,
  policyOf,
  verifyChannelUpdate,
  type ChannelUpdateParams,
  type PeerPolicy,
  type SignedChannelUpdate,
  type VerifiedUpdate,
} from './channel-update.js';
export { htlcFailure, failreasonOf, type HtlcFailure } from './failure.js';
export {
  checkForward,
  channelUpdateFor,
  type ForwardContext,
  type ForwardDecision,
  type ForwardPayload,
  type IncomingHtlc,
  type OutgoingChannel,
  type OutgoingState,
} from './check.js';
export {
  FORWARDS_TABLE,
  FORWARD_STATUSES,
  ZERO_FORWARD_COUNTERS,
  forwardFailed,
  forwardInKey,
  forwardLocalFailed,
  forwardOffered,
  forwardSettled,
  u64Key,
  type ForwardChange,
  type ForwardCounters,
  type ForwardIndexBump,
  type ForwardRecord,
  type ForwardStatus,
  type ForwardTransition,
  type IncomingSide,
} from './record.js';
export {
  LISTFORWARDS_PARAMS,
  formatForward,
  formatListforwards,
  forwardsStoreQuery,
  planListforwards,
  selectForwards,
  type ForwardObject,
  type ForwardsQuery,
  type ForwardsStoreQuery,
  type ListforwardsParams,
  type ListforwardsResult,
} from './listforwards.js';
export { paramShortChannelId, scidFromClnText, scidText, scidToken } from '../rpc/scid-text.js';
