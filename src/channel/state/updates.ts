// HTLC and fee updates, proposed by us (local commands) or by the peer (update_* messages). Each
// becomes an entry of the update log with an empty CtnPair; commit.ts assigns commitment numbers.
// The peer's updates are checked against every BOLT 2 limit; a violation fails the channel.
import { equalBytes, fromHex, toHex } from '../../util/bytes.js';
import { isValidPubkey, sha256 } from '../../crypto/secp256k1.js';
import type { UpdateAddHtlc, UpdateFailHtlc, UpdateFailMalformedHtlc, UpdateFee, UpdateFulfillHtlc, WireMessage } from '../../wire/messages.js';
import { ONION_PACKET_SIZE } from '../../wire/defs/bolt2.js';
import type { Draft } from './draft.js';
import { canUpdate } from './commit.js';
import { FEERATE_FLOOR_PER_KW } from './fee-update.js';
import { funderSide, isIrrevocable } from './commitments.js';
import { canAffordFeerate, checkAdd, exceedsDustExposure } from './limits.js';
import type { LimitViolation } from './limits.js';
import type { HtlcRecord, HtlcRemoval } from './types.js';
import { badCommand, badState, protocolError } from './errors.js';

const NULL_CTNS = { local: null, remote: null } as const;
const BADONION = 0x8000;

// ---- messages for our own updates (first send and retransmission) ----

export function addMessage(channelId: string, h: HtlcRecord): UpdateAddHtlc {
  return {
    type: 'update_add_htlc',
    channel_id: fromHex(channelId),
    id: BigInt(h.id),
    amount_msat: h.amount_msat,
    payment_hash: fromHex(h.payment_hash),
    cltv_expiry: h.cltv_expiry,
    onion_routing_packet: h.onion,
    tlvs: h.path_key ? { blinded_path: h.path_key } : {},
  };
}

export function removalMessage(channelId: string, h: HtlcRecord, rm: HtlcRemoval): WireMessage {
  const channel_id = fromHex(channelId);
  const id = BigInt(h.id);
  if (rm.kind === 'fulfill') return { type: 'update_fulfill_htlc', channel_id, id, payment_preimage: rm.preimage!, tlvs: {} };
  if (rm.kind === 'fail') return { type: 'update_fail_htlc', channel_id, id, reason: rm.reason!, tlvs: {} };
  return { type: 'update_fail_malformed_htlc', channel_id, id, sha256_of_onion: rm.sha256_of_onion!, failure_code: rm.failure_code! };
}

// ---- local commands ----

export interface AddHtlcRequest {
  readonly amount_msat: bigint;
  readonly payment_hash: Uint8Array;
  readonly cltv_expiry: number;
  readonly onion_routing_packet: Uint8Array;
  /** Route-blinding path_key for the next hop, if any. */
  readonly path_key?: Uint8Array | null;
}

/** Adds our HTLC to the log and sends update_add_htlc, or returns the limit it would break. */
export function localAdd(d: Draft, req: AddHtlcRequest): { id: number } | LimitViolation {
  if (!(req.payment_hash instanceof Uint8Array) || req.payment_hash.length !== 32) throw badCommand('payment_hash must be 32 bytes');
  if (!(req.onion_routing_packet instanceof Uint8Array) || req.onion_routing_packet.length !== ONION_PACKET_SIZE) {
    throw badCommand(`onion_routing_packet must be ${ONION_PACKET_SIZE} bytes`);
  }
  if (typeof req.amount_msat !== 'bigint') throw badCommand('amount_msat must be a bigint');
  const violation = checkAdd(d, 'local', req.amount_msat, req.cltv_expiry);
  if (violation) return violation;
  const id = d.record.next_local_htlc_id;
  const seq = d.nextSeq();
  const h: HtlcRecord = {
    v: 1,
    channel_id: d.channelId,
    offerer: 'local',
    id,
    amount_msat: req.amount_msat,
    payment_hash: toHex(req.payment_hash),
    cltv_expiry: req.cltv_expiry,
    onion: req.onion_routing_packet.slice(),
    path_key: req.path_key ? req.path_key.slice() : null,
    added: NULL_CTNS,
    add_seq: seq,
    removal: null,
    preimage: null,
    add_notified: false,
    fail_on_commit: null,
  };
  d.putHtlc(h);
  d.update({ next_local_htlc_id: id + 1 });
  d.out(addMessage(d.channelId, h));
  return { id };
}

/** An incoming HTLC we may settle: irrevocably added and not being removed yet. */
function settleable(d: Draft, id: number): HtlcRecord {
  if (!Number.isSafeInteger(id)) throw badCommand('HTLC id must be an integer');
  const h = d.htlc('remote', id);
  if (!h) throw badCommand(`no incoming HTLC ${id}`);
  if (h.removal) throw badState(`incoming HTLC ${id} is already being removed`);
  if (!isIrrevocable(h.added, d.record)) throw badState(`incoming HTLC ${id} is not irrevocably committed yet`);
  return h;
}

/**
 * Records our removal of an incoming HTLC. While the peer is away it is only logged: like every
 * update of ours that no commitment_signed covered, it goes out after channel_reestablish. That
 * lets the runtime settle (e.g. with a preimage learned downstream) whatever the connection does.
 */
function localRemove(d: Draft, h: HtlcRecord, rm: Omit<HtlcRemoval, 'at' | 'seq'>): void {
  const removal: HtlcRemoval = { ...rm, at: NULL_CTNS, seq: d.nextSeq() };
  d.putHtlc({ ...h, removal });
  if (d.connection === 'active') d.out(removalMessage(d.channelId, h, removal));
}

export function localFulfill(d: Draft, id: number, preimage: Uint8Array): void {
  const h = settleable(d, id);
  if (!(preimage instanceof Uint8Array) || preimage.length !== 32 || toHex(sha256(preimage)) !== h.payment_hash) {
    throw badCommand(`preimage does not match the payment_hash of HTLC ${id}`);
  }
  localRemove(d, h, { kind: 'fulfill', preimage: preimage.slice(), reason: null, sha256_of_onion: null, failure_code: null });
}

export function localFail(d: Draft, id: number, reason: Uint8Array): void {
  const h = settleable(d, id);
  if (!(reason instanceof Uint8Array) || reason.length > 65535) throw badCommand('failure reason must be at most 65535 bytes');
  localRemove(d, h, { kind: 'fail', preimage: null, reason: reason.slice(), sha256_of_onion: null, failure_code: null });
}

export function localFailMalformed(d: Draft, id: number, sha256OfOnion: Uint8Array, failureCode: number): void {
  const h = settleable(d, id);
  if (!(sha256OfOnion instanceof Uint8Array) || sha256OfOnion.length !== 32) throw badCommand('sha256_of_onion must be 32 bytes');
  if (!Number.isInteger(failureCode) || failureCode < 0 || failureCode > 0xffff || (failureCode & BADONION) === 0) {
    throw badCommand('failure_code of update_fail_malformed_htlc must have the BADONION bit');
  }
  localRemove(d, h, { kind: 'fail_malformed', preimage: null, reason: null, sha256_of_onion: sha256OfOnion.slice(), failure_code: failureCode });
}

export function localUpdateFee(d: Draft, feerate: number): void {
  const r = d.record;
  if (!r.funder) throw badState('only the funder sends update_fee');
  if (!Number.isInteger(feerate) || feerate < FEERATE_FLOOR_PER_KW || feerate > 0xffffffff) throw badCommand(`feerate_per_kw must be an integer >= ${FEERATE_FLOOR_PER_KW}`);
  if (!canAffordFeerate(d, 'local', feerate, true) || !canAffordFeerate(d, 'remote', feerate, true)) {
    throw badCommand(`cannot afford feerate ${feerate} while keeping the reserve`);
  }
  const seq = d.nextSeq();
  d.update({ fee_updates: [...d.record.fee_updates, { feerate_per_kw: feerate, at: NULL_CTNS, seq }] });
  d.out({ type: 'update_fee', channel_id: fromHex(d.channelId), feerate_per_kw: feerate });
}

// ---- the peer's updates ----

function requireUpdatable(d: Draft, what: string): void {
  if (!canUpdate(d)) throw protocolError(`${what} in state ${d.record.state}`);
}

export function receiveAdd(d: Draft, m: UpdateAddHtlc): void {
  requireUpdatable(d, 'update_add_htlc');
  const r = d.record;
  if (r.closing.shutdown_received) throw protocolError('update_add_htlc after shutdown');
  if (m.id !== BigInt(r.next_remote_htlc_id)) throw protocolError(`update_add_htlc id ${m.id}, expected ${r.next_remote_htlc_id}`);
  if (m.tlvs.blinded_path && !isValidPubkey(m.tlvs.blinded_path)) throw protocolError('update_add_htlc: invalid blinding point');
  const violation = checkAdd(d, 'remote', m.amount_msat, m.cltv_expiry);
  if (violation) throw protocolError(`update_add_htlc ${m.id} violates our limits: ${violation.reason}`);
  const dust = exceedsDustExposure(d, m.amount_msat, m.cltv_expiry);
  d.putHtlc({
    v: 1,
    channel_id: d.channelId,
    offerer: 'remote',
    id: r.next_remote_htlc_id,
    amount_msat: m.amount_msat,
    payment_hash: toHex(m.payment_hash),
    cltv_expiry: m.cltv_expiry,
    onion: m.onion_routing_packet,
    path_key: m.tlvs.blinded_path ?? null,
    added: NULL_CTNS,
    add_seq: 0,
    removal: null,
    preimage: null,
    add_notified: false,
    fail_on_commit: dust ? 'dust_exposure' : r.closing.shutdown_sent ? 'shutting_down' : null,
  });
  d.update({ next_remote_htlc_id: r.next_remote_htlc_id + 1 });
}

/** Our HTLC the peer may remove: BOLT 2 requires its addition to be irrevocably committed. */
function removable(d: Draft, id: bigint, what: string): HtlcRecord {
  const h = id <= BigInt(Number.MAX_SAFE_INTEGER) ? d.htlc('local', Number(id)) : undefined;
  if (!h) throw protocolError(`${what} for unknown HTLC ${id}`);
  if (h.removal) throw protocolError(`${what} for HTLC ${id}, which is already being removed`);
  if (!isIrrevocable(h.added, d.record)) throw protocolError(`${what} for HTLC ${id} before it was irrevocably committed`);
  return h;
}

export function receiveFulfill(d: Draft, m: UpdateFulfillHtlc): void {
  requireUpdatable(d, 'update_fulfill_htlc');
  const h = removable(d, m.id, 'update_fulfill_htlc');
  if (!equalBytes(sha256(m.payment_preimage), fromHex(h.payment_hash))) {
    throw protocolError(`update_fulfill_htlc ${m.id}: preimage does not match the payment_hash`);
  }
  const preimage = m.payment_preimage.slice();
  d.putHtlc({ ...h, preimage, removal: { kind: 'fulfill', preimage, reason: null, sha256_of_onion: null, failure_code: null, at: NULL_CTNS, seq: 0 } });
  // The preimage is proof of payment whatever happens to this update later: tell the runtime now.
  if (!h.preimage) d.emit({ type: 'htlc_preimage', channel_id: d.channelId, id: h.id, payment_hash: fromHex(h.payment_hash), preimage });
}

export function receiveFail(d: Draft, m: UpdateFailHtlc): void {
  requireUpdatable(d, 'update_fail_htlc');
  const h = removable(d, m.id, 'update_fail_htlc');
  d.putHtlc({ ...h, removal: { kind: 'fail', preimage: null, reason: m.reason.slice(), sha256_of_onion: null, failure_code: null, at: NULL_CTNS, seq: 0 } });
}

export function receiveFailMalformed(d: Draft, m: UpdateFailMalformedHtlc): void {
  requireUpdatable(d, 'update_fail_malformed_htlc');
  const h = removable(d, m.id, 'update_fail_malformed_htlc');
  if ((m.failure_code & BADONION) === 0) throw protocolError('update_fail_malformed_htlc without the BADONION bit');
  d.putHtlc({
    ...h,
    removal: { kind: 'fail_malformed', preimage: null, reason: null, sha256_of_onion: m.sha256_of_onion.slice(), failure_code: m.failure_code, at: NULL_CTNS, seq: 0 },
  });
}

export function receiveUpdateFee(d: Draft, m: UpdateFee): void {
  requireUpdatable(d, 'update_fee');
  const r = d.record;
  if (funderSide(r) !== 'remote') throw protocolError('update_fee from the non-funder');
  const { min_feerate_per_kw: min, max_feerate_per_kw: max } = r.policy;
  if (m.feerate_per_kw < min || m.feerate_per_kw > max) throw protocolError(`update_fee ${m.feerate_per_kw} outside our range ${min}..${max}`);
  if (!canAffordFeerate(d, 'local', m.feerate_per_kw, false)) throw protocolError(`update_fee ${m.feerate_per_kw}: the funder cannot afford it`);
  d.update({ fee_updates: [...r.fee_updates, { feerate_per_kw: m.feerate_per_kw, at: NULL_CTNS, seq: 0 }] });
}

/** Reverses the peer's updates that no commitment_signed covered (BOLT 2, on disconnection). */
export function reverseUncommittedRemote(d: Draft): void {
  let nextId = d.record.next_remote_htlc_id;
  for (const h of [...d.htlcs.values()]) {
    if (h.offerer === 'remote' && h.added.local === null) {
      d.deleteHtlc(h);
      if (h.id < nextId) nextId = h.id;
      continue;
    }
    // Their removal of our HTLC; the preimage they revealed stays known.
    if (h.offerer === 'local' && h.removal && h.removal.at.local === null) d.putHtlc({ ...h, removal: null });
  }
  const fees = d.record.fee_updates;
  const keep = funderSide(d.record) === 'remote' ? fees.filter((f) => f.at.local !== null) : fees;
  if (nextId !== d.record.next_remote_htlc_id) d.update({ next_remote_htlc_id: nextId });
  if (keep.length !== fees.length) d.update({ fee_updates: keep });
}

