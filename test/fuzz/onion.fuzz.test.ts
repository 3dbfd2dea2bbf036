// Mutated onions, hop payloads and failure packets: decoders return results or throw typed
// (LightningError) errors, never raw exceptions. Mutating a whole packet almost always stops at
// its HMAC, so two cases build *authentic* packets around mutated contents instead: onions whose
// HMACs are valid but whose raw hop payloads (framing included) are mutated or random, which
// drives peelOnion's payload decoding; and failure packets whose HMAC (and attribution data)
// are valid over a mutated body, which drives the origin's parsing after the HMAC check.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { hmacSha256, pubkeyCreate } from '../../src/crypto/secp256k1.js';
import {
  addAttribution,
  buildFailurePacket,
  buildPaymentOnion,
  decodeFailureMessage,
  decodeFailurePacket,
  decodeHopPayload,
  encodeHopPayload,
  frameHopPayload,
  peelOnion,
  wrapFailurePacket,
  type FailurePacket,
  type HopPayload,
} from '../../src/onion/index.js';
import { readBigSize } from '../../src/onion/codec.js';
import { hasLengthPrefix } from '../../src/onion/createonion.js';
import { sphinxBuild } from '../../src/onion/kernel.js';
import { deriveKey, routeSharedSecrets, xorKeystreamInPlace } from '../../src/onion/keys.js';
import { PayloadError } from '../../src/onion/payload.js';
import type { Scid } from '../../src/types.js';
import { expectOnlyTypedErrors, fuzzCases, fuzzLoop, fuzzTimeout, mutate, randomBytes, type Rng } from '../support/fuzz.js';

const keys = [0x71, 0x72, 0x73].map((b) => fromHex(b.toString(16).repeat(32)));
const hash = fromHex('42'.repeat(32));
const route = keys.map((k, i) => ({ pubkey: pubkeyCreate(k), short_channel_id: BigInt(i + 1) as Scid, amount_msat: 1000n, delay: 40 }));
const onion = buildPaymentOnion({ route, payment_hash: hash, base_height: 100, payment_secret: fromHex('11'.repeat(32)), sessionKey: fromHex('61'.repeat(32)) }).packet;
const secrets = buildPaymentOnion({ route, payment_hash: hash, base_height: 100, sessionKey: fromHex('61'.repeat(32)) }).sharedSecrets;

describe('onion fuzz', () => {
  const cases = fuzzCases(300);

  it('peelOnion on mutated packets', { timeout: fuzzTimeout(cases, 20) }, () => {
    fuzzLoop({ name: 'peel', cases }, (rng) => mutate(rng, onion), (p) => {
      expectOnlyTypedErrors(() => {
        const r = peelOnion(p, keys[0]!, hash);
        // An altered packet must never pass as authentic with different bytes.
        if ((r.kind === 'forward' || r.kind === 'final') && p.length === onion.length) expect(p).toEqual(onion);
      });
    });
  });

  it('decodeHopPayload on mutated TLV streams', { timeout: fuzzTimeout(cases) }, () => {
    const tlv = encodeHopPayload({ amt_to_forward: 12345n, outgoing_cltv_value: 800000, short_channel_id: 7n as Scid, payment_data: { payment_secret: fromHex('22'.repeat(32)), total_msat: 99n }, payment_metadata: fromHex('beef') });
    fuzzLoop({ name: 'payload', cases }, (rng) => mutate(rng, tlv), (p) => {
      expectOnlyTypedErrors(() => decodeHopPayload(p, 'forward'));
      expectOnlyTypedErrors(() => decodeHopPayload(p, 'final'));
    });
  });

  it('decodeFailurePacket and decodeFailureMessage on mutated failures', { timeout: fuzzTimeout(cases, 10) }, () => {
    let p = buildFailurePacket(secrets[2]!, { code: 'amount_below_minimum', fields: { htlc_msat: 5n, channel_update: fromHex('0102abcd') } }, { holdTime: 1 });
    p = wrapFailurePacket(secrets[1]!, p, 2);
    p = wrapFailurePacket(secrets[0]!, p, 3);
    const attribution = p.attribution_data!;
    fuzzLoop({ name: 'failure', cases }, (rng) => mutate(rng, p.reason), (reason, rng) => {
      expectOnlyTypedErrors(() => decodeFailurePacket(secrets, { reason, attribution_data: rng.bool() ? mutate(rng, attribution) : attribution }));
      expectOnlyTypedErrors(() => decodeFailureMessage(reason.subarray(0, rng.int(40))));
    });
  });

  const hopKeys = [0x81, 0x82, 0x83, 0x84].map((b) => fromHex(b.toString(16).repeat(32)));
  const hopPubs = hopKeys.map((k) => pubkeyCreate(k));
  const forwardTlv = encodeHopPayload({ amt_to_forward: 5000n, outgoing_cltv_value: 700_000, short_channel_id: 0x0a0b0c0d0e0f1011n as Scid, unknown: [{ type: 65537n, value: fromHex('c0ffee') }] });
  const finalTlv = encodeHopPayload({ amt_to_forward: 5000n, outgoing_cltv_value: 700_000, payment_data: { payment_secret: fromHex('33'.repeat(32)), total_msat: 9000n }, payment_metadata: fromHex('01fafaf0') });

  /** One hop's bytes as they go into the routing info: framing and contents both fair game. */
  function rawHopPayload(rng: Rng, final: boolean): Uint8Array {
    const tlv = final ? finalTlv : forwardTlv;
    switch (rng.int(5)) {
      case 0:
        return frameHopPayload(mutate(rng, tlv, { corpus: [forwardTlv, finalTlv] })); // true length, mutated records
      case 1:
        return mutate(rng, frameHopPayload(tlv)); // the length prefix itself may break
      case 2:
        return frameHopPayload(randomBytes(rng, 120));
      case 3:
        return frameHopPayload(tlv); // unmutated hops keep later hops reachable
      default:
        return randomBytes(rng, 200);
    }
  }

  it('peelOnion on authentic onions around mutated and random hop payloads', { timeout: fuzzTimeout(cases, 40) }, () => {
    const ad = fromHex('5a'.repeat(32));
    fuzzLoop(
      { name: 'peel-authentic', cases },
      (rng) => {
        const n = rng.range(1, hopKeys.length);
        const budget = Math.floor(1300 / n) - 32;
        const framed = Array.from({ length: n }, (_, i) => rawHopPayload(rng, i === n - 1).slice(0, budget));
        let sessionKey = rng.bytes(32);
        sessionKey[0] = 0x01; // below the curve order, and not zero
        return { framed, sessionKey, packet: sphinxBuild(sessionKey, hopPubs.slice(0, n), framed, ad).packet };
      },
      ({ framed, packet: first }) => {
        let packet = first;
        for (let i = 0; i < framed.length; i++) {
          const r = peelOnion(packet, hopKeys[i]!, ad);
          // Every hop reached through correctly framed hops holds an authentic packet.
          expect(r.kind).not.toBe('malformed');
          if (!hasLengthPrefix(framed[i]!)) break; // later hops see bytes shifted by our misframing
          const { size } = readBigSize(framed[i]!, 0);
          const tlv = framed[i]!.subarray(size);
          const kind = i === framed.length - 1 ? 'final' : 'forward';
          let expected: HopPayload | PayloadError;
          try {
            expected = decodeHopPayload(tlv, kind, size);
          } catch (e) {
            if (!(e instanceof PayloadError)) throw e;
            expected = e;
          }
          if (tlv.length < 2) {
            expect(r).toMatchObject({ kind: 'invalid_payload', tlvType: 0n, offset: 0 });
            break;
          }
          if (expected instanceof PayloadError) {
            expect(r).toMatchObject({ kind: 'invalid_payload', tlvType: expected.tlvType, offset: expected.offset });
            break;
          }
          if (r.kind !== 'forward' && r.kind !== 'final') throw new Error(`hop ${i}: ${r.kind} (${r.reason})`);
          expect(r.kind).toBe(kind);
          expect(toHex(r.payloadBytes)).toBe(toHex(tlv));
          expect(r.payload).toEqual(expected);
          if (r.kind === 'final') break;
          packet = r.nextPacket;
        }
      },
      ({ framed, sessionKey }) => `session ${toHex(sessionKey)} payloads ${framed.map(toHex).join(' ')}`,
    );
  });

  it('decodeFailurePacket on failures with valid HMACs (and attribution) over mutated bodies', { timeout: fuzzTimeout(cases, 20) }, () => {
    const { sharedSecrets } = routeSharedSecrets(fromHex('77'.repeat(32)), hopPubs);
    const valid = buildFailurePacket(sharedSecrets[0]!, { code: 'fee_insufficient', fields: { htlc_msat: 1234n, channel_update: fromHex('0102' + 'cd'.repeat(60)) } });
    // The body (failure_len || failuremsg || pad_len || pad) in the clear: undo the ammag layer, drop the HMAC.
    const plainValid = valid.reason.slice();
    xorKeystreamInPlace(deriveKey('ammag', sharedSecrets[0]!), plainValid);
    const body0 = plainValid.subarray(32);
    const msg0 = body0.subarray(2, 2 + new DataView(body0.buffer, body0.byteOffset).getUint16(0));
    /** A correctly framed body around any message: exercises the failure message decoder. */
    const framedBody = (msg: Uint8Array, pad: number): Uint8Array => {
      const b = new Uint8Array(4 + msg.length + pad);
      const v = new DataView(b.buffer);
      v.setUint16(0, msg.length);
      b.set(msg, 2);
      v.setUint16(2 + msg.length, pad);
      return b;
    };
    fuzzLoop(
      { name: 'failure-authentic', cases },
      (rng) => {
        const erring = rng.int(hopPubs.length);
        const body = rng.int(4) === 0 ? randomBytes(rng, 300) : rng.bool() ? mutate(rng, body0) : framedBody(mutate(rng, msg0), rng.int(300));
        const attributed = rng.bool();
        const ss = sharedSecrets[erring]!;
        const plain = new Uint8Array(32 + body.length);
        plain.set(hmacSha256(deriveKey('um', ss), body), 0);
        plain.set(body, 32);
        const reason = plain.slice();
        xorKeystreamInPlace(deriveKey('ammag', ss), reason);
        let p: FailurePacket = { reason, ...(attributed ? { attribution_data: addAttribution(undefined, ss, 7, plain) } : {}) };
        for (let i = erring - 1; i >= 0; i--) p = wrapFailurePacket(sharedSecrets[i]!, p, attributed ? i + 1 : undefined);
        return { erring, body, attributed, packet: p };
      },
      ({ erring, body, attributed, packet }) => {
        const d = decodeFailurePacket(sharedSecrets, packet);
        if (packet.reason.length < 36) {
          expect(d).toMatchObject({ ok: false, reason: 'failure packet too short' });
          return;
        }
        // Independent reading of the body: u16 len, message, u16 pad_len, exactly pad_len bytes.
        const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
        const len = body.length >= 2 ? view.getUint16(0) : -1;
        const wellFormed = len >= 2 && 2 + len + 2 <= body.length && view.getUint16(2 + len) === body.length - 4 - len;
        if (wellFormed) {
          if (!d.ok) throw new Error(`expected a decoded failure, got ${d.reason}`);
          expect(d.erring_index).toBe(erring);
          expect(toHex(d.raw_message)).toBe(toHex(body.subarray(2, 2 + len)));
          expect(d.failcode).toBe((body[2]! << 8) | body[3]!);
          // Fields either decode or are reported as not decoding, never thrown.
          expect(d.message !== undefined || d.fields_error !== undefined).toBe(true);
          expectOnlyTypedErrors(() => decodeFailureMessage(d.raw_message));
        } else {
          expect(d).toMatchObject({ ok: false, blamed_index: erring });
        }
        if (attributed) {
          // Every hop from the origin to the erring node signed what it really saw.
          // (Hops past it are never examined: the origin stops at the HMAC that matches.)
          expect(d.attribution).toEqual({ hold_times: [...Array.from({ length: erring }, (_, i) => i + 1), 7] });
        }
      },
      ({ erring, body, attributed }) => `erring ${erring} attributed ${attributed} body ${toHex(body)}`,
    );
  });
});
