// BOLT 3 witness scripts. Both peers must produce the same bytes, so these follow the spec's
// templates exactly; channel-type differences are the anchors' extra CSV clauses.
import type { Bytes } from '../util/bytes.js';
import { compareBytes } from '../util/bytes.js';
import type { ChannelType } from './channel-type.js';
import { channelTypeRules } from './channel-type.js';
import { OP, compileScript, hash160, p2wpkh, p2wsh, ripemd } from './bitcoin/script.js';
import type { ScriptPart } from './bitcoin/script.js';
import { ChannelError } from './errors.js';

function key33(name: string, b: Bytes): void {
  if (!(b instanceof Uint8Array) || b.length !== 33) throw new ChannelError('BAD_KEY', `${name} must be a 33-byte public key`);
}

function u16Delay(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new ChannelError('BAD_SPEC', 'to_self_delay must be a u16');
}

/** `2 <pubkey1> <pubkey2> 2 OP_CHECKMULTISIG`, keys in increasing byte order. */
export function fundingWitnessScript(pubkeyA: Bytes, pubkeyB: Bytes): Bytes {
  key33('funding_pubkey', pubkeyA);
  key33('funding_pubkey', pubkeyB);
  const [k1, k2] = compareBytes(pubkeyA, pubkeyB) <= 0 ? [pubkeyA, pubkeyB] : [pubkeyB, pubkeyA];
  return compileScript([OP.OP_2, k1, k2, OP.OP_2, OP.OP_CHECKMULTISIG]);
}

/**
 * to_local, and the output of HTLC-timeout/success transactions:
 * `OP_IF <revocationpubkey> OP_ELSE to_self_delay OP_CSV OP_DROP <local_delayedpubkey> OP_ENDIF OP_CHECKSIG`.
 */
export function toLocalWitnessScript(revocationPubkey: Bytes, toSelfDelay: number, localDelayedPubkey: Bytes): Bytes {
  key33('revocationpubkey', revocationPubkey);
  key33('local_delayedpubkey', localDelayedPubkey);
  u16Delay(toSelfDelay);
  return compileScript([
    OP.OP_IF,
    revocationPubkey,
    OP.OP_ELSE,
    { num: toSelfDelay },
    OP.OP_CHECKSEQUENCEVERIFY,
    OP.OP_DROP,
    localDelayedPubkey,
    OP.OP_ENDIF,
    OP.OP_CHECKSIG,
  ]);
}

/** Anchors' to_remote: `<remotepubkey> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY`. */
export function toRemoteAnchorsWitnessScript(remotePubkey: Bytes): Bytes {
  key33('remotepubkey', remotePubkey);
  return compileScript([remotePubkey, OP.OP_CHECKSIGVERIFY, { num: 1 }, OP.OP_CHECKSEQUENCEVERIFY]);
}

/** to_remote output: P2WPKH (static_remotekey) or P2WSH of the CSV-1 script (anchors); witness script if any. */
export function toRemoteOutput(type: ChannelType, remotePubkey: Bytes): { scriptPubKey: Bytes; witnessScript?: Bytes } {
  if (!channelTypeRules(type).anchors) return { scriptPubKey: p2wpkh(remotePubkey) };
  const witnessScript = toRemoteAnchorsWitnessScript(remotePubkey);
  return { scriptPubKey: p2wsh(witnessScript), witnessScript };
}

/**
 * Anchor output: `<funding_pubkey> OP_CHECKSIG OP_IFDUP OP_NOTIF OP_16 OP_CSV OP_ENDIF`; spendable by
 * its owner at once, or by anyone after 16 blocks (to sweep it once the commitment confirmed).
 */
export function anchorWitnessScript(fundingPubkey: Bytes): Bytes {
  key33('funding_pubkey', fundingPubkey);
  return compileScript([
    fundingPubkey,
    OP.OP_CHECKSIG,
    OP.OP_IFDUP,
    OP.OP_NOTIF,
    { num: 16 },
    OP.OP_CHECKSEQUENCEVERIFY,
    OP.OP_ENDIF,
  ]);
}

export interface HtlcScriptKeys {
  readonly revocation_pubkey: Bytes;
  readonly local_htlc_pubkey: Bytes;
  readonly remote_htlc_pubkey: Bytes;
}

/**
 * What every HTLC script of one commitment shares, checked and hashed once: a commitment with
 * hundreds of HTLCs would otherwise re-hash the revocation key for each of them.
 */
export interface HtlcScriptContext {
  readonly channel_type: ChannelType;
  readonly revocation_hash160: Bytes;
  readonly local_htlc_pubkey: Bytes;
  readonly remote_htlc_pubkey: Bytes;
}

export function htlcScriptContext(type: ChannelType, keys: HtlcScriptKeys): HtlcScriptContext {
  key33('revocationpubkey', keys.revocation_pubkey);
  key33('local_htlcpubkey', keys.local_htlc_pubkey);
  key33('remote_htlcpubkey', keys.remote_htlc_pubkey);
  channelTypeRules(type);
  return {
    channel_type: type,
    revocation_hash160: hash160(keys.revocation_pubkey),
    local_htlc_pubkey: keys.local_htlc_pubkey,
    remote_htlc_pubkey: keys.remote_htlc_pubkey,
  };
}

function checkPaymentHash(paymentHash: Bytes): void {
  if (!(paymentHash instanceof Uint8Array) || paymentHash.length !== 32) throw new ChannelError('BAD_KEY', 'payment_hash must be 32 bytes');
}

/** Anchor channels require a 1-block CSV on every path the counterparty can take alone (no pinning). */
function csvOneSuffix(type: ChannelType): ScriptPart[] {
  return channelTypeRules(type).anchors ? [{ num: 1 }, OP.OP_CHECKSEQUENCEVERIFY, OP.OP_DROP] : [];
}

/** Revocation check shared by both HTLC scripts: `OP_DUP OP_HASH160 <H(revocationpubkey)> OP_EQUAL OP_IF OP_CHECKSIG OP_ELSE <remote_htlcpubkey> OP_SWAP OP_SIZE 32 OP_EQUAL`. */
function htlcPrefix(ctx: HtlcScriptContext): ScriptPart[] {
  return [
    OP.OP_DUP,
    OP.OP_HASH160,
    ctx.revocation_hash160,
    OP.OP_EQUAL,
    OP.OP_IF,
    OP.OP_CHECKSIG,
    OP.OP_ELSE,
    ctx.remote_htlc_pubkey,
    OP.OP_SWAP,
    OP.OP_SIZE,
    { num: 32 },
    OP.OP_EQUAL,
  ];
}

/** Offered HTLC output (the holder pays): timeout via HTLC-timeout (2-of-2), or the remote with the preimage. */
export function offeredHtlcScript(ctx: HtlcScriptContext, paymentHash: Bytes): Bytes {
  checkPaymentHash(paymentHash);
  return compileScript([
    ...htlcPrefix(ctx),
    OP.OP_NOTIF,
    OP.OP_DROP,
    { num: 2 },
    OP.OP_SWAP,
    ctx.local_htlc_pubkey,
    { num: 2 },
    OP.OP_CHECKMULTISIG,
    OP.OP_ELSE,
    OP.OP_HASH160,
    ripemd(paymentHash),
    OP.OP_EQUALVERIFY,
    OP.OP_CHECKSIG,
    OP.OP_ENDIF,
    ...csvOneSuffix(ctx.channel_type),
    OP.OP_ENDIF,
  ]);
}

/** Received HTLC output (the holder is paid): success via HTLC-success (2-of-2 + preimage), or the remote after cltv_expiry. */
export function receivedHtlcScript(ctx: HtlcScriptContext, paymentHash: Bytes, cltvExpiry: number): Bytes {
  checkPaymentHash(paymentHash);
  if (!Number.isInteger(cltvExpiry) || cltvExpiry < 0 || cltvExpiry > 0xffffffff) throw new ChannelError('BAD_SPEC', 'cltv_expiry must be a u32');
  return compileScript([
    ...htlcPrefix(ctx),
    OP.OP_IF,
    OP.OP_HASH160,
    ripemd(paymentHash),
    OP.OP_EQUALVERIFY,
    { num: 2 },
    OP.OP_SWAP,
    ctx.local_htlc_pubkey,
    { num: 2 },
    OP.OP_CHECKMULTISIG,
    OP.OP_ELSE,
    OP.OP_DROP,
    { num: cltvExpiry },
    OP.OP_CHECKLOCKTIMEVERIFY,
    OP.OP_DROP,
    OP.OP_CHECKSIG,
    OP.OP_ENDIF,
    ...csvOneSuffix(ctx.channel_type),
    OP.OP_ENDIF,
  ]);
}

export function offeredHtlcWitnessScript(type: ChannelType, keys: HtlcScriptKeys, paymentHash: Bytes): Bytes {
  return offeredHtlcScript(htlcScriptContext(type, keys), paymentHash);
}

export function receivedHtlcWitnessScript(type: ChannelType, keys: HtlcScriptKeys, paymentHash: Bytes, cltvExpiry: number): Bytes {
  return receivedHtlcScript(htlcScriptContext(type, keys), paymentHash, cltvExpiry);
}
