// BOLT 4 vectors, byte for byte: onion construction (bolt04/onion-test.json) through the
// production build path, peeling it hop by hop, and both failure vectors (legacy and
// attributable), including the success attribution values.
import { describe, expect, it } from 'vitest';
import { loadVector } from '../../support/shared.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import {
  addAttribution,
  buildFailurePacket,
  buildOnion,
  createOnion,
  decodeFailurePacket,
  decodeFulfillAttribution,
  peelOnion,
  routeSharedSecrets,
  wrapFailurePacket,
  type FailurePacket,
} from '../../../src/onion/index.js';
import { readBigSize } from '../../../src/onion/codec.js';

interface OnionVector {
  onion_test: {
    generate: { session_key: string; associated_data: string; hops: { pubkey: string; payload: string }[] };
    onion: string;
    decode: string[];
  };
}
interface ErrVector {
  attributable_errors_vector: {
    params: { hops: { pubkey: string; htlc_hold_time: number }[]; session_key: string; failure_source_node_index: number };
    erring_node: { encoded_failure_message: string; shared_secret: string; payload: string; um_key: string; raw_error_packet: string; derived: { failuremsg: string; failure_len: number; pad_len: number } };
    forwarding: { node_index: number; shared_secret: string; ammag_key: string; stream: string; error_packet: string; attribution_data: string }[];
    expected_final_error_packet: string;
    expected_final_attribution_data: string;
    success_attribution_data: { values: { node_index: number; attribution_data: string }[] };
  };
  legacy_error_vector_json: {
    content: { generate: { session_key: string; failure_message: string; hops: { pubkey: string; hop_shared_secret: string; payload?: string }[] }; errorpacket: string };
  };
}

const ov = loadVector<OnionVector>('bolt04-onion.json').onion_test;
const ev = loadVector<ErrVector>('bolt04-errors.json');

/** Strip the BigSize length prefix the vector includes. */
function unframe(hex: string): Uint8Array {
  const b = fromHex(hex);
  const { size } = readBigSize(b, 0);
  return b.subarray(size);
}

describe('onion construction vector', () => {
  it('buildOnion reproduces the 1366-byte packet', () => {
    const built = buildOnion({
      hops: ov.generate.hops.map((h) => ({ pubkey: fromHex(h.pubkey), payload: unframe(h.payload) })),
      associatedData: fromHex(ov.generate.associated_data),
      sessionKey: fromHex(ov.generate.session_key),
    });
    expect(built.packet.length).toBe(1366);
    expect(toHex(built.packet)).toBe(ov.onion);
  });

  it('createOnion (CLN semantics, framed hex payloads) reproduces it too', () => {
    const r = createOnion({ hops: ov.generate.hops, assocdata: ov.generate.associated_data, session_key: ov.generate.session_key });
    expect(r.onion).toBe(ov.onion);
    expect(r.shared_secrets).toHaveLength(5);
  });

  it('peels hop by hop with each hop key: forward at hops 0-3, final at hop 4, payloads byte for byte', () => {
    let packet = fromHex(ov.onion);
    const ad = fromHex(ov.generate.associated_data);
    const kinds: string[] = [];
    ov.decode.forEach((priv, i) => {
      expect(toHex(pubkeyCreate(fromHex(priv)))).toBe(ov.generate.hops[i]!.pubkey);
      const r = peelOnion(packet, fromHex(priv), ad);
      kinds.push(r.kind);
      // Hops 1 and 4 carry unknown odd TLVs (types 513 and 301): they must be skipped, not refused.
      if (r.kind !== 'forward' && r.kind !== 'final') throw new Error(`hop ${i}: ${r.kind} (${r.reason})`);
      expect(toHex(r.payloadBytes)).toBe(toHex(unframe(ov.generate.hops[i]!.payload)));
      expect(r.payload.short_channel_id).toBe(r.kind === 'forward' ? BigInt(i + 1) : undefined);
      const unknownTypes = (r.payload.unknown ?? []).map((u) => u.type);
      expect(unknownTypes).toEqual(i === 1 ? [513n] : i === 4 ? [301n] : []);
      if (r.kind === 'forward') packet = r.nextPacket;
    });
    expect(kinds).toEqual(['forward', 'forward', 'forward', 'forward', 'final']);
  });
});

describe('legacy failure vector (no attribution data)', () => {
  const g = ev.legacy_error_vector_json.content.generate;
  it('builds at hop 4, wraps back, and decodes to hop 4 temporary_node_failure', () => {
    const secrets = g.hops.map((h) => fromHex(h.hop_shared_secret));
    const { sharedSecrets } = routeSharedSecrets(fromHex(g.session_key), g.hops.map((h) => fromHex(h.pubkey)));
    expect(sharedSecrets.map(toHex)).toEqual(secrets.map(toHex));
    let p: FailurePacket = buildFailurePacket(secrets[4]!, fromHex(g.failure_message));
    for (let i = 3; i >= 0; i--) p = wrapFailurePacket(secrets[i]!, p);
    expect(toHex(p.reason)).toBe(ev.legacy_error_vector_json.content.errorpacket);
    const d = decodeFailurePacket(secrets, p);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.erring_index).toBe(4);
    expect(d.failcode).toBe(0x2002);
    expect(d.failcodename).toBe('WIRE_TEMPORARY_NODE_FAILURE');
    expect(toHex(d.raw_message)).toBe('2002');
  });
});

describe('attributable failure vector', () => {
  const v = ev.attributable_errors_vector;
  // The vector lists hold times in the order the hops handle the returning HTLC (node 4 first),
  // not in route order: node k reports params.hops[4 - k].htlc_hold_time.
  const holdOf = (node: number): number => v.params.hops[v.params.hops.length - 1 - node]!.htlc_hold_time;
  const secrets = v.forwarding
    .slice()
    .sort((a, b) => a.node_index - b.node_index)
    .map((f) => fromHex(f.shared_secret));

  it('the route shared secrets match', () => {
    const { sharedSecrets } = routeSharedSecrets(fromHex(v.params.session_key), v.params.hops.map((h) => fromHex(h.pubkey)));
    expect(sharedSecrets.map(toHex)).toEqual(secrets.map(toHex));
  });

  it('builds, wraps and attributes byte for byte', () => {
    const src = v.params.failure_source_node_index;
    const msg = fromHex(v.erring_node.derived.failuremsg);
    const padTarget = v.erring_node.derived.failure_len + v.erring_node.derived.pad_len;
    let p: FailurePacket | undefined;
    for (const f of v.forwarding) {
      const hold = holdOf(f.node_index);
      p = f.node_index === src
        ? buildFailurePacket(secrets[src]!, msg, { padTarget, holdTime: hold })
        : wrapFailurePacket(secrets[f.node_index]!, p!, hold);
      expect(toHex(p.reason)).toBe(f.error_packet);
      expect(toHex(p.attribution_data!)).toBe(f.attribution_data);
    }
    expect(toHex(p!.reason)).toBe(v.expected_final_error_packet);
    expect(toHex(p!.attribution_data!)).toBe(v.expected_final_attribution_data);

    const d = decodeFailurePacket(secrets, p!);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.erring_index).toBe(src);
    expect(d.failcode).toBe(0x400f);
    expect(d.failcodename).toBe('WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS');
    expect(toHex(d.raw_message)).toBe(v.erring_node.derived.failuremsg);
    expect(d.message?.fields.htlc_msat).toBe(100n);
    expect(d.message?.fields.height).toBe(800000);
    expect(d.attribution?.hold_times).toEqual([5, 4, 3, 2, 1]);
    expect(d.attribution?.first_invalid_index).toBeUndefined();
  });

  it('the erring node raw packet matches (hmac || payload)', () => {
    const p = buildFailurePacket(secrets[4]!, fromHex(v.erring_node.derived.failuremsg), { padTarget: 1024 });
    // Undo our ammag layer to compare the plaintext packet.
    const again = wrapFailurePacket(secrets[4]!, p);
    expect(toHex(again.reason)).toBe(v.erring_node.raw_error_packet);
  });

  it('success attribution values, and the origin reads the hold times back', () => {
    let ad: Uint8Array | undefined;
    for (const s of v.success_attribution_data.values) {
      ad = addAttribution(ad, secrets[s.node_index]!, holdOf(s.node_index), new Uint8Array(0));
      expect(toHex(ad)).toBe(s.attribution_data);
    }
    expect(decodeFulfillAttribution(ad!, secrets)).toEqual([5, 4, 3, 2, 1]);
  });

  it('a hop that corrupts the packet is blamed through attribution', () => {
    const src = v.params.failure_source_node_index;
    let p = buildFailurePacket(secrets[src]!, fromHex(v.erring_node.derived.failuremsg), { holdTime: 5 });
    for (let i = src - 1; i >= 0; i--) {
      p = wrapFailurePacket(secrets[i]!, p, i + 1);
      if (i === 2) p.reason[40]! ^= 1; // node 2 tampers after adding its layer
    }
    const d = decodeFailurePacket(secrets, p);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    // Node 2's HMACs covered the packet before the change; node 1 signed what it received. So
    // node 2's HMAC is the first to fail: the link between nodes 1 and 2 is to blame.
    expect(d.blamed_index).toBe(2);
    expect(d.attribution?.hold_times).toEqual([1, 2]);
  });
});
