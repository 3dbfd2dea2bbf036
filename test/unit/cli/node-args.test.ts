// The daemon's flags become node options exactly, and bad values are refused before anything starts.
import { describe, expect, it } from 'vitest';
import { parseNodeArgs } from '../../../src/cli/node-daemon.js';

describe('lightning-worker node flags', () => {
  it('maps listeners, chain, trust and relay policy into options', () => {
    const id = '02' + 'AB'.repeat(32);
    const { options, logLevel } = parseNodeArgs([
      '--data-dir', '/tmp/x', '--network=regtest', '--bind', '127.0.0.1:0', '--bind', 'ws:127.0.0.1:0',
      '--chain', 'static:800000', '--zeroconf-from', id, '--fee-base', '0', '--fee-ppm', '5', '--cltv-delta', '40',
      '--log-level', 'debug',
    ]);
    expect(options).toMatchObject({
      dataDir: '/tmp/x',
      network: 'regtest',
      listen: { tcp: ['127.0.0.1:0'], ws: ['127.0.0.1:0'] },
      chain: 'static:800000',
      zeroconfFrom: [id.toLowerCase()],
      relayPolicy: { fee_base_msat: 0, fee_proportional_millionths: 5, cltv_expiry_delta: 40 },
    });
    expect(options.channelPolicy).toBeUndefined();
    expect(logLevel).toBe('debug');
  });

  it('--max-concurrent-htlcs sets how many HTLCs we accept per channel (5..483)', () => {
    expect(parseNodeArgs(['--data-dir', 'd', '--max-concurrent-htlcs', '60']).options.channelPolicy).toEqual({ max_accepted_htlcs: 60 });
    expect(parseNodeArgs(['--data-dir', 'd', '--max-concurrent-htlcs=483']).options.channelPolicy).toEqual({ max_accepted_htlcs: 483 });
    expect(() => parseNodeArgs(['--data-dir', 'd', '--max-concurrent-htlcs', '484'])).toThrow('--max-concurrent-htlcs must be between 5 and 483');
    expect(() => parseNodeArgs(['--data-dir', 'd', '--max-concurrent-htlcs', '4'])).toThrow('--max-concurrent-htlcs must be between 5 and 483');
    expect(() => parseNodeArgs(['--data-dir', 'd', '--max-concurrent-htlcs', '-3'])).toThrow('--max-concurrent-htlcs must be a non-negative integer');
  });

  it('refuses unknown flags, missing values and a missing data dir', () => {
    expect(() => parseNodeArgs(['--data-dir', 'd', '--frobnicate'])).toThrow('unknown option --frobnicate');
    expect(() => parseNodeArgs(['--data-dir'])).toThrow('--data-dir needs a value');
    expect(() => parseNodeArgs(['--bind', '127.0.0.1:0'])).toThrow('--data-dir is required');
    expect(() => parseNodeArgs(['--data-dir', 'd', '--network', 'litecoin'])).toThrow('unknown network litecoin');
  });
});
