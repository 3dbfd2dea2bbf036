import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { WireError } from '../../../src/wire/errors.js';
import { chainHash, networkForChainHash } from '../../../src/wire/chains.js';
import {
  QUERY_OPTION_WANT_CHECKSUMS,
  QUERY_OPTION_WANT_TIMESTAMPS,
  decodeQueryFlags,
  decodeShortChannelIds,
  decodeTimestamps,
  encodeShortChannelIds,
} from '../../../src/wire/gossip-queries.js';
import {
  type QueryChannelRange,
  type QueryShortChannelIds,
  type ReplyChannelRange,
  decodeMessage,
  encodeMessage,
} from '../../../src/wire/messages.js';
import { formatScid, parseScid } from '../../../src/wire/scid.js';
import { loadVector } from '../../support/shared.js';

interface ScidArray {
  array: string[];
  encoding: 'UNCOMPRESSED' | 'COMPRESSED_ZLIB';
}
interface QueryVector {
  hex: string;
  msg: {
    type: 'QueryChannelRange' | 'ReplyChannelRange' | 'QueryShortChannelIds';
    chainHash: string;
    firstBlockNum?: number;
    numberOfBlocks?: number;
    complete?: number;
    shortChannelIds?: ScidArray;
    timestamps?: { encoding: string; timestamps: { timestamp1: number; timestamp2: number }[] };
    checksums?: { checksums: { checksum1: number; checksum2: number }[] };
    tlvStream?: { records: (string | { array: number[]; encoding: string })[] };
  };
}
const V = loadVector<{ extended_queries: QueryVector[] }>('bolt07-scid.json');

function expectUnsupported(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect((e as WireError).code).toBe('UNSUPPORTED');
    return;
  }
  throw new Error('zlib data was accepted');
}

describe('BOLT 7 extended gossip queries (bolt07/extended-queries.json)', () => {
  it('has the 10 vectors', () => expect(V.extended_queries).toHaveLength(10));

  V.extended_queries.forEach((v, i) => {
    it(`#${i} ${v.msg.type} decodes field by field and re-encodes byte for byte`, () => {
      const m = decodeMessage(fromHex(v.hex));
      expect(toHex(encodeMessage(m))).toBe(v.hex);
      const expectedType = { QueryChannelRange: 'query_channel_range', ReplyChannelRange: 'reply_channel_range', QueryShortChannelIds: 'query_short_channel_ids' }[v.msg.type];
      expect(m.type).toBe(expectedType);
      const withChain = m as QueryChannelRange | ReplyChannelRange | QueryShortChannelIds;
      expect(toHex(withChain.chain_hash)).toBe(v.msg.chainHash);

      if (m.type === 'query_channel_range') {
        expect(m.first_blocknum).toBe(v.msg.firstBlockNum);
        expect(m.number_of_blocks).toBe(v.msg.numberOfBlocks);
        const wants = v.msg.tlvStream?.records[0];
        if (wants === undefined) expect(m.tlvs.query_option).toBeUndefined();
        else {
          expect(wants).toBe('WANT_TIMESTAMPS | WANT_CHECKSUMS');
          expect(m.tlvs.query_option).toBe(QUERY_OPTION_WANT_TIMESTAMPS | QUERY_OPTION_WANT_CHECKSUMS);
        }
      }
      if (m.type === 'reply_channel_range') {
        expect(m.first_blocknum).toBe(v.msg.firstBlockNum);
        expect(m.number_of_blocks).toBe(v.msg.numberOfBlocks);
        expect(m.sync_complete).toBe(v.msg.complete);
      }
      if (m.type === 'reply_channel_range' || m.type === 'query_short_channel_ids') {
        const ids = v.msg.shortChannelIds!;
        if (ids.encoding === 'UNCOMPRESSED') {
          expect(decodeShortChannelIds(m.encoded_short_ids).map(formatScid)).toEqual(ids.array);
          expect(toHex(encodeShortChannelIds(ids.array.map(parseScid)))).toBe(toHex(m.encoded_short_ids));
        } else {
          // Encoding 1 (zlib) "MUST NOT be used" any more: the message parses, its ids are refused.
          expectUnsupported(() => decodeShortChannelIds(m.encoded_short_ids));
        }
      }
      if (m.type === 'reply_channel_range') {
        const ts = v.msg.timestamps;
        if (ts === undefined) expect(m.tlvs.timestamps_tlv).toBeUndefined();
        else if (ts.encoding === 'UNCOMPRESSED') {
          expect(decodeTimestamps(m.tlvs.timestamps_tlv!)).toEqual(
            ts.timestamps.map((t) => ({ timestamp_node_id_1: t.timestamp1, timestamp_node_id_2: t.timestamp2 })),
          );
        } else expectUnsupported(() => decodeTimestamps(m.tlvs.timestamps_tlv!));
        const cs = v.msg.checksums;
        expect(m.tlvs.checksums_tlv).toEqual(
          cs?.checksums.map((c) => ({ checksum_node_id_1: c.checksum1, checksum_node_id_2: c.checksum2 })),
        );
      }
      if (m.type === 'query_short_channel_ids') {
        const flags = v.msg.tlvStream?.records[0];
        if (flags === undefined) expect(m.tlvs.query_flags).toBeUndefined();
        else {
          expect(typeof flags === 'object' && flags.encoding).toBe('COMPRESSED_ZLIB');
          expectUnsupported(() => decodeQueryFlags(m.tlvs.query_flags!));
        }
      }
    });
  });

  it("uses regtest's display-order hash as chain_hash (a quirk of this vector file)", () => {
    // BOLT 0 puts chain_hash on the wire in internal byte order; these vectors carry the
    // display order instead, so the bytes are regtest's wire chain_hash reversed.
    const onWire = fromHex(V.extended_queries[0]!.msg.chainHash);
    expect(networkForChainHash(onWire)).toBeUndefined();
    expect(networkForChainHash(onWire.slice().reverse())).toBe('regtest');
    expect(toHex(chainHash('regtest').reverse())).toBe(toHex(onWire));
  });
});

describe('encoded payload helpers', () => {
  it('decodes uncompressed query flags as BigSizes', () => {
    expect(decodeQueryFlags({ encoding_type: 0, encoded_query_flags: fromHex('0102fd00fd') })).toEqual([1n, 2n, 253n]);
  });

  it('rejects empty, unknown-encoding and partial scid data', () => {
    expect(() => decodeShortChannelIds(new Uint8Array(0))).toThrow(WireError);
    expect(() => decodeShortChannelIds(fromHex('02'))).toThrow(WireError);
    expect(() => decodeShortChannelIds(fromHex('00000000000000000001ff'))).toThrow(WireError);
    expect(decodeShortChannelIds(fromHex('00'))).toEqual([]);
  });
});
