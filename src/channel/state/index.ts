// Public surface of the BOLT 2 channel state machine (sans-IO). See docs/channel-state-machine.md.
export * from './types.js';
export { ChannelStateError, type ChannelStateErrorCode } from './errors.js';
export { ChannelSigner, channelKeysFromSeed, type ChannelKeySource, type ChannelSecrets } from './keys.js';
export { DEFAULT_CHANNEL_POLICY, MAX_ACCEPTED_HTLCS_LIMIT } from './params.js';
export type { NewChannelArgs, OpenChannelArgs, PeerContext } from './establish.js';
export type { AddHtlcRequest } from './updates.js';
export type { ShutdownOptions } from './close.js';
export { FAILURE, MAX_CLTV_EXPIRY, type LimitKind } from './limits.js';
export {
  openChannel,
  acceptChannel,
  provideFunding,
  fundingDepth,
  addHtlc,
  fulfillHtlc,
  failHtlc,
  failMalformedHtlc,
  updateFee,
  commit,
  peerConnected,
  peerDisconnected,
  shutdown,
  forceClose,
  fundingSpent,
  blockHeight,
  importChannel,
  type AddHtlcResult,
  type ImportChannelArgs,
} from './api.js';
export { receiveMessage } from './machine.js';
export { OFFERED_HTLC_GRACE_BLOCKS, FULFILL_DEADLINE_BLOCKS } from './deadlines.js';
export { signedLocalCommitment } from './fail.js';
export { CHANNELS_TABLE, HTLCS_TABLE, CHANNEL_TABLES, channelWriteOps, restoreChannel, parseChannelRecord, parseHtlcRecord, type ChannelWriteOp } from './records.js';
export {
  CLN_STATE,
  clnState,
  balances,
  htlcViews,
  pendingIncoming,
  channelSummary,
  fundingWatch,
  type ChannelBalances,
  type HtlcView,
  type ChannelSummary,
  type FundingWatch,
} from './views.js';
export { isValidShutdownScript } from './shutdown-script.js';
export {
  DEFAULT_FEE_UPDATE_RULES,
  FEERATE_FLOOR_PER_KW,
  canProposeFee,
  feeEstimateTarget,
  feeUpdateFor,
  type FeeEstimateTarget,
  type FeeUpdateRules,
} from './fee-update.js';
