// Failure onions (BOLT 4 "Returning Errors"): built by the erring node, wrapped by every hop on
// the way back, attributed and decoded by the origin. Attribution data travels next to the
// packet (update_fail_htlc TLV 1) and is maintained here too when present.
import { hmacSha256 } from '../crypto/secp256k1.js';
import { ByteReader, ByteWriter, equalBytes } from '../util/bytes.js';
import { LightningError } from '../errors.js';
import { addAttribution, ATTRIBUTION_DATA_SIZE, AttributionVerifier } from './attribution.js';
import { OnionError } from './errors.js';
import { deriveKey, xorKeystreamInPlace } from './keys.js';
import { decodeFailureMessage, encodeFailureMessage, type DecodedFailureMessage, type FailureMessageInput } from './failure-message.js';
import { clnFailcodeName, isBadOnion } from './failure-codes.js';

/** BOLT 4: failure_len + pad_len SHOULD be 256, so that all packets look alike. */
export const DEFAULT_FAILURE_PAD_TARGET = 256;

export interface FailurePacket {
  /** update_fail_htlc.reason */
  reason: Uint8Array;
  /** update_fail_htlc TLV 1 (920 bytes), when attributable failures are in use. */
  attribution_data?: Uint8Array;
}

export interface BuildFailureOptions {
  /** failure_len + pad_len; default 256. */
  padTarget?: number;
  /** Add attribution data with this hold time (in the spec's 100 ms units). */
  holdTime?: number;
}

/**
 * At the erring node: hmac(um) || u16 len || failuremsg || u16 pad_len || pad, encrypted with the
 * ammag stream; optionally with fresh attribution data.
 */
export function buildFailurePacket(sharedSecret: Uint8Array, message: FailureMessageInput | Uint8Array, opts: BuildFailureOptions = {}): FailurePacket {
  const msg = message instanceof Uint8Array ? message : encodeFailureMessage(message);
  if (msg.length < 2 || msg.length > 0xffff) throw new OnionError('BAD_ARGUMENT', 'failure message must be 2..65535 bytes');
  const target = opts.padTarget ?? DEFAULT_FAILURE_PAD_TARGET;
  const padLen = Math.max(0, target - msg.length);
  if (padLen > 0xffff) throw new OnionError('BAD_ARGUMENT', 'padding too large');
  const body = new ByteWriter().u16(msg.length).bytes(msg).u16(padLen).bytes(new Uint8Array(padLen)).finish();
  const hmac = hmacSha256(deriveKey('um', sharedSecret), body);
  const plain = new Uint8Array(32 + body.length);
  plain.set(hmac, 0);
  plain.set(body, 32);
  const out: FailurePacket = { reason: plain };
  // The attribution HMACs cover the packet before this node's ammag layer.
  if (opts.holdTime !== undefined) out.attribution_data = addAttribution(undefined, sharedSecret, opts.holdTime, plain);
  xorKeystreamInPlace(deriveKey('ammag', sharedSecret), plain);
  return out;
}

/**
 * At a forwarding node, before passing a downstream failure upstream: add our ammag layer and,
 * when `holdTime` is given, our attribution entry (started afresh if downstream sent none).
 */
export function wrapFailurePacket(sharedSecret: Uint8Array, packet: FailurePacket, holdTime?: number): FailurePacket {
  const reason = packet.reason.slice();
  const out: FailurePacket = { reason };
  if (holdTime !== undefined) out.attribution_data = addAttribution(packet.attribution_data, sharedSecret, holdTime, packet.reason);
  xorKeystreamInPlace(deriveKey('ammag', sharedSecret), reason);
  return out;
}

export interface AttributionResult {
  /** Hold times of the hops whose HMAC verified, in route order. */
  hold_times: number[];
  /** 0-based hop index of the first hop whose attribution HMAC failed, if any. */
  first_invalid_index?: number;
}

export type DecodedFailure =
  | {
      ok: true;
      /**
       * 0-based index into the route of the node that produced the failure (0 = first hop after
       * us). Core Lightning's `erring_index` counts us as 0, so its value is this + 1.
       */
      erring_index: number;
      failcode: number;
      failcodename?: string;
      /** The decrypted failure message, starting with the 2-byte code. */
      raw_message: Uint8Array;
      /** Decoded fields, absent when they do not parse (the code is still reliable). */
      message?: DecodedFailureMessage;
      /** Why the fields did not parse. */
      fields_error?: string;
      attribution?: AttributionResult;
    }
  | {
      /** No hop's HMAC matched, or the matching packet is malformed: Core Lightning's 202 case. */
      ok: false;
      reason: string;
      /** With attribution data: the first hop whose HMAC failed (the likely culprit). */
      blamed_index?: number;
      attribution?: AttributionResult;
    };

function parsePlainPacket(plain: Uint8Array): Uint8Array | string {
  const r = new ByteReader(plain.subarray(32));
  if (r.remaining < 2) return 'failure packet too short';
  const len = r.u16();
  if (len > r.remaining) return 'failure_len runs past the end of the packet';
  const msg = r.bytes(len).slice();
  if (r.remaining < 2) return 'missing pad_len';
  const padLen = r.u16();
  if (padLen !== r.remaining) return 'pad_len does not match the packet length';
  if (msg.length < 2) return 'failure message shorter than its code';
  return msg;
}

/**
 * At the origin: peel layers with each hop's shared secret (route order) until a hop's HMAC
 * matches. Never throws for hostile packets; returns { ok: false } when nothing decodes.
 */
export function decodeFailurePacket(sharedSecrets: Uint8Array[], packet: FailurePacket): DecodedFailure {
  if (!(packet.reason instanceof Uint8Array)) throw new OnionError('BAD_ARGUMENT', 'reason must be bytes');
  // Attribution data of the wrong size is ignored: the legacy HMAC path still attributes.
  const verifier =
    packet.attribution_data !== undefined && packet.attribution_data.length === ATTRIBUTION_DATA_SIZE
      ? new AttributionVerifier(packet.attribution_data, sharedSecrets.length)
      : undefined;
  const attribution: AttributionResult | undefined = verifier !== undefined ? { hold_times: [] } : undefined;
  const data = packet.reason.slice();
  if (data.length < 32 + 4) return { ok: false, reason: 'failure packet too short', ...(attribution ? { attribution } : {}) };

  for (let i = 0; i < sharedSecrets.length; i++) {
    const ss = sharedSecrets[i]!;
    xorKeystreamInPlace(deriveKey('ammag', ss), data);
    if (verifier !== undefined && attribution !== undefined && attribution.first_invalid_index === undefined) {
      const t = verifier.verifyHop(i, ss, data);
      if (t === null) attribution.first_invalid_index = i;
      else attribution.hold_times.push(t);
    }
    const expected = hmacSha256(deriveKey('um', ss), data.subarray(32));
    if (!equalBytes(expected, data.subarray(0, 32))) continue;

    const msg = parsePlainPacket(data);
    if (typeof msg === 'string') {
      const bad: DecodedFailure = { ok: false, reason: `hop ${i}: ${msg}`, blamed_index: i };
      if (attribution) bad.attribution = attribution;
      return bad;
    }
    const failcode = (msg[0]! << 8) | msg[1]!;
    const res: DecodedFailure = { ok: true, erring_index: i, failcode, raw_message: msg };
    try {
      res.message = decodeFailureMessage(msg);
      if (res.message.failcodename !== undefined) res.failcodename = res.message.failcodename;
    } catch (e) {
      // Only the decoder's typed refusal is a property of the message; anything else is a bug.
      if (!(e instanceof LightningError)) throw e;
      res.fields_error = e.message;
      const name = clnFailcodeName(failcode);
      if (name !== undefined) res.failcodename = name;
    }
    if (attribution) res.attribution = attribution;
    return res;
  }
  const none: DecodedFailure = { ok: false, reason: 'no hop HMAC matched' };
  if (attribution) {
    none.attribution = attribution;
    if (attribution.first_invalid_index !== undefined) none.blamed_index = attribution.first_invalid_index;
  }
  return none;
}

/** update_fail_malformed_htlc contents for a BADONION failure. */
export interface MalformedFailure {
  sha256_of_onion: Uint8Array;
  failure_code: number;
}

export function malformedFailure(failureCode: number, sha256OfOnion: Uint8Array): MalformedFailure {
  if (!isBadOnion(failureCode)) throw new OnionError('BAD_ARGUMENT', 'update_fail_malformed_htlc needs a BADONION failure code');
  if (sha256OfOnion.length !== 32) throw new OnionError('BAD_ARGUMENT', 'sha256_of_onion must be 32 bytes');
  return { sha256_of_onion: sha256OfOnion, failure_code: failureCode };
}

/**
 * The upstream node of a hop that sent update_fail_malformed_htlc turns it into a regular
 * failure (code + sha256_of_onion) encrypted with its own shared secret.
 */
export function failureFromMalformed(sharedSecret: Uint8Array, m: MalformedFailure, opts: BuildFailureOptions = {}): FailurePacket {
  // Unknown BADONION codes carry the hash as raw data; known ones through the table.
  return buildFailurePacket(sharedSecret, { code: m.failure_code, fields: { sha256_of_onion: m.sha256_of_onion }, data: m.sha256_of_onion }, opts);
}
