// Which BOLT 11 network and currency prefix a node on each chain uses: testnet4 has no prefix of
// its own and shares testnet's "tb"; signet's is "tbs" (Core Lightning's chainparams).
import { describe, expect, it } from 'vitest';
import { bolt11PrefixForChain, invoiceNetwork, splitHrp } from '../../../src/invoice/networks.js';

describe('invoice networks per chain', () => {
  it('maps every chain to its BOLT 11 network and prefix', () => {
    const rows = (['bitcoin', 'testnet', 'testnet4', 'signet', 'regtest'] as const).map((c) => [c, invoiceNetwork(c), bolt11PrefixForChain(c)]);
    expect(rows).toEqual([
      ['bitcoin', 'bitcoin', 'bc'],
      ['testnet', 'testnet', 'tb'],
      ['testnet4', 'testnet', 'tb'],
      ['signet', 'signet', 'tbs'],
      ['regtest', 'regtest', 'bcrt'],
    ]);
  });

  it('an invoice prefix reads back as the network it was derived from', () => {
    for (const c of ['bitcoin', 'testnet4', 'signet', 'regtest'] as const) {
      expect(splitHrp(`ln${bolt11PrefixForChain(c)}2500u`)).toMatchObject({ info: { network: invoiceNetwork(c) }, amount: '2500u' });
    }
  });
});
