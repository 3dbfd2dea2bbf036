// Typed errors of the BOLT 2 state machine. Transitions driven by peer messages never throw: a
// ChannelStateError raised while handling one is turned into the `error`/`warning` BOLT 2 asks
// for. Local commands (the runtime's calls) throw them for misuse: calling a command in a state
// where it makes no sense is a bug in the caller, not a protocol event.
import { LightningError } from '../../errors.js';

export type ChannelStateErrorCode =
  /** The peer broke a BOLT 2 MUST: send `error` and fail the channel. */
  | 'PROTOCOL'
  /** The peer did something BOLT 2 lets us answer with a `warning` and a disconnect. */
  | 'PROTOCOL_WARNING'
  /** The peer proved (channel_reestablish) that our state is older than theirs. */
  | 'DATA_LOSS'
  /** A local command in a state where it is not allowed. */
  | 'BAD_STATE'
  /** A local command with an invalid argument. */
  | 'BAD_COMMAND'
  /** A persisted record that does not have the expected shape. */
  | 'BAD_RECORD';

export class ChannelStateError extends LightningError {
  constructor(
    override readonly code: ChannelStateErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** The peer violated the protocol: the channel fails. */
export function protocolError(message: string): ChannelStateError {
  return new ChannelStateError('PROTOCOL', message);
}

/** The peer misbehaved in a way that only warrants a warning and a reconnection. */
export function protocolWarning(message: string): ChannelStateError {
  return new ChannelStateError('PROTOCOL_WARNING', message);
}

export function badState(message: string): ChannelStateError {
  return new ChannelStateError('BAD_STATE', message);
}

export function badCommand(message: string): ChannelStateError {
  return new ChannelStateError('BAD_COMMAND', message);
}
