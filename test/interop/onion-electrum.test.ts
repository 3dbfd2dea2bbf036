// Interop with Electrum 4.3.4's BOLT 4 code (python3-electrum), driven by ../shared/interop:
// our onions are peeled by Electrum hop by hop (payload bytes and TLV records compared, including
// unknown odd records and payment_metadata), Electrum's onions are peeled by us, and failure
// onions go both ways on a 5-hop route.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { pubkeyCreate } from '../../src/crypto/secp256k1.js';
import {
  buildFailurePacket,
  buildOnion,
  buildPaymentOnion,
  encodeHopPayload,
  decodeFailurePacket,
  FAILCODE,
  peelOnion,
  routeHopPayloads,
  routeSharedSecrets,
  wrapFailurePacket,
  type FailurePacket,
  type HopPayload,
} from '../../src/onion/index.js';
import { parseTlvStream } from '../../src/onion/codec.js';
import type { Scid } from '../../src/types.js';
import { runInterop } from './onion-electrum-helper.js';

const N = 5;
const privs = Array.from({ length: N }, (_, i) => fromHex((0x51 + i).toString(16).repeat(32)));
const pubs = privs.map((k) => pubkeyCreate(k));
const sessionKey = fromHex('61'.repeat(32));
const paymentHash = fromHex('42'.repeat(32));
const secret = fromHex('11'.repeat(32));
const route = pubs.map((pubkey, i) => ({ pubkey, short_channel_id: (((700000n + BigInt(i)) << 40n) | (1n << 16n) | BigInt(i)) as Scid, amount_msat: 10_000n + BigInt(N - i) * 10n, delay: 18 + 40 * (N - 1 - i) }));
const scidStr = (s: bigint) => `${s >> 40n}x${(s >> 16n) & 0xffffffn}x${s & 0xffffn}`;

/** Electrum's view of one hop's TLV records, as comparable data. */
function electrumRecords(line: Record<string, unknown>): { type: bigint; value_hex: string }[] {
  return (line.tlv_records as { type: number; value_hex: string }[]).map((r) => ({ type: BigInt(r.type), value_hex: r.value_hex }));
}

/** Our TLV stream split into records by type and value. */
function ourRecords(tlv: Uint8Array): { type: bigint; value_hex: string }[] {
  return parseTlvStream(tlv).map((r) => ({ type: r.type, value_hex: toHex(r.value) }));
}

describe('Electrum peels our onions', () => {
  it('every hop sees exactly our payloads, byte for byte; the last one is final', () => {
    const built = buildPaymentOnion({ route, payment_hash: paymentHash, base_height: 800_000, payment_secret: secret, sessionKey, total_msat: 20_000n });
    const payloads = routeHopPayloads({ route, base_height: 800_000, payment_secret: secret, total_msat: 20_000n });
    const r = runInterop('onion_peel.py', ['peel'], { onion_hex: toHex(built.packet), associated_data_hex: toHex(paymentHash), hop_privkeys_hex: privs.map(toHex) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.lines).toHaveLength(N);
    r.lines.forEach((line, i) => {
      const p = line.payload as Record<string, unknown>;
      const encoded = encodeHopPayload(payloads[i]!);
      expect(line.final).toBe(i === N - 1);
      expect(line.format).toBe('tlv');
      expect(line.payload_hex).toBe(toHex(encoded));
      expect(electrumRecords(line)).toEqual(ourRecords(encoded));
      expect(BigInt(p.amt_to_forward as number)).toBe(payloads[i]!.amt_to_forward);
      expect(p.outgoing_cltv_value).toBe(payloads[i]!.outgoing_cltv_value);
      expect((line.electrum as { accepted: boolean }).accepted).toBe(true);
      expect(line.shared_secret_hex).toBe(toHex(built.sharedSecrets[i]!));
      if (i < N - 1) expect((p.short_channel_id as { str: string }).str).toBe(scidStr(payloads[i]!.short_channel_id!));
      else expect(p.payment_data).toEqual({ payment_secret: toHex(secret), total_msat: 20_000 });
    });
  });

  // Electrum 4.3.4's payload parser knows types 2, 4, 6 and 8 and skips unknown odd records, so
  // unknown odd TLVs are accepted at forwarding and final hops alike. It predates
  // payment_metadata (type 16, even): it refuses that payload as an unknown mandatory record,
  // which we check as such, while its raw peel still shows our exact bytes and records.
  const extended = (metadata: boolean): HopPayload[] =>
    routeHopPayloads({ route, base_height: 800_000, payment_secret: secret, total_msat: 20_000n, ...(metadata ? { payment_metadata: fromHex('01fafaf0') } : {}) }).map((p, i) =>
      i === 1 ? { ...p, unknown: [{ type: 65537n, value: fromHex('c0ffee') }] } : i === N - 1 ? { ...p, unknown: [{ type: 7n, value: fromHex('') }, { type: (1n << 32n) | 1n, value: fromHex('ab'.repeat(40)) }] } : p,
    );

  for (const metadata of [false, true]) {
    it(`unknown odd TLVs${metadata ? ' and payment_metadata' : ''}: identical payload bytes and TLV records at every hop`, () => {
      const payloads = extended(metadata);
      const built = buildOnion({ hops: pubs.map((pubkey, i) => ({ pubkey, payload: payloads[i]! })), associatedData: paymentHash, sessionKey });
      const r = runInterop('onion_peel.py', ['peel'], { onion_hex: toHex(built.packet), associated_data_hex: toHex(paymentHash), hop_privkeys_hex: privs.map(toHex) });
      expect(r.status, r.stderr).toBe(0);
      expect(r.lines).toHaveLength(N);
      r.lines.forEach((line, i) => {
        const encoded = encodeHopPayload(payloads[i]!);
        expect(line.final).toBe(i === N - 1);
        expect(line.payload_hex).toBe(toHex(encoded));
        expect(electrumRecords(line)).toEqual(ourRecords(encoded));
        const electrum = line.electrum as { accepted: boolean; error?: string };
        if (metadata && i === N - 1) {
          expect(electrum).toEqual({ accepted: false, error: 'UnknownMandatoryTLVRecordType: tlv_payload/16' });
          expect((line.payload as { payment_metadata?: string }).payment_metadata).toBe('01fafaf0');
        } else {
          expect(electrum.accepted).toBe(true);
        }
        const unknown = (line.payload as { unknown_tlvs?: { type: number; value_hex: string }[] }).unknown_tlvs ?? [];
        expect(unknown.map((u) => ({ type: BigInt(u.type), value: fromHex(u.value_hex) }))).toEqual(payloads[i]!.unknown ?? []);
      });
    });
  }
});

describe('we peel Electrum onions', () => {
  it('built by new_onion_packet, with payment_metadata and an unknown odd TLV at the end', () => {
    const hops = route.map((h, i) => ({
      privkey_hex: toHex(privs[i]!),
      payload:
        i < N - 1
          ? { amt_to_forward: 1000 + i, outgoing_cltv_value: 500 + i, short_channel_id: scidStr(route[i + 1]!.short_channel_id) }
          : { amt_to_forward: 1000, outgoing_cltv_value: 500, payment_data: { payment_secret: toHex(secret), total_msat: 1000 }, payment_metadata: 'beef', unknown_tlvs: [{ type: 65537, value_hex: 'ab' }] },
    }));
    const r = runInterop('onion_peel.py', ['build'], { session_key_hex: toHex(sessionKey), associated_data_hex: toHex(paymentHash), hops });
    expect(r.status, r.stderr).toBe(0);
    const out = r.lines[0]!;
    let packet = fromHex(out.onion_hex as string);
    for (let i = 0; i < N; i++) {
      const res = peelOnion(packet, privs[i]!, paymentHash);
      if (res.kind !== 'forward' && res.kind !== 'final') throw new Error(`hop ${i}: ${res.kind} ${'reason' in res ? res.reason : ''}`);
      expect(toHex(res.sharedSecret)).toBe((out.shared_secrets_hex as string[])[i]);
      expect(res.payload.amt_to_forward).toBe(BigInt(i < N - 1 ? 1000 + i : 1000));
      if (res.kind === 'forward') {
        expect(scidStr(res.payload.short_channel_id!)).toBe(scidStr(route[i + 1]!.short_channel_id));
        packet = res.nextPacket;
      } else {
        expect(i).toBe(N - 1);
        expect(toHex(res.payload.payment_metadata!)).toBe('beef');
        expect(res.payload.unknown).toEqual([{ type: 65537n, value: fromHex('ab') }]);
        expect(res.payload.payment_data?.total_msat).toBe(1000n);
      }
    }
  });
});

describe('failure onions on a 5-hop route', () => {
  const { sharedSecrets } = routeSharedSecrets(sessionKey, pubs);

  for (let erring = 0; erring < N; erring++) {
    it(`Electrum-built failure from hop ${erring} is attributed to hop ${erring}`, () => {
      const r = runInterop('onion_error.py', ['build'], {
        erring_hop: erring,
        failure_code: 'incorrect_or_unknown_payment_details',
        failure_fields: { htlc_msat: 1000 + erring, height: 800_000 },
        session_key_hex: toHex(sessionKey),
        hop_pubkeys_hex: pubs.map(toHex),
      });
      expect(r.status, r.stderr).toBe(0);
      const d = decodeFailurePacket(sharedSecrets, { reason: fromHex(r.lines[0]!.error_packet_hex as string) });
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(d.erring_index).toBe(erring);
      expect(d.failcode).toBe(FAILCODE.incorrect_or_unknown_payment_details);
      expect(d.failcodename).toBe('WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS');
      expect(d.message?.fields).toEqual({ htlc_msat: 1000n + BigInt(erring), height: 800_000 });
      expect(toHex(d.raw_message)).toBe(r.lines[0]!.failure_message_hex);
    });

    it(`our failure from hop ${erring} is decoded by Electrum`, () => {
      const update = fromHex('0102' + 'ab'.repeat(20));
      let p: FailurePacket = buildFailurePacket(sharedSecrets[erring]!, { code: 'temporary_channel_failure', fields: { channel_update: update } });
      for (let i = erring - 1; i >= 0; i--) p = wrapFailurePacket(sharedSecrets[i]!, p);
      const r = runInterop('onion_error.py', ['decode'], { error_packet_hex: toHex(p.reason), session_key_hex: toHex(sessionKey), hop_pubkeys_hex: pubs.map(toHex) });
      expect(r.status, r.stderr).toBe(0);
      expect(r.lines[0]!.erring_hop).toBe(erring);
      expect(r.lines[0]!.failure_code).toBe(FAILCODE.temporary_channel_failure);
      expect(r.lines[0]!.failure_data_hex).toBe('0016' + toHex(update));
    });
  }
});
