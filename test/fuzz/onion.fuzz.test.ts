// Mutated onions, hop payloads and failure packets: decoders return results or throw typed
// (LightningError) errors, never raw exceptions.
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/util/bytes.js';
import { pubkeyCreate } from '../../src/crypto/secp256k1.js';
import {
  buildFailurePacket,
  buildPaymentOnion,
  decodeFailureMessage,
  decodeFailurePacket,
  decodeHopPayload,
  encodeHopPayload,
  peelOnion,
  wrapFailurePacket,
} from '../../src/onion/index.js';
import type { Scid } from '../../src/types.js';
import { expectOnlyTypedErrors, fuzzCases, fuzzLoop, fuzzTimeout, mutate } from '../support/fuzz.js';

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
});
