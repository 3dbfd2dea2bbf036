// Behaviour beyond the vectors: payload rules, BADONION detection, route-size limits, every
// failure code through the table, malformed-HTLC data.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate, sha256 } from '../../../src/crypto/secp256k1.js';
import {
  buildFailurePacket,
  buildOnion,
  buildPaymentOnion,
  createOnion,
  CREATE_ONION_FAILED,
  PAYLOADS_EXCEED_ONION,
  decodeFailureMessage,
  decodeFailurePacket,
  decodeHopPayload,
  encodeFailureMessage,
  encodeHopPayload,
  FAILCODE,
  FAILURE_TABLE,
  failureFromMalformed,
  malformedFailure,
  OnionError,
  peelOnion,
  routeHopPayloads,
  wrapFailurePacket,
  type FailureFields,
  type FailureFieldDefs,
} from '../../../src/onion/index.js';
import type { Scid } from '../../../src/types.js';

const keys = Array.from({ length: 30 }, (_, i) => fromHex((i + 0x41).toString(16).padStart(2, '0').repeat(32)));
const pubs = keys.map((k) => pubkeyCreate(k));
const hash = fromHex('42'.repeat(32));
const secret = fromHex('11'.repeat(32));

function route(n: number) {
  return Array.from({ length: n }, (_, i) => ({ pubkey: pubs[i]!, short_channel_id: BigInt(700000 * 2 ** 40 + i) as Scid, amount_msat: BigInt(1000 + (n - i)), delay: 9 + 6 * (n - i) }));
}

describe('hop payloads', () => {
  it('writes minimal truncated integers and reads them back', () => {
    const tlv = encodeHopPayload({ amt_to_forward: 256n, outgoing_cltv_value: 0, short_channel_id: 1n as Scid });
    expect(toHex(tlv)).toBe('020201000400060800000000000000' + '01');
    expect(decodeHopPayload(tlv, 'forward')).toEqual({ amt_to_forward: 256n, outgoing_cltv_value: 0, short_channel_id: 1n });
  });
  it('keeps unknown odd records and fails on unknown even ones with type and offset', () => {
    const base = encodeHopPayload({ amt_to_forward: 1n, outgoing_cltv_value: 2, unknown: [{ type: 65537n, value: fromHex('ab') }] });
    expect(decodeHopPayload(base, 'final').unknown).toEqual([{ type: 65537n, value: fromHex('ab') }]);
    const even = new Uint8Array([...encodeHopPayload({ amt_to_forward: 1n, outgoing_cltv_value: 2 }), 0x0a, 0x00]);
    try {
      decodeHopPayload(even, 'final', 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ tlvType: 10n, offset: 1 + 6 });
    }
  });
  it('enforces required fields per hop kind and minimal encodings', () => {
    const noScid = encodeHopPayload({ amt_to_forward: 1n, outgoing_cltv_value: 2 });
    expect(() => decodeHopPayload(noScid, 'forward')).toThrow(OnionError);
    expect(() => decodeHopPayload(fromHex('02020001040102'), 'final')).toThrow(/minimal/);
    expect(() => decodeHopPayload(fromHex('040102'), 'final')).toThrow(/amt_to_forward/);
  });
  it('follows sendpay rules for the route payloads', () => {
    const p = routeHopPayloads({ route: route(3), base_height: 101, payment_secret: secret, total_msat: 5000n });
    expect(p[0]).toEqual({ amt_to_forward: 1002n, outgoing_cltv_value: 101 + 21, short_channel_id: route(3)[1]!.short_channel_id });
    expect(p[2]).toEqual({ amt_to_forward: 1001n, outgoing_cltv_value: 101 + 15, payment_data: { payment_secret: secret, total_msat: 5000n } });
  });
});

describe('build and peel', () => {
  it('a 20-hop payment onion peels to the same payloads and ends at a final hop', () => {
    const r = route(20);
    const built = buildPaymentOnion({ route: r, payment_hash: hash, base_height: 800000, payment_secret: secret, payment_metadata: fromHex('beef') });
    const payloads = routeHopPayloads({ route: r, base_height: 800000, payment_secret: secret, payment_metadata: fromHex('beef') });
    let packet = built.packet;
    for (let i = 0; i < 20; i++) {
      const res = peelOnion(packet, keys[i]!, hash);
      if (res.kind !== 'forward' && res.kind !== 'final') throw new Error(`hop ${i}: ${res.kind}`);
      expect(res.kind).toBe(i === 19 ? 'final' : 'forward');
      expect(res.payload).toEqual(payloads[i]);
      expect(toHex(res.sharedSecret)).toBe(toHex(built.sharedSecrets[i]!));
      if (res.kind === 'forward') packet = res.nextPacket;
    }
  });
  it('30 hops do not fit: ONION_TOO_BIG, and createonion gives CLN\'s size message', () => {
    expect(() => buildPaymentOnion({ route: route(30), payment_hash: hash, base_height: 1 })).toThrow(expect.objectContaining({ code: 'ONION_TOO_BIG' }));
    const hops = route(30).map((h, i) => ({ pubkey: toHex(h.pubkey), payload: '1202023a98040205dc0608000000000000000' + (i % 10) }));
    expect(() => createOnion({ hops, assocdata: toHex(hash) })).toThrow(expect.objectContaining({ code: 'ONION_TOO_BIG', message: PAYLOADS_EXCEED_ONION }));
  });
  it('createonion: an out-of-range session key is CLN\'s "Could not create onion packet"', () => {
    const hops = [{ pubkey: toHex(pubs[0]!), payload: '06020101040101' }];
    for (const session_key of ['00'.repeat(32), 'ff'.repeat(32)]) {
      expect(() => createOnion({ hops, assocdata: '', session_key })).toThrow(expect.objectContaining({ code: 'ONION_CREATE_FAILED', message: CREATE_ONION_FAILED }));
    }
  });
  it('createonion honours onion_size and a random session key', () => {
    const r = createOnion({ hops: [{ pubkey: toHex(pubs[0]!), payload: '06020101040101' }], assocdata: '', onion_size: 400 });
    expect(r.onion.length).toBe(2 * (1 + 33 + 400 + 32));
    expect(() => createOnion({ hops: [{ pubkey: toHex(pubs[0]!), payload: '07020101040101' }], assocdata: '' })).toThrow(OnionError);
  });
  it('reports BADONION failures with sha256_of_onion', () => {
    const { packet } = buildOnion({ hops: [{ pubkey: pubs[0]!, payload: { amt_to_forward: 1n, outgoing_cltv_value: 1 } }], associatedData: hash });
    const v = packet.slice();
    v[0] = 1;
    expect(peelOnion(v, keys[0]!, hash)).toMatchObject({ kind: 'malformed', failcode: FAILCODE.invalid_onion_version, sha256_of_onion: sha256(v) });
    const k = packet.slice();
    k[1] = 5;
    expect(peelOnion(k, keys[0]!, hash)).toMatchObject({ kind: 'malformed', failcode: FAILCODE.invalid_onion_key });
    const h = packet.slice();
    h[100]! ^= 1;
    expect(peelOnion(h, keys[0]!, hash)).toMatchObject({ kind: 'malformed', failcode: FAILCODE.invalid_onion_hmac });
    expect(peelOnion(packet, keys[0]!, fromHex('43'.repeat(32)))).toMatchObject({ kind: 'malformed', failcode: FAILCODE.invalid_onion_hmac });
    expect(peelOnion(packet, keys[1]!, hash).kind).toBe('malformed');
  });
  it('an authentic onion with a bad payload gives invalid_onion_payload data', () => {
    const { packet } = buildOnion({ hops: [{ pubkey: pubs[0]!, payload: fromHex('0201010c0100') }], associatedData: hash });
    expect(peelOnion(packet, keys[0]!, hash)).toMatchObject({ kind: 'invalid_payload', tlvType: 12n, offset: 1 + 3 });
  });
});

/** A value for every field of a table entry, chosen from the field's wire description. */
function sampleFields(defs: FailureFieldDefs): FailureFields {
  const out: FailureFields = {};
  for (const [name, codec] of defs) {
    const d = codec.desc;
    out[name] =
      d.kind === 'uint' ? (d.bytes === 8 ? 123456n : d.bytes === 4 ? 800000 : 7) : d.kind === 'bigsize' ? 65537n : d.kind === 'bytes' ? fromHex('ab'.repeat(d.length)) : fromHex('0102' + 'cd'.repeat(10));
  }
  return out;
}

describe('failures', () => {
  it('every table code round trips through the codec and a 3-hop failure onion', () => {
    const secrets = [fromHex('01'.repeat(32)), fromHex('02'.repeat(32)), fromHex('03'.repeat(32))];
    for (const spec of FAILURE_TABLE) {
      const fields = sampleFields(spec.codec.fields);
      const msg = encodeFailureMessage({ code: spec.code, fields });
      expect(decodeFailureMessage(msg)).toMatchObject({ failcode: spec.code, name: spec.name, fields });
      for (let erring = 0; erring < 3; erring++) {
        let p = buildFailurePacket(secrets[erring]!, { code: spec.code, fields }, { holdTime: 3 });
        for (let i = erring - 1; i >= 0; i--) p = wrapFailurePacket(secrets[i]!, p, 1);
        const d = decodeFailurePacket(secrets, p);
        if (!d.ok) throw new Error(d.reason);
        expect(d.erring_index).toBe(erring);
        expect(toHex(d.raw_message)).toBe(toHex(msg));
        expect(d.failcodename).toBe(spec.cln ? `WIRE_${spec.name.toUpperCase()}` : undefined);
        expect(d.attribution?.hold_times).toEqual([...Array(erring).fill(1), 3]);
      }
    }
  });
  it('unknown codes keep their raw data and have no CLN name', () => {
    const m = decodeFailureMessage(fromHex('4001'));
    expect(m.failcodename).toBeUndefined();
    expect(m.name).toBe('invalid_realm');
    expect(decodeFailureMessage(fromHex('7777aabb'))).toEqual({ failcode: 0x7777, fields: { data: fromHex('aabb') } });
  });
  it('garbage is undecodable, never a throw', () => {
    const secrets = [fromHex('01'.repeat(32))];
    expect(decodeFailurePacket(secrets, { reason: new Uint8Array(292) })).toMatchObject({ ok: false });
    expect(decodeFailurePacket(secrets, { reason: new Uint8Array(3) })).toMatchObject({ ok: false });
  });
  it('fields that do not parse still give the code', () => {
    const ss = fromHex('05'.repeat(32));
    const d = decodeFailurePacket([ss], buildFailurePacket(ss, fromHex('100700')));
    expect(d).toMatchObject({ ok: true, failcode: 0x1007, failcodename: 'WIRE_TEMPORARY_CHANNEL_FAILURE' });
    if (d.ok) expect(d.fields_error).toMatch(/truncated/);
  });
  it('malformed HTLC data turns into a regular failure upstream', () => {
    const sha = fromHex('aa'.repeat(32));
    const m = malformedFailure(FAILCODE.invalid_onion_hmac, sha);
    expect(() => malformedFailure(FAILCODE.temporary_node_failure, sha)).toThrow(OnionError);
    const ss = fromHex('06'.repeat(32));
    const d = decodeFailurePacket([ss], failureFromMalformed(ss, m));
    expect(d).toMatchObject({ ok: true, failcode: 0xc005, erring_index: 0 });
    if (d.ok) expect(d.message?.fields.sha256_of_onion).toEqual(sha);
  });
});
