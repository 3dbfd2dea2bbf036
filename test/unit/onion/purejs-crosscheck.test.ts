// The benchmark baseline (pure JS on noble) and the production build agree byte for byte.
import { describe, expect, it } from 'vitest';
import { loadVector } from '../../support/shared.js';
import { sphinxBuildPureJs } from '../../support/sphinx-purejs.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { buildOnion, encodeHopPayload, frameHopPayload } from '../../../src/onion/index.js';
import type { Scid } from '../../../src/types.js';

describe('pure-JS Sphinx baseline', () => {
  it('reproduces the BOLT 4 onion vector', () => {
    const v = loadVector<{ onion_test: { generate: { session_key: string; associated_data: string; hops: { pubkey: string; payload: string }[] }; onion: string } }>('bolt04-onion.json').onion_test;
    const r = sphinxBuildPureJs(fromHex(v.generate.session_key), v.generate.hops.map((h) => fromHex(h.pubkey)), v.generate.hops.map((h) => fromHex(h.payload)), fromHex(v.generate.associated_data));
    expect(toHex(r.packet)).toBe(v.onion);
  });
  it('matches buildOnion on a 20-hop route', () => {
    const keys = Array.from({ length: 20 }, (_, i) => fromHex((0x20 + i).toString(16).repeat(32)));
    const payloads = keys.map((_, i) => (i < 19 ? { amt_to_forward: BigInt(1000 + i), outgoing_cltv_value: 800000 + i, short_channel_id: BigInt(i + 1) as Scid } : { amt_to_forward: 1000n, outgoing_cltv_value: 800000, payment_data: { payment_secret: fromHex('11'.repeat(32)), total_msat: 1000n } }));
    const sessionKey = fromHex('99'.repeat(32));
    const ad = fromHex('42'.repeat(32));
    const ours = buildOnion({ hops: keys.map((k, i) => ({ pubkey: pubkeyCreate(k), payload: payloads[i]! })), associatedData: ad, sessionKey });
    const theirs = sphinxBuildPureJs(sessionKey, keys.map((k) => pubkeyCreate(k)), payloads.map((p) => frameHopPayload(encodeHopPayload(p))), ad);
    expect(toHex(ours.packet)).toBe(toHex(theirs.packet));
  });
});
