// Mutual close: shutdown (sent once our updates are all signed, answered once the peer's are),
// then, when no HTLC is left on either commitment, closing_signed fee negotiation. With the
// fee_range TLV the modern rules settle in at most three messages; without it (legacy peers) both
// sides move "strictly between" their last offers until they meet.
import type { Bytes } from '../../util/bytes.js';
import { equalBytes, fromHex } from '../../util/bytes.js';
import type { Sat, Msat } from '../../types.js';
import type { ClosingSigned, Shutdown } from '../../wire/messages.js';
import { p2wpkh } from '../bitcoin/script.js';
import { serializeTx, txWeight, txidHex } from '../bitcoin/tx.js';
import type { ClosingTx } from '../closing.js';
import { buildClosingTx, signedClosingTx, verifyClosingSig } from '../closing.js';
import type { Draft } from './draft.js';
import { hasUnsignedLocalUpdates, signIfNeeded } from './commit.js';
import { FEERATE_FLOOR_PER_KW } from './fee-update.js';
import { isValidShutdownScript } from './shutdown-script.js';
import { badCommand, badState, protocolError, protocolWarning } from './errors.js';
import type { FeeStep } from './types.js';

/** Witness of a 2-of-2 funding spend: count, empty item, two ~72-byte signatures, the 71-byte script. */
const CLOSING_WITNESS_WEIGHT = 2 + 1 + 1 + 73 + 73 + 72;

export interface ShutdownOptions {
  /** Where our funds go; defaults to the upfront script, else P2WPKH of our payment basepoint. */
  readonly scriptpubkey?: Bytes;
  /** Closing feerate target (sat/kw); defaults to the commitment feerate. */
  readonly feerate_per_kw?: number;
  readonly fee_range?: { readonly min_fee_satoshis: bigint; readonly max_fee_satoshis: bigint };
  /** Our acceptable closing feerates (sat/kw); the fees follow from the closing tx's weight. */
  readonly feerate_range?: { readonly min_per_kw: number; readonly max_per_kw: number };
  /** Legacy negotiation step (see ClosingNegotiation.fee_step). */
  readonly fee_step?: FeeStep;
}

/**
 * Our default closing script: P2WPKH of our channel payment_basepoint, a key derived from the node
 * seed and the channel key index (the same key static_remotekey pays our to_remote balance to).
 */
export function defaultCloseScript(d: Draft): Bytes {
  const up = d.record.local_params.upfront_shutdown_script;
  return up.length > 0 ? up : p2wpkh(d.signer.basepoints.payment_basepoint);
}

export function requestShutdown(d: Draft, opts: ShutdownOptions): void {
  const r = d.record;
  if (!['AWAITING_LOCKIN', 'NORMAL', 'SHUTDOWN'].includes(r.state)) throw badState(`cannot close a channel in state ${r.state}`);
  if (r.closing.shutdown_requested) return;
  const up = r.local_params.upfront_shutdown_script;
  const script = opts.scriptpubkey ?? defaultCloseScript(d);
  if (!isValidShutdownScript(script, r.peer_anysegwit)) throw badCommand('scriptpubkey is not a valid shutdown script');
  if (up.length > 0 && !equalBytes(up, script)) throw badCommand('scriptpubkey differs from our upfront_shutdown_script');
  if (opts.feerate_per_kw !== undefined && (!Number.isInteger(opts.feerate_per_kw) || opts.feerate_per_kw < FEERATE_FLOOR_PER_KW)) {
    throw badCommand(`closing feerate_per_kw must be an integer >= ${FEERATE_FLOOR_PER_KW}`);
  }
  const range = opts.fee_range ?? null;
  if (range && (range.min_fee_satoshis < 0n || range.min_fee_satoshis > range.max_fee_satoshis)) throw badCommand('bad fee_range');
  const rates = opts.feerate_range ?? null;
  if (rates && (!Number.isInteger(rates.min_per_kw) || !Number.isInteger(rates.max_per_kw) || rates.min_per_kw < 0 || rates.min_per_kw > rates.max_per_kw)) {
    throw badCommand('feerate_range: min must be an integer no greater than max');
  }
  const step = opts.fee_step ?? null;
  if (step && (step.unit === 'percent' ? !Number.isInteger(step.value) || step.value < 1 || step.value > 100 : step.value < 1n)) {
    throw badCommand('fee_step must be 1..100 percent or at least 1 satoshi');
  }
  d.update({
    closing: {
      ...r.closing,
      shutdown_requested: true,
      local_script: script.slice(),
      feerate_per_kw: opts.feerate_per_kw ?? null,
      fee_range: range,
      feerate_range: rates,
      fee_step: step,
    },
  });
  // shutdown waits for our pending updates to be signed: do not leave that to chance.
  signIfNeeded(d);
}

export function shutdownMessage(d: Draft): Shutdown {
  return { type: 'shutdown', channel_id: fromHex(d.channelId), scriptpubkey: d.record.closing.local_script! };
}

/** Sends our shutdown once requested and nothing of ours awaits a signature (BOLT 2). */
export function maybeSendShutdown(d: Draft): void {
  const c = d.record.closing;
  if (!c.shutdown_requested || c.shutdown_sent || d.connection !== 'active' || hasUnsignedLocalUpdates(d)) return;
  if (!['AWAITING_LOCKIN', 'NORMAL', 'SHUTDOWN'].includes(d.record.state)) return;
  d.update({ closing: { ...c, shutdown_sent: true } });
  d.out(shutdownMessage(d));
  d.setState('SHUTDOWN');
}

export function receiveShutdown(d: Draft, m: Shutdown): void {
  const r = d.record;
  const c = r.closing;
  if (c.shutdown_received) {
    // Retransmitted after a reconnection: fine if it is the same script.
    if (c.remote_script && equalBytes(c.remote_script, m.scriptpubkey)) return;
    throw protocolWarning('shutdown with a different scriptpubkey');
  }
  if (!['AWAITING_LOCKIN', 'NORMAL', 'SHUTDOWN'].includes(r.state)) throw protocolError(`shutdown in state ${r.state}`);
  const up = r.remote_params?.upfront_shutdown_script ?? new Uint8Array(0);
  if (up.length > 0 && !equalBytes(up, m.scriptpubkey)) throw protocolWarning('shutdown scriptpubkey differs from the upfront_shutdown_script');
  if (!isValidShutdownScript(m.scriptpubkey, r.peer_anysegwit)) throw protocolWarning('shutdown scriptpubkey is not a valid form');
  d.update({ closing: { ...c, shutdown_received: true, remote_script: m.scriptpubkey.slice() } });
  if (!c.shutdown_requested) requestShutdown(d, {});
  d.setState('SHUTDOWN');
  // Our reply may only follow once our own updates are signed (BOLT 2): sign them now.
  signIfNeeded(d);
}

function clearForClosing(d: Draft): boolean {
  const r = d.record;
  return d.htlcs.size === 0 && r.fee_updates.length === 0 && !r.awaiting_revoke;
}

type Perspective = 'ours' | 'theirs';

/** The closing tx as `who` builds it (their dust limit on their variant); `omitOwn` drops the builder's output. */
function closingTx(d: Draft, fee: bigint, who: Perspective, omitOwn: boolean): ClosingTx {
  const r = d.record;
  const c = r.closing;
  const ours = who === 'ours';
  return buildClosingTx({
    funding: {
      txid: r.funding_txid!,
      output_index: r.funding_output_index,
      amount_sat: r.funding_satoshis as Sat,
      local_funding_pubkey: ours ? d.signer.basepoints.funding_pubkey : r.remote_keys!.funding_pubkey,
      remote_funding_pubkey: ours ? r.remote_keys!.funding_pubkey : d.signer.basepoints.funding_pubkey,
    },
    local_is_funder: ours ? r.funder : !r.funder,
    to_local_msat: (ours ? r.base_local_msat : r.base_remote_msat) as Msat,
    to_remote_msat: (ours ? r.base_remote_msat : r.base_local_msat) as Msat,
    local_scriptpubkey: ours ? c.local_script! : c.remote_script!,
    remote_scriptpubkey: ours ? c.remote_script! : c.local_script!,
    fee_satoshis: fee as Sat,
    dust_limit_satoshis: (ours ? r.local_params.dust_limit_satoshis : r.remote_params!.dust_limit_satoshis) as Sat,
    omit_local_output: omitOwn,
  });
}

function funderBalanceSat(d: Draft): bigint {
  const r = d.record;
  return (r.funder ? r.base_local_msat : r.base_remote_msat) / 1000n;
}

/** Our preferred fee and acceptable range. */
function ourFees(d: Draft): { fee: bigint; min: bigint; max: bigint } {
  const c = d.record.closing;
  const feerate = c.feerate_per_kw ?? d.record.base_feerate_per_kw;
  const weight = txWeight(closingTx(d, 0n, 'ours', false).tx) + CLOSING_WITNESS_WEIGHT;
  const cap = funderBalanceSat(d);
  const clamp = (x: bigint): bigint => (x > cap ? cap : x < 0n ? 0n : x);
  const at = (perKw: number): bigint => (BigInt(perKw) * BigInt(weight)) / 1000n;
  let fee = clamp(at(feerate));
  const rates = c.feerate_range;
  const min = clamp(c.fee_range?.min_fee_satoshis ?? (rates ? at(rates.min_per_kw) : fee / 2n));
  const max = clamp(c.fee_range?.max_fee_satoshis ?? (rates ? at(rates.max_per_kw) : fee * 2n));
  if (fee < min) fee = min;
  if (fee > max) fee = max;
  return { fee, min, max };
}

/**
 * Whether our closing_signed carries fee_range (quick close). A chosen negotiation step asks for
 * the legacy exchange, as in Core Lightning; anchor channels always quick-close.
 */
function quickClose(d: Draft): boolean {
  return d.record.closing.fee_step === null || d.record.channel_type === 'anchors_zero_fee_htlc_tx';
}

/** `withRange` false: the peer negotiates the legacy way, so we answer in kind. */
function sendClosingSigned(d: Draft, fee: bigint, tx: ClosingTx, range: { min: bigint; max: bigint }, withRange = quickClose(d)): void {
  const sig = d.signer.signClosing(tx);
  d.update({ closing: { ...d.record.closing, last_sent_fee: fee } });
  d.out({
    type: 'closing_signed',
    channel_id: fromHex(d.channelId),
    fee_satoshis: fee,
    signature: sig,
    tlvs: withRange ? { fee_range: { min_fee_satoshis: range.min, max_fee_satoshis: range.max } } : {},
  });
}

/** Our next legacy offer: from our last one towards theirs by the step (default: halfway). */
function stepTowards(last: bigint, theirs: bigint, step: FeeStep | null): bigint {
  const gap = theirs - last;
  if (step === null || step.unit === 'percent') return last + (gap * BigInt(step?.value ?? 50)) / 100n;
  const move = gap < 0n ? -gap : gap;
  const by = step.value < move ? step.value : move;
  return gap < 0n ? last - by : last + by;
}

/** Once both shutdowns are exchanged and no HTLC remains: negotiate (the funder speaks first). */
export function maybeStartNegotiation(d: Draft): void {
  const r = d.record;
  const c = r.closing;
  if (d.connection !== 'active' || !c.shutdown_sent || !c.shutdown_received || !clearForClosing(d)) return;
  if (r.state !== 'SHUTDOWN' && r.state !== 'NEGOTIATING') return;
  d.setState('NEGOTIATING');
  if (r.funder && c.last_sent_fee === null) {
    const f = ourFees(d);
    sendClosingSigned(d, f.fee, closingTx(d, f.fee, 'ours', false), f);
  }
}

/** Both signatures on `tx`, in the funding script's order, then hand it to the runtime. */
function complete(d: Draft, tx: ClosingTx, who: Perspective, theirSig: Bytes): void {
  const ourSig = d.signer.signClosing(tx);
  const signed = signedClosingTx(tx, who === 'ours' ? { local: ourSig, remote: theirSig } : { local: theirSig, remote: ourSig });
  d.update({ closing: { ...d.record.closing, closing_tx: serializeTx(signed) } });
  d.setState('CLOSING_COMPLETE');
  d.emit({ type: 'broadcast', channel_id: d.channelId, kind: 'closing', tx: signed, txid: txidHex(signed) });
}

export function receiveClosingSigned(d: Draft, m: ClosingSigned): void {
  const r = d.record;
  if (r.state === 'SHUTDOWN' && clearForClosing(d) && r.closing.shutdown_sent && r.closing.shutdown_received) d.setState('NEGOTIATING');
  if (d.record.state !== 'NEGOTIATING' || !canNegotiate(d)) throw protocolError(`closing_signed in state ${d.record.state}`);
  const c = d.record.closing;
  const fee = m.fee_satoshis;
  if (fee > funderBalanceSat(d)) throw protocolError(`closing fee ${fee} exceeds the funder's balance`);
  // The peer signed its own variant of the tx (its dust limit; it may drop its own output).
  let theirs = closingTx(d, fee, 'theirs', false);
  if (!verifyClosingSig(theirs, m.signature, r.remote_keys!.funding_pubkey)) {
    theirs = closingTx(d, fee, 'theirs', true);
    if (!verifyClosingSig(theirs, m.signature, r.remote_keys!.funding_pubkey)) throw protocolError('closing_signed: invalid signature');
  }
  const previousReceived = c.last_received_fee;
  d.update({ closing: { ...c, last_received_fee: fee } });
  if (c.last_sent_fee !== null && fee === c.last_sent_fee) return complete(d, theirs, 'theirs', m.signature);

  const ours = ourFees(d);
  const agree = (range: { min: bigint; max: bigint }, withRange?: boolean): void => {
    sendClosingSigned(d, fee, theirs, range, withRange);
    complete(d, theirs, 'theirs', m.signature);
  };
  const theirRange = m.tlvs.fee_range;
  if (theirRange) {
    let { min, max } = ours;
    if (!r.funder) {
      // The non-funder does not pay: accept at least the funder's range.
      if (theirRange.max_fee_satoshis > max) max = theirRange.max_fee_satoshis;
      if (theirRange.min_fee_satoshis < min) min = theirRange.min_fee_satoshis;
    }
    const lo = min > theirRange.min_fee_satoshis ? min : theirRange.min_fee_satoshis;
    const hi = max < theirRange.max_fee_satoshis ? max : theirRange.max_fee_satoshis;
    if (lo > hi) throw protocolWarning(`closing_signed: no overlap between fee ranges ${min}..${max} and ${theirRange.min_fee_satoshis}..${theirRange.max_fee_satoshis}`);
    if (fee >= lo && fee <= hi) {
      if (r.funder || c.last_sent_fee === null) return agree({ min, max });
      throw protocolError(`closing_signed: fee ${fee} is not the ${c.last_sent_fee} we sent`);
    }
    if (r.funder) throw protocolError(`closing_signed: fee ${fee} is outside the fee range overlap ${lo}..${hi}`);
    if (c.last_sent_fee !== null) throw protocolError(`closing_signed: fee ${fee} is not the ${c.last_sent_fee} we sent`);
    const pick = ours.fee < lo ? lo : ours.fee > hi ? hi : ours.fee;
    sendClosingSigned(d, pick, closingTx(d, pick, 'ours', false), { min, max });
    return;
  }
  // Legacy negotiation: move strictly between our last offer and theirs.
  if (c.last_sent_fee !== null && previousReceived !== null) {
    const a = c.last_sent_fee < previousReceived ? c.last_sent_fee : previousReceived;
    const b = c.last_sent_fee < previousReceived ? previousReceived : c.last_sent_fee;
    if (!(fee > a && fee < b)) throw protocolWarning(`closing_signed: fee ${fee} is not between ${a} and ${b}`);
  }
  if (fee >= ours.min && fee <= ours.max) return agree(ours, false);
  const last = c.last_sent_fee ?? ours.fee;
  let next = stepTowards(last, fee, c.fee_step);
  // Round towards their offer so that we always make progress and eventually meet.
  if (next === last) next = fee > last ? last + 1n : last - 1n;
  if (next === fee) return agree(ours, false);
  sendClosingSigned(d, next, closingTx(d, next, 'ours', false), ours, false);
}

function canNegotiate(d: Draft): boolean {
  return d.connection === 'active' && d.record.closing.shutdown_sent && d.record.closing.shutdown_received && clearForClosing(d);
}

/** Negotiation restarts after a reconnection (BOLT 2). */
export function resetNegotiation(d: Draft): void {
  const c = d.record.closing;
  if (c.last_sent_fee !== null || c.last_received_fee !== null) d.update({ closing: { ...c, last_sent_fee: null, last_received_fee: null } });
}

