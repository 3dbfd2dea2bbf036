import { describe, expect, expectTypeOf, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import type { Scid } from '../../../src/types.js';
import { LightningError } from '../../../src/errors.js';
import { WireError } from '../../../src/wire/errors.js';
import { chainHash } from '../../../src/wire/chains.js';
import {
  ALL_CHANNELS_ID,
  type ChannelUpdate,
  type CommitmentSigned,
  type Init,
  type UpdateAddHtlc,
  type WireMessage,
  channelUpdateSignedBytes,
  decodeMessage,
  encodeMessage,
  isAllChannelsId,
  isUnknownMessage,
  messageName,
  messageTypeNumber,
} from '../../../src/wire/messages.js';
import { Rng } from '../../support/fuzz.js';
import { loadVector } from '../../support/shared.js';
import { MESSAGE_NAMES, randomMessage } from './random-values.js';

const hex = (s: string): Uint8Array => fromHex(s.replace(/\s+/g, ''));

function decodeFailure(bytes: Uint8Array): WireError {
  try {
    decodeMessage(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect(e).toBeInstanceOf(LightningError);
    return e as WireError;
  }
  throw new Error(`${toHex(bytes)} decoded but should not`);
}

describe('message table', () => {
  // Type numbers as assigned in BOLT 1, 2 and 7.
  const SPEC_TYPES: Record<string, number> = {
    warning: 1,
    stfu: 2,
    peer_storage: 7,
    peer_storage_retrieval: 9,
    init: 16,
    error: 17,
    ping: 18,
    pong: 19,
    open_channel: 32,
    accept_channel: 33,
    funding_created: 34,
    funding_signed: 35,
    channel_ready: 36,
    shutdown: 38,
    closing_signed: 39,
    closing_complete: 40,
    closing_sig: 41,
    update_add_htlc: 128,
    update_fulfill_htlc: 130,
    update_fail_htlc: 131,
    commitment_signed: 132,
    revoke_and_ack: 133,
    update_fee: 134,
    update_fail_malformed_htlc: 135,
    channel_reestablish: 136,
    channel_announcement: 256,
    node_announcement: 257,
    channel_update: 258,
    announcement_signatures: 259,
    query_short_channel_ids: 261,
    reply_short_channel_ids_end: 262,
    query_channel_range: 263,
    reply_channel_range: 264,
    gossip_timestamp_filter: 265,
  };

  it('assigns every message its spec type number, both ways', () => {
    expect([...MESSAGE_NAMES].sort()).toEqual(Object.keys(SPEC_TYPES).sort());
    for (const name of MESSAGE_NAMES) {
      expect(messageTypeNumber(name)).toBe(SPEC_TYPES[name]);
      expect(messageName(SPEC_TYPES[name]!)).toBe(name);
    }
    expect(messageName(3)).toBeUndefined();
  });

  it('round-trips every message type with random field values', () => {
    const rng = new Rng(20260323);
    for (const name of MESSAGE_NAMES) {
      for (let i = 0; i < 30; i++) {
        const m = randomMessage(rng, name);
        const bytes = encodeMessage(m);
        expect(bytes[0]! * 256 + bytes[1]!).toBe(messageTypeNumber(name));
        const back = decodeMessage(bytes);
        expect(back).toEqual(m);
        expect(toHex(encodeMessage(back))).toBe(toHex(bytes));
      }
    }
  });

  it('infers field types from the table', () => {
    expectTypeOf<UpdateAddHtlc['amount_msat']>().toEqualTypeOf<bigint>();
    expectTypeOf<UpdateAddHtlc['cltv_expiry']>().toEqualTypeOf<number>();
    expectTypeOf<UpdateAddHtlc['tlvs']['blinded_path']>().toEqualTypeOf<Uint8Array | undefined>();
    expectTypeOf<CommitmentSigned['htlc_signature']>().toEqualTypeOf<Uint8Array[]>();
    expectTypeOf<ChannelUpdate['short_channel_id']>().toEqualTypeOf<Scid>();
    expectTypeOf<Init['tlvs']['networks']>().toEqualTypeOf<Uint8Array[] | undefined>();
    expectTypeOf<Extract<WireMessage, { type: 'ping' }>['num_pong_bytes']>().toEqualTypeOf<number>();
  });
});

describe('byte layouts', () => {
  it('encodes ping/pong as [u16 num_pong_bytes][u16 len][ignored]', () => {
    const ping = encodeMessage({ type: 'ping', num_pong_bytes: 4, ignored: hex('abcd') });
    expect(toHex(ping)).toBe('0012' + '0004' + '0002' + 'abcd');
    expect(toHex(encodeMessage({ type: 'pong', ignored: new Uint8Array(4) }))).toBe('0013000400000000');
  });

  it('encodes init with a networks TLV', () => {
    const m: Init = {
      type: 'init',
      global_features: new Uint8Array(0),
      features: hex('0200'),
      tlvs: { networks: [chainHash('regtest')] },
    };
    const expected = '0010' + '0000' + '0002' + '0200' + '01' + '20' + toHex(chainHash('regtest'));
    expect(toHex(encodeMessage(m))).toBe(expected);
    expect(decodeMessage(fromHex(expected))).toEqual(m);
  });

  it('encodes update_add_htlc fields in spec order with the 1366-byte onion', () => {
    const m: UpdateAddHtlc = {
      type: 'update_add_htlc',
      channel_id: new Uint8Array(32).fill(0x11),
      id: 5n,
      amount_msat: 1000n,
      payment_hash: new Uint8Array(32).fill(0x22),
      cltv_expiry: 500,
      onion_routing_packet: new Uint8Array(1366).fill(0x33),
      tlvs: { blinded_path: hex('02' + '44'.repeat(32)) },
    };
    const expected =
      '0080' +
      '11'.repeat(32) +
      '0000000000000005' +
      '00000000000003e8' +
      '22'.repeat(32) +
      '000001f4' +
      '33'.repeat(1366) +
      '0021' +
      '02' +
      '44'.repeat(32);
    expect(toHex(encodeMessage(m))).toBe(expected);
  });

  it('encodes commitment_signed htlc signatures with their u16 count', () => {
    const m: CommitmentSigned = {
      type: 'commitment_signed',
      channel_id: new Uint8Array(32),
      signature: new Uint8Array(64).fill(1),
      htlc_signature: [new Uint8Array(64).fill(2), new Uint8Array(64).fill(3)],
      tlvs: {},
    };
    const expected = '0084' + '00'.repeat(32) + '01'.repeat(64) + '0002' + '02'.repeat(64) + '03'.repeat(64);
    expect(toHex(encodeMessage(m))).toBe(expected);
  });

  it('encodes closing_signed fee_range as a two-field TLV record', () => {
    const bytes = encodeMessage({
      type: 'closing_signed',
      channel_id: new Uint8Array(32),
      fee_satoshis: 300n,
      signature: new Uint8Array(64),
      tlvs: { fee_range: { min_fee_satoshis: 200n, max_fee_satoshis: 400n } },
    });
    expect(toHex(bytes.subarray(2 + 32 + 8 + 64))).toBe('0110' + '00000000000000c8' + '0000000000000190');
  });
});

describe('BOLT 1 Appendix C: init message extension', () => {
  const V = loadVector<{
    message_extension_init: { valid: { message: string }[]; invalid: { message: string; explanation: string }[] };
  }>('bolt01-encoding.json');

  for (const v of V.message_extension_init.valid) {
    it(`accepts ${v.message}`, () => {
      const m = decodeMessage(fromHex(v.message));
      expect(m.type).toBe('init');
      expect(toHex(encodeMessage(m))).toBe(v.message);
    });
  }

  it('keeps the two unknown odd records of the extension example', () => {
    const m = decodeMessage(fromHex('001000000000c9012acb0104')) as Init;
    expect(m.tlvs.unknown).toEqual([
      { type: 0xc9n, value: hex('2a') },
      { type: 0xcbn, value: hex('04') },
    ]);
  });

  for (const v of V.message_extension_init.invalid) {
    it(`rejects ${v.message} (${v.explanation})`, () => {
      const e = decodeFailure(fromHex(v.message));
      expect(e.path.slice(0, 2)).toEqual(['init', 'tlvs']);
    });
  }
});

describe('unknown and malformed messages', () => {
  it('returns unknown odd and even types with their payload for the caller to judge', () => {
    const odd = decodeMessage(hex('7fff 0102'));
    expect(odd).toEqual({ type: 'unknown', type_num: 0x7fff, payload: hex('0102') });
    const even = decodeMessage(hex('0104'));
    expect(isUnknownMessage(even)).toBe(true);
    expect(even).toEqual({ type: 'unknown', type_num: 260, payload: new Uint8Array(0) });
  });

  it('re-encodes unknown messages but not with a known type number', () => {
    expect(toHex(encodeMessage({ type: 'unknown', type_num: 32769, payload: hex('aa') }))).toBe('8001aa');
    expect(() => encodeMessage({ type: 'unknown', type_num: 16, payload: new Uint8Array(0) })).toThrow(WireError);
  });

  it('rejects messages too short for a type', () => {
    expect(decodeFailure(new Uint8Array(0)).code).toBe('TRUNCATED');
    expect(decodeFailure(hex('00')).code).toBe('TRUNCATED');
  });

  it('names the message and field of a truncated message', () => {
    const m = encodeMessage(randomMessage(new Rng(1), 'update_add_htlc'));
    const e = decodeFailure(m.subarray(0, 2 + 32 + 8 + 8 + 32 + 4 + 10));
    expect(e.code).toBe('TRUNCATED');
    expect(e.path).toEqual(['update_add_htlc', 'onion_routing_packet']);
    expect(e.message).toMatch(/^update_add_htlc\.onion_routing_packet: /);
  });

  it('checks point syntax and names the field', () => {
    const m = randomMessage(new Rng(2), 'open_channel');
    const bytes = encodeMessage(m);
    const at = 2 + 32 + 32 + 6 * 8 + 4 + 2 + 2; // funding_pubkey
    bytes[at] = 0x04;
    const e = decodeFailure(bytes);
    expect(e.code).toBe('BAD_POINT');
    expect(e.path).toEqual(['open_channel', 'funding_pubkey']);
  });

  it('rejects an unknown even TLV in a message stream', () => {
    const base = encodeMessage({ type: 'channel_ready', channel_id: new Uint8Array(32), second_per_commitment_point: hex('02' + '00'.repeat(32)), tlvs: {} });
    const e = decodeFailure(new Uint8Array([...base, 0x02, 0x00]));
    expect(e.code).toBe('UNKNOWN_EVEN_TLV');
    expect(e.path).toEqual(['channel_ready', 'tlvs']);
  });

  it('ignores extra bytes after a message without a TLV stream (extension rule)', () => {
    const m = randomMessage(new Rng(3), 'revoke_and_ack');
    const bytes = encodeMessage(m);
    expect(decodeMessage(new Uint8Array([...bytes, 0x12, 0x00, 0xff]))).toEqual(m);
  });

  it('parses extra bytes after a message with a TLV stream as that stream', () => {
    const m = { type: 'update_fee', channel_id: new Uint8Array(32), feerate_per_kw: 253 } as const;
    expect(decodeMessage(new Uint8Array([...encodeMessage(m), 0x01]))).toEqual(m);
    const htlc = encodeMessage({ ...randomMessage(new Rng(4), 'update_fulfill_htlc'), tlvs: {} } as WireMessage);
    expect(decodeFailure(new Uint8Array([...htlc, 0x03])).code).toBe('TRUNCATED');
    const withOdd = decodeMessage(new Uint8Array([...htlc, 0x03, 0x01, 0xee]));
    expect(withOdd.type === 'update_fulfill_htlc' && withOdd.tlvs.unknown).toEqual([{ type: 3n, value: hex('ee') }]);
  });

  it('accepts a channel_reestablish whose (ignored) per-commitment point is not a point', () => {
    const m = randomMessage(new Rng(5), 'channel_reestablish');
    const bytes = encodeMessage({ ...m, my_current_per_commitment_point: new Uint8Array(33) } as WireMessage);
    expect(decodeMessage(bytes).type).toBe('channel_reestablish');
  });
});

describe('encoding errors', () => {
  it('reports wrong lengths, missing fields and out-of-range numbers with the field path', () => {
    const bad = (m: unknown): WireError => {
      try {
        encodeMessage(m as WireMessage);
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
        return e as WireError;
      }
      throw new Error('encoded');
    };
    expect(bad({ type: 'funding_signed', channel_id: new Uint8Array(32), signature: new Uint8Array(63) }).path).toEqual([
      'funding_signed',
      'signature',
    ]);
    expect(bad({ type: 'funding_signed', channel_id: new Uint8Array(32) }).path).toEqual(['funding_signed', 'signature']);
    expect(bad({ type: 'update_fee', channel_id: new Uint8Array(32), feerate_per_kw: 2 ** 32 }).code).toBe('BAD_VALUE');
    expect(bad({ type: 'ping', num_pong_bytes: 1.5, ignored: new Uint8Array(0) }).code).toBe('BAD_VALUE');
    expect(bad({ type: 'no_such_message' }).code).toBe('BAD_VALUE');
  });

  it('refuses messages over the 65535-byte BOLT 8 limit', () => {
    // 2 (type) + 2 (num_pong_bytes) + 2 (byteslen) + 65529 = 65535
    expect(encodeMessage({ type: 'ping', num_pong_bytes: 0, ignored: new Uint8Array(65529) })).toHaveLength(65535);
    let err: unknown;
    try {
      encodeMessage({ type: 'ping', num_pong_bytes: 0, ignored: new Uint8Array(65530) });
    } catch (e) {
      err = e;
    }
    expect((err as WireError).code).toBe('TOO_LARGE');
  });
});

describe('channel_update signature data and all-channels id', () => {
  const update = randomMessage(new Rng(6), 'channel_update') as ChannelUpdate;

  it('covers everything after the signature', () => {
    const bytes = encodeMessage(update);
    expect(toHex(channelUpdateSignedBytes(update))).toBe(toHex(bytes.subarray(2 + 64)));
    expect(channelUpdateSignedBytes(update).length).toBe(32 + 8 + 4 + 1 + 1 + 2 + 8 + 4 + 4 + 8);
  });

  it('keeps fields unknown to us when given the raw message', () => {
    const raw = new Uint8Array([...encodeMessage(update), 0xde, 0xad]);
    expect(toHex(channelUpdateSignedBytes(raw)).endsWith('dead')).toBe(true);
  });

  it('rejects bytes that are not a channel_update', () => {
    expect(() => channelUpdateSignedBytes(hex('0102'))).toThrow(WireError);
    expect(() => channelUpdateSignedBytes(new Uint8Array(80))).toThrow(WireError);
  });

  it('recognises the all-zero channel_id', () => {
    expect(isAllChannelsId(ALL_CHANNELS_ID)).toBe(true);
    expect(toHex(ALL_CHANNELS_ID)).toBe('00'.repeat(32));
    expect(isAllChannelsId(new Uint8Array(32).fill(1))).toBe(false);
    expect(isAllChannelsId(new Uint8Array(31))).toBe(false);
  });
});
