import { describe, expect, it } from 'vitest';
import { formatDuration, formatExpiry, formatMsat, formatMsatExact, formatUnixTime, groupDigits, nodeLabel, shortId } from '../../../web/format.js';

describe('amounts', () => {
  it('writes msat as sat with thousands separators, keeping every msat', () => {
    expect(formatMsat(0n)).toBe('0 sat');
    expect(formatMsat(1n)).toBe('0.001 sat');
    expect(formatMsat(1000n)).toBe('1 sat');
    expect(formatMsat(1_234_000n)).toBe('1,234 sat');
    expect(formatMsat(1_234_567n)).toBe('1,234.567 sat');
    expect(formatMsat(1_234_500n)).toBe('1,234.5 sat');
    expect(formatMsat(1_000_050n)).toBe('1,000.05 sat');
    expect(formatMsat(2_100_000_000_000_000_000n)).toBe('2,100,000,000,000,000 sat');
    expect(formatMsat(18_446_744_073_709_551_615n)).toBe('18,446,744,073,709,551.615 sat');
    expect(formatMsat(-1_500n)).toBe('-1.5 sat');
  });

  it('writes the exact msat value', () => {
    expect(formatMsatExact(0n)).toBe('0 msat');
    expect(formatMsatExact(1_234_567n)).toBe('1,234,567 msat');
    expect(formatMsatExact(-1000n)).toBe('-1,000 msat');
    expect(groupDigits('123')).toBe('123');
    expect(groupDigits('1234')).toBe('1,234');
  });
});

describe('times', () => {
  it('formats unix seconds in a given zone', () => {
    expect(formatUnixTime(0, 'UTC')).toBe('1970-01-01 00:00:00');
    expect(formatUnixTime(1_700_000_000, 'UTC')).toBe('2023-11-14 22:13:20');
    expect(formatUnixTime(1_700_000_000, 'Asia/Tokyo')).toBe('2023-11-15 07:13:20');
  });

  it('formats durations and invoice expiry', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(3540)).toBe('59 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(86_400)).toBe('1 day');
    expect(formatDuration(190_000)).toBe('2 days 4 h');
    expect(formatExpiry(1000, 3600, 1060)).toBe('expires in 59 min');
    expect(formatExpiry(1000, 3600, 4780)).toBe('expired 3 min ago');
    expect(formatExpiry(1000, 3600, 4600)).toBe('expired 0 s ago');
  });
});

describe('node ids', () => {
  const id = `02${'ab'.repeat(31)}cd`;
  it('shortens ids and names the known ones', () => {
    expect(shortId(id)).toBe('02ababab…abcd');
    expect(shortId('abc')).toBe('abc');
    const names = new Map([[id, 'hub']]);
    expect(nodeLabel(id, names)).toBe('hub (02ababab…abcd)');
    expect(nodeLabel(id.toUpperCase(), names)).toBe('hub (02ABABAB…ABCD)');
    expect(nodeLabel(`03${'11'.repeat(32)}`, names)).toBe('03111111…1111');
  });
});
