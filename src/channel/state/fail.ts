// Failing a channel. BOLT 2/5: after an error (ours or the peer's) the channel stops and the
// latest commitment goes on chain; the one exception is a proven data loss, where our "latest"
// commitment is revoked and broadcasting it would hand the peer all our funds.
import { fromHex, utf8 } from '../../util/bytes.js';
import type { Tx } from '../bitcoin/tx.js';
import { txidHex } from '../bitcoin/tx.js';
import { signedCommitmentTx } from '../signatures.js';
import type { Draft } from './draft.js';
import { buildCommitment } from './commitments.js';
import type { ChannelView } from './commitments.js';

/** Our latest commitment with both signatures in its witness, or null before funding_signed. */
export function signedLocalCommitment(v: ChannelView): Tx | null {
  const r = v.record;
  if (!r.local_commit_sig || !r.funding_txid || !r.remote_keys) return null;
  const { tx } = buildCommitment(v, 'local', r.local_ctn);
  return signedCommitmentTx(tx, { local: v.signer.signHolderCommitment(tx), remote: r.local_commit_sig });
}

export interface FailOptions {
  /** Who failed the channel: we send `error` only when it is us. */
  readonly by: 'local' | 'remote';
  /** We lost state (or cannot tell): never broadcast. */
  readonly dataLoss?: boolean;
}

export function failChannel(d: Draft, reason: string, opts: FailOptions): void {
  const r = d.record;
  // The error is for the peer: offline, it learns on reconnection (we no longer reestablish).
  if (opts.by === 'local' && d.connection !== 'disconnected') d.out({ type: 'error', channel_id: fromHex(d.channelId), data: utf8(reason) });
  d.update({ failure: reason });
  if (!d.persisted) {
    d.setState('ABORTED');
  } else if (opts.dataLoss) {
    d.setState('DATA_LOSS');
  } else if (r.state !== 'CLOSING_COMPLETE' && r.state !== 'FORCE_CLOSED' && r.state !== 'ONCHAIN') {
    const tx = signedLocalCommitment(d);
    d.setState('FORCE_CLOSED');
    if (tx) d.emit({ type: 'broadcast', channel_id: d.channelId, kind: 'commitment', tx, txid: txidHex(tx) });
  }
  d.emit({ type: 'channel_failed', channel_id: d.channelId, reason, by: opts.by, data_loss: !!opts.dataLoss });
}
