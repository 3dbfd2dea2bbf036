// The commitment dance: commitment_signed out and in, revoke_and_ack out and in, and what follows
// when a commitment number moves (CtnPair assignment, irrevocability events, folding resolved
// HTLCs into the base balances). The assignment rules are the table in docs/channel-state-machine.md.
import { equalBytes, fromHex } from '../../util/bytes.js';
import { isValidPubkey, pubkeyCreate } from '../../crypto/secp256k1.js';
import type { CommitmentSigned, RevokeAndAck } from '../../wire/messages.js';
import { buildHtlcTxs } from '../htlc-tx.js';
import { verifyHolderCommitmentSignatures } from '../signatures.js';
import { insertCommitmentSecret } from '../shachain-store.js';
import type { Draft } from './draft.js';
import { buildCommitment, funderSide, isIrrevocable, otherSide } from './commitments.js';
import type { CtnPair, FeeUpdate, HtlcRecord, HtlcResult, Side } from './types.js';
import { protocolError } from './errors.js';

function withAt(at: CtnPair, side: Side, n: number): CtnPair {
  return side === 'local' ? { local: n, remote: at.remote } : { local: at.local, remote: n };
}

/**
 * Applies `assign` to the side-`side` ctn of every update proposed by `proposer` for which
 * `select(at)` holds: adds, removals and fee updates alike.
 */
function assignCtns(d: Draft, proposer: Side, side: Side, select: (at: CtnPair) => boolean, n: number): void {
  for (const h of [...d.htlcs.values()]) {
    if (h.offerer === proposer && select(h.added)) d.putHtlc({ ...h, added: withAt(h.added, side, n) });
    const cur = d.htlc(h.offerer, h.id)!;
    if (cur.removal && otherSide(cur.offerer) === proposer && select(cur.removal.at)) {
      d.putHtlc({ ...cur, removal: { ...cur.removal, at: withAt(cur.removal.at, side, n) } });
    }
  }
  if (funderSide(d.record) === proposer && d.record.fee_updates.some((f) => select(f.at))) {
    d.update({ fee_updates: d.record.fee_updates.map((f): FeeUpdate => (select(f.at) ? { ...f, at: withAt(f.at, side, n) } : f)) });
  }
}

function anyUpdate(d: Draft, pred: (proposer: Side, at: CtnPair) => boolean): boolean {
  for (const h of d.htlcs.values()) {
    if (pred(h.offerer, h.added)) return true;
    if (h.removal && pred(otherSide(h.offerer), h.removal.at)) return true;
  }
  const funder = funderSide(d.record);
  return d.record.fee_updates.some((f) => pred(funder, f.at));
}

/** Whether our next commitment_signed would change the peer's commitment. */
export function hasChangesForRemote(d: Draft): boolean {
  const m = d.record.remote_ctn + 1;
  return anyUpdate(d, (p, at) => (p === 'local' && at.remote === null) || at.remote === m);
}

/** Whether we proposed updates the peer has not seen in a commitment_signed yet. */
export function hasUnsignedLocalUpdates(d: Draft): boolean {
  return anyUpdate(d, (p, at) => p === 'local' && at.remote === null);
}

export function canUpdate(d: Draft): boolean {
  const s = d.record.state;
  return (s === 'NORMAL' || s === 'SHUTDOWN') && d.connection === 'active';
}

/** Sends commitment_signed for the peer's next commitment if there is anything to sign and we may. */
export function signIfNeeded(d: Draft): boolean {
  const r = d.record;
  if (!canUpdate(d) || r.awaiting_revoke || !r.remote_next_point || !hasChangesForRemote(d)) return false;
  const m = r.remote_ctn + 1;
  assignCtns(d, 'local', 'remote', (at) => at.remote === null, m);
  const { tx } = buildCommitment(d, 'remote', m);
  const sigs = d.signer.signCounterparty(tx, buildHtlcTxs(tx), r.remote_next_point);
  d.update({ awaiting_revoke: true, last_commit_seq: d.nextSeq() });
  d.out({ type: 'commitment_signed', channel_id: fromHex(d.channelId), signature: sigs.signature, htlc_signature: [...sigs.htlc_signatures], tlvs: {} });
  return true;
}

/** The commitment_signed we sent for `remote_ctn + 1`, rebuilt (RFC 6979 makes it byte-identical). */
export function rebuildCommitmentSigned(d: Draft): CommitmentSigned {
  const r = d.record;
  const m = r.remote_ctn + 1;
  const { tx } = buildCommitment(d, 'remote', m);
  const sigs = d.signer.signCounterparty(tx, buildHtlcTxs(tx), r.remote_next_point!);
  return { type: 'commitment_signed', channel_id: fromHex(d.channelId), signature: sigs.signature, htlc_signature: [...sigs.htlc_signatures], tlvs: {} };
}

/** The revoke_and_ack for our commitment `local_ctn - 1` (also what a retransmission sends). */
export function revokeAndAckMessage(d: Draft): RevokeAndAck {
  const n = d.record.local_ctn;
  return {
    type: 'revoke_and_ack',
    channel_id: fromHex(d.channelId),
    per_commitment_secret: d.signer.revealSecret(n - 1),
    next_per_commitment_point: d.signer.point(n + 1),
  };
}

export function receiveCommitmentSigned(d: Draft, m: CommitmentSigned): void {
  if (!canUpdate(d)) throw protocolError(`commitment_signed in state ${d.record.state}`);
  const r = d.record;
  const n = r.local_ctn + 1;
  assignCtns(d, 'remote', 'local', (at) => at.local === null, n);
  const { tx } = buildCommitment(d, 'local', n);
  verifyHolderCommitmentSignatures(tx, buildHtlcTxs(tx), { signature: m.signature, htlc_signatures: m.htlc_signature });
  d.update({ local_ctn: n, local_commit_sig: m.signature, local_htlc_sigs: [...m.htlc_signature] });
  // Revoke our previous commitment at once: the new one is signed and verified.
  const next = d.record.remote_ctn + (d.record.awaiting_revoke ? 2 : 1);
  assignCtns(d, 'remote', 'remote', (at) => at.local !== null && at.remote === null, next);
  d.update({ last_revoke_seq: d.nextSeq() });
  d.out(revokeAndAckMessage(d));
  processIrrevocable(d);
  signIfNeeded(d);
}

export function receiveRevokeAndAck(d: Draft, m: RevokeAndAck): void {
  if (!canUpdate(d)) throw protocolError(`revoke_and_ack in state ${d.record.state}`);
  const r = d.record;
  if (!r.awaiting_revoke) throw protocolError('revoke_and_ack without a commitment_signed to answer');
  if (!r.remote_current_point || !equalBytes(pubkeyCreate(m.per_commitment_secret), r.remote_current_point)) {
    throw protocolError(`revoke_and_ack: per_commitment_secret does not match the point of commitment ${r.remote_ctn}`);
  }
  const store = insertCommitmentSecret(r.remote_secrets, BigInt(r.remote_ctn), m.per_commitment_secret);
  if (!isValidPubkey(m.next_per_commitment_point)) throw protocolError('revoke_and_ack: next_per_commitment_point is not a valid point');
  d.update({
    remote_secrets: store,
    remote_ctn: r.remote_ctn + 1,
    remote_current_point: r.remote_next_point,
    remote_next_point: m.next_per_commitment_point,
    awaiting_revoke: false,
  });
  assignCtns(d, 'local', 'local', (at) => at.remote !== null && at.local === null, d.record.local_ctn + 1);
  processIrrevocable(d);
  signIfNeeded(d);
}

function resultOf(h: HtlcRecord): HtlcResult {
  const rm = h.removal!;
  if (rm.kind === 'fulfill') return { kind: 'fulfill', preimage: rm.preimage! };
  if (rm.kind === 'fail') return { kind: 'fail', reason: rm.reason! };
  return { kind: 'fail_malformed', sha256_of_onion: rm.sha256_of_onion!, failure_code: rm.failure_code! };
}

/**
 * After a commitment number moved: tells the runtime about incoming HTLCs now irrevocably
 * committed and removals now irrevocably committed; folds the latter (and committed fee updates)
 * into the base state so the log only holds what is still in flight.
 */
export function processIrrevocable(d: Draft): void {
  const r = d.record;
  let local = r.base_local_msat;
  let remote = r.base_remote_msat;
  let folded = false;
  for (const h of [...d.htlcs.values()]) {
    if (h.offerer === 'remote' && !h.add_notified && isIrrevocable(h.added, r)) {
      d.putHtlc({ ...h, add_notified: true });
      d.emit({
        type: 'htlc_incoming',
        channel_id: d.channelId,
        htlc: {
          id: h.id,
          amount_msat: h.amount_msat,
          payment_hash: fromHex(h.payment_hash),
          cltv_expiry: h.cltv_expiry,
          onion_routing_packet: h.onion,
          path_key: h.path_key,
        },
        fail_on_commit: h.fail_on_commit,
      });
    }
    if (h.removal && isIrrevocable(h.removal.at, r)) {
      if (h.removal.kind === 'fulfill') {
        if (h.offerer === 'local') {
          local -= h.amount_msat;
          remote += h.amount_msat;
        } else {
          remote -= h.amount_msat;
          local += h.amount_msat;
        }
      }
      folded = true;
      d.deleteHtlc(h);
      d.emit({
        type: 'htlc_resolved',
        channel_id: d.channelId,
        offerer: h.offerer,
        id: h.id,
        amount_msat: h.amount_msat,
        payment_hash: fromHex(h.payment_hash),
        result: resultOf(h),
      });
    }
  }
  if (folded) d.update({ base_local_msat: local, base_remote_msat: remote });
  const committed = d.record.fee_updates.filter((f) => isIrrevocable(f.at, d.record));
  if (committed.length > 0) {
    const last = committed[committed.length - 1]!;
    const lastIndex = d.record.fee_updates.indexOf(last);
    d.update({ base_feerate_per_kw: last.feerate_per_kw, fee_updates: d.record.fee_updates.slice(lastIndex + 1) });
  }
}
