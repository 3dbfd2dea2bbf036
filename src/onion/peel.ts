// Forwarder/payee side: process one incoming onion packet with our node secret. Integrity
// problems become the BADONION failures (sent back in update_fail_malformed_htlc); payload
// problems become invalid_onion_payload (sent back encrypted, since the shared secret is known).
import { ecdh, hmacSha256, isValidPubkey, pubkeyTweakMul, sha256 } from '../crypto/secp256k1.js';
import { concatBytes, equalBytes } from '../util/bytes.js';
import { readBigSize } from './codec.js';
import { OnionError } from './errors.js';
import { blindingFactor, deriveKey, xorKeystream } from './keys.js';
import { decodeHopPayload, PayloadError, type HopPayload } from './payload.js';
import { HMAC_SIZE } from './kernel.js';
import { FAILCODE } from './failure-codes.js';

/** Bytes around the routing info: version (1) + ephemeral key (33) + HMAC (32). */
export const PACKET_OVERHEAD = 1 + 33 + HMAC_SIZE;

export type PeelResult =
  | {
      kind: 'forward';
      payload: HopPayload;
      /** Raw TLV stream of our payload (without its length prefix). */
      payloadBytes: Uint8Array;
      sharedSecret: Uint8Array;
      /** The packet to put in the outgoing update_add_htlc. */
      nextPacket: Uint8Array;
    }
  | { kind: 'final'; payload: HopPayload; payloadBytes: Uint8Array; sharedSecret: Uint8Array }
  | {
      /** Unusable onion: answer with update_fail_malformed_htlc (see malformedFailure). */
      kind: 'malformed';
      failcode: number;
      sha256_of_onion: Uint8Array;
      reason: string;
    }
  | {
      /** The onion is authentic but our payload is bad: answer with an encrypted
       * invalid_onion_payload failure built with `sharedSecret`. */
      kind: 'invalid_payload';
      sharedSecret: Uint8Array;
      tlvType: bigint;
      /** Byte offset in the decrypted hop_payloads stream (the stream starts with the BigSize length). */
      offset: number;
      reason: string;
    };

/**
 * Peels one layer. `packet` is the whole onion_routing_packet (1366 bytes for payments; other
 * sizes are accepted for custom onions). Never throws on hostile packet contents; throws
 * OnionError only for caller errors (packet shorter than the fixed overhead).
 */
export function peelOnion(packet: Uint8Array, nodeSecret: Uint8Array, associatedData: Uint8Array): PeelResult {
  if (!(packet instanceof Uint8Array) || packet.length < PACKET_OVERHEAD) {
    throw new OnionError('BAD_PACKET', `onion packet must be at least ${PACKET_OVERHEAD} bytes`);
  }
  const malformed = (failcode: number, reason: string): PeelResult => ({ kind: 'malformed', failcode, sha256_of_onion: sha256(packet), reason });
  const routingSize = packet.length - PACKET_OVERHEAD;
  if (packet[0] !== 0) return malformed(FAILCODE.invalid_onion_version, `unknown onion version ${packet[0]}`);
  const ephemeral = packet.subarray(1, 34);
  if (!isValidPubkey(ephemeral)) return malformed(FAILCODE.invalid_onion_key, 'ephemeral key is not a valid point');
  const routing = packet.subarray(34, 34 + routingSize);
  const hmac = packet.subarray(34 + routingSize);

  const ss = ecdh(nodeSecret, ephemeral);
  const expected = hmacSha256(deriveKey('mu', ss), concatBytes(routing, associatedData));
  if (!equalBytes(expected, hmac)) return malformed(FAILCODE.invalid_onion_hmac, 'onion HMAC mismatch');

  // Decrypt routing info extended by routingSize zero bytes: what shifts in becomes the next
  // hop's (still encrypted) tail.
  const extended = new Uint8Array(2 * routingSize);
  extended.set(routing);
  const plain = xorKeystream(deriveKey('rho', ss), extended);

  const invalid = (tlvType: bigint, offset: number, reason: string): PeelResult => ({ kind: 'invalid_payload', sharedSecret: ss, tlvType, offset, reason });
  let len: bigint;
  let prefix: number;
  try {
    const l = readBigSize(plain, 0);
    len = l.value;
    prefix = l.size;
  } catch (e) {
    if (!(e instanceof OnionError)) throw e;
    return invalid(0n, 0, 'hop payload length is not a canonical BigSize');
  }
  // 0 was the legacy realm-0 frame (no longer supported) and 1 is reserved.
  if (len < 2n) return invalid(0n, 0, `hop payload length ${len} is not supported`);
  if (len > BigInt(routingSize - prefix - HMAC_SIZE)) return invalid(0n, 0, 'hop payload overflows the routing info');
  const end = prefix + Number(len);
  const payloadBytes = plain.slice(prefix, end);
  const nextHmac = plain.slice(end, end + HMAC_SIZE);
  const isFinal = nextHmac.every((b) => b === 0);

  let payload: HopPayload;
  try {
    payload = decodeHopPayload(payloadBytes, isFinal ? 'final' : 'forward', prefix);
  } catch (e) {
    if (e instanceof PayloadError) return invalid(e.tlvType, e.offset, e.message);
    throw e;
  }
  if (isFinal) return { kind: 'final', payload, payloadBytes, sharedSecret: ss };

  const nextRouting = plain.subarray(end + HMAC_SIZE, end + HMAC_SIZE + routingSize);
  const nextEphemeral = pubkeyTweakMul(ephemeral, blindingFactor(ephemeral, ss));
  const nextPacket = concatBytes(new Uint8Array([0]), nextEphemeral, nextRouting, nextHmac);
  return { kind: 'forward', payload, payloadBytes, sharedSecret: ss, nextPacket };
}
