import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { WireError } from '../../../src/wire/errors.js';
import {
  KNOWN_FEATURES,
  channelTypeBits,
  featureBits,
  featureFlags,
  featureForBit,
  featureInfo,
  featureNames,
  featureSupport,
  featuresFromBits,
  hasFeature,
  hasFeatureBit,
  isNegotiated,
  mergeFeatures,
  missingDependencies,
  parseChannelType,
  requiresFeature,
  unknownRequiredFeatures,
} from '../../../src/wire/features.js';

describe('feature bit fields', () => {
  it('numbers bits from the least significant bit of the last byte', () => {
    const f = fromHex('0100'); // bit 8
    expect(hasFeatureBit(f, 8)).toBe(true);
    expect(hasFeatureBit(f, 0)).toBe(false);
    expect(hasFeatureBit(f, 200)).toBe(false);
    expect(featureFlags(fromHex('8002'))).toEqual([1, 15]);
    expect(toHex(featuresFromBits([0, 9, 17]))).toBe('020201');
    expect(featuresFromBits([])).toEqual(new Uint8Array(0));
  });

  it('builds minimal fields from named features', () => {
    const f = featureBits({ var_onion_optin: 'required', payment_secret: 'required', basic_mpp: 'optional' });
    expect(featureFlags(f)).toEqual([8, 14, 17]);
    expect(toHex(f)).toBe('024100');
    expect(featureBits({})).toEqual(new Uint8Array(0));
  });

  it('matches the bit assignments of BOLT 9', () => {
    const expected: Record<string, number> = {
      option_data_loss_protect: 0,
      initial_routing_sync: 2,
      option_upfront_shutdown_script: 4,
      gossip_queries: 6,
      var_onion_optin: 8,
      gossip_queries_ex: 10,
      option_static_remotekey: 12,
      payment_secret: 14,
      basic_mpp: 16,
      option_support_large_channel: 18,
      option_anchors: 22,
      option_route_blinding: 24,
      option_shutdown_anysegwit: 26,
      option_dual_fund: 28,
      option_quiesce: 34,
      option_attribution_data: 36,
      option_onion_messages: 38,
      option_provide_storage: 42,
      option_channel_type: 44,
      option_scid_alias: 46,
      option_payment_metadata: 48,
      option_zeroconf: 50,
      option_simple_close: 60,
      option_splice: 62,
    };
    expect(Object.fromEntries(KNOWN_FEATURES.map((n) => [n, featureInfo(n).bit]))).toEqual(expected);
    expect(featureForBit(23)?.name).toBe('option_anchors');
    expect(featureForBit(20)).toBeUndefined();
  });

  it('accepts the older anchors name as an alias', () => {
    const f = featureBits({ option_anchors_zero_fee_htlc_tx: 'optional' });
    expect(featureFlags(f)).toEqual([23]);
    expect(hasFeature(f, 'option_anchors')).toBe(true);
    expect(featureNames(f)).toEqual(['option_anchors']);
  });

  it('distinguishes offered, required and absent', () => {
    const f = featuresFromBits([13, 16, 17]);
    expect(hasFeature(f, 'option_static_remotekey')).toBe(true);
    expect(requiresFeature(f, 'option_static_remotekey')).toBe(false);
    expect(featureSupport(f, 'option_static_remotekey')).toBe('optional');
    // Both bits set counts as required (BOLT 9).
    expect(featureSupport(f, 'basic_mpp')).toBe('required');
    expect(featureSupport(f, 'option_zeroconf')).toBeUndefined();
    expect(featureNames(f)).toEqual(['option_static_remotekey', 'basic_mpp']);
  });

  it('finds required bits we do not know, ignoring unknown optional ones', () => {
    const f = featuresFromBits([8, 20, 21, 101, 110, 256]);
    expect(unknownRequiredFeatures(f)).toEqual([20, 110, 256]);
    // Narrowed to what an implementation actually supports.
    expect(unknownRequiredFeatures(featuresFromBits([8, 46]), ['var_onion_optin'])).toEqual([46]);
  });

  it('reports missing dependencies', () => {
    expect(missingDependencies(featuresFromBits([17]))).toEqual([{ feature: 'basic_mpp', needs: 'payment_secret' }]);
    expect(missingDependencies(featuresFromBits([14, 17]))).toEqual([]);
    expect(missingDependencies(featuresFromBits([51, 61]))).toEqual([
      { feature: 'option_zeroconf', needs: 'option_scid_alias' },
      { feature: 'option_simple_close', needs: 'option_shutdown_anysegwit' },
    ]);
    expect(missingDependencies(featuresFromBits([47, 50, 27, 60]))).toEqual([]);
  });

  it('merges global_features and features by OR, aligned on bit 0', () => {
    expect(toHex(mergeFeatures(fromHex('02'), fromHex('0100')))).toBe('0102');
    expect(toHex(mergeFeatures(fromHex('000001'), fromHex('')))).toBe('01');
    expect(mergeFeatures(fromHex('0000'), fromHex('00'))).toEqual(new Uint8Array(0));
  });

  it('decides negotiation as BOLT 1 defines it', () => {
    const local = featureBits({ option_quiesce: 'optional', option_route_blinding: 'required' });
    const remote = featureBits({ option_quiesce: 'optional' });
    expect(isNegotiated(local, remote, 'option_quiesce')).toBe(true);
    expect(isNegotiated(local, remote, 'option_route_blinding')).toBe(true);
    expect(isNegotiated(remote, local, 'option_route_blinding')).toBe(false);
  });

  it('rejects unknown names, bad support values and bad bit numbers', () => {
    expect(() => featureBits({ nonsense: 'optional' } as never)).toThrow(WireError);
    expect(() => featureBits({ basic_mpp: 'maybe' } as never)).toThrow(WireError);
    expect(() => featuresFromBits([-1])).toThrow(WireError);
    expect(() => hasFeature(new Uint8Array(0), 'nonsense' as never)).toThrow(WireError);
  });

  it('handles the largest possible field without blowing the stack', () => {
    const big = new Uint8Array(0xffff).fill(0xff);
    expect(featureFlags(big)).toHaveLength(0xffff * 8);
    expect(mergeFeatures(big, big)).toHaveLength(0xffff);
    expect(unknownRequiredFeatures(big).length).toBeGreaterThan(0);
  });
});

describe('channel types', () => {
  it('encodes the defined types and their variations', () => {
    expect(toHex(channelTypeBits())).toBe('1000');
    expect(featureFlags(channelTypeBits({ anchors: true }))).toEqual([12, 22]);
    expect(featureFlags(channelTypeBits({ anchors: true, scid_alias: true, zeroconf: true }))).toEqual([12, 22, 46, 50]);
  });

  it('parses only defined types in minimal form', () => {
    expect(parseChannelType(channelTypeBits({ anchors: true, zeroconf: true }))).toEqual({
      anchors: true,
      scid_alias: false,
      zeroconf: true,
    });
    expect(parseChannelType(fromHex('1000'))).toEqual({ anchors: false, scid_alias: false, zeroconf: false });
    expect(parseChannelType(fromHex('001000'))).toBeUndefined(); // not the smallest bitmap
    expect(parseChannelType(fromHex('400000'))).toBeUndefined(); // anchors without static_remotekey
    expect(parseChannelType(featuresFromBits([12, 20]))).toBeUndefined(); // retired anchor_outputs
    expect(parseChannelType(featuresFromBits([13]))).toBeUndefined(); // odd bits are not types
    expect(parseChannelType(new Uint8Array(0))).toBeUndefined();
  });
});

