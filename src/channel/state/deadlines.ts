// BOLT 2 HTLC deadlines, checked when the runtime reports a new block height. An HTLC we offered
// that is still on a commitment G blocks after its cltv_expiry, or an HTLC we fulfilled whose
// removal the peer has not committed 7 blocks before its cltv_expiry, can only be saved on chain:
// the channel fails and our commitment goes to the runtime for broadcast.
import type { Draft } from './draft.js';
import { failChannel } from './fail.js';

/** Blocks after cltv_expiry before an offered HTLC must go on chain (BOLT 2's G). */
export const OFFERED_HTLC_GRACE_BLOCKS = 1;
/** Blocks before cltv_expiry by which a fulfilled incoming HTLC must be off the commitments. */
export const FULFILL_DEADLINE_BLOCKS = 7;

export function checkDeadlines(d: Draft, height: number): void {
  const s = d.record.state;
  if (s !== 'NORMAL' && s !== 'SHUTDOWN' && s !== 'NEGOTIATING' && s !== 'AWAITING_LOCKIN') return;
  for (const h of d.htlcs.values()) {
    const onCommitment = h.added.local !== null || h.added.remote !== null;
    if (h.offerer === 'local' && onCommitment && height >= h.cltv_expiry + OFFERED_HTLC_GRACE_BLOCKS) {
      return failChannel(d, `offered HTLC ${h.id} timed out (cltv_expiry ${h.cltv_expiry}, height ${height})`, { by: 'local' });
    }
    if (h.offerer === 'remote' && h.removal?.kind === 'fulfill' && height >= h.cltv_expiry - FULFILL_DEADLINE_BLOCKS) {
      return failChannel(d, `fulfilled HTLC ${h.id} not removed before its deadline (cltv_expiry ${h.cltv_expiry}, height ${height})`, { by: 'local' });
    }
  }
}
