// A minimal BOLT 4 onion peeler on the crypto facade, for checking sphinxBuild's output layer by
// layer (HMAC, payload, next ephemeral key). Not production code: src/onion owns real peeling.
import { chacha20, ecdh, hmacSha256, pubkeyTweakMul, sha256 } from '../../../../src/crypto/index.js';
import { concatBytes, equalBytes, utf8 } from '../../../../src/util/bytes.js';

export interface PeeledHop {
  sharedSecret: Uint8Array;
  /** The hop payload exactly as framed (BigSize length prefix included; legacy: 33 bytes). */
  framedPayload: Uint8Array;
  final: boolean;
  next: Uint8Array;
}

function frameLength(b: Uint8Array): number {
  const first = b[0]!;
  if (first === 0) return 33; // legacy realm-0 frame
  if (first < 0xfd) return 1 + first;
  if (first === 0xfd) return 3 + ((b[1]! << 8) | b[2]!);
  return 5 + new DataView(b.buffer, b.byteOffset + 1, 4).getUint32(0);
}

export function peel(packet: Uint8Array, nodePriv: Uint8Array, assoc: Uint8Array, ris = 1300): PeeledHop {
  const eph = packet.subarray(1, 34);
  const routing = packet.subarray(34, 34 + ris);
  const hmac = packet.subarray(34 + ris);
  const ss = ecdh(nodePriv, eph);
  if (packet[0] !== 0 || !equalBytes(hmacSha256(hmacSha256(utf8('mu'), ss), concatBytes(routing, assoc)), hmac)) {
    throw new Error('onion HMAC mismatch');
  }
  const plain = chacha20(hmacSha256(utf8('rho'), ss), new Uint8Array(12), concatBytes(routing, new Uint8Array(ris)));
  const len = frameLength(plain);
  const nextHmac = plain.subarray(len, len + 32);
  const nextEph = pubkeyTweakMul(eph, sha256(concatBytes(eph, ss)));
  return {
    sharedSecret: ss,
    framedPayload: plain.slice(0, len),
    final: nextHmac.every((b) => b === 0),
    next: concatBytes(new Uint8Array([0]), nextEph, plain.subarray(len + 32, len + 32 + ris), nextHmac),
  };
}
