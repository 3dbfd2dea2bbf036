// Mutual-close transactions: the funder pays the fee, dust outputs disappear, BIP 69 order,
// final sequence and zero locktime, and both signatures land in the funding key order.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/util/bytes.js';
import { msat, sat } from '../../../src/types.js';
import {
  ChannelError,
  SEQUENCE_FINAL,
  buildClosingTx,
  p2wpkh,
  parseTx,
  serializeTx,
  signClosingTx,
  signedClosingTx,
  verifyClosingSig,
} from '../../../src/channel/index.js';
import type { ClosingSpec } from '../../../src/channel/index.js';
import { channelSetup } from './bolt3-fixture.js';

const setup = channelSetup();
const localScript = p2wpkh(setup.keys.local_htlc_pubkey);
const remoteScript = p2wpkh(setup.keys.remote_htlc_pubkey);

function closing(over: Partial<ClosingSpec> = {}): ClosingSpec {
  return {
    funding: setup.funding,
    local_is_funder: true,
    to_local_msat: msat(7_000_000_000),
    to_remote_msat: msat(3_000_000_000),
    local_scriptpubkey: localScript,
    remote_scriptpubkey: remoteScript,
    fee_satoshis: sat(1_000),
    dust_limit_satoshis: sat(546),
    ...over,
  };
}

describe('closing transaction', () => {
  it('pays both balances, the funder paying the fee, in BIP 69 order', () => {
    const c = buildClosingTx(closing());
    expect(c.tx.version).toBe(2);
    expect(c.tx.locktime).toBe(0);
    expect(c.tx.inputs[0]!.sequence).toBe(SEQUENCE_FINAL);
    expect(c.tx.outputs.map((o) => o.value)).toEqual([3_000_000n, 6_999_000n]);
    expect(c.remote_output_index).toBe(0);
    expect(c.local_output_index).toBe(1);
    expect(toHex(c.tx.outputs[1]!.scriptPubKey)).toBe(toHex(localScript));

    const fundee = buildClosingTx(closing({ local_is_funder: false }));
    expect(fundee.tx.outputs.map((o) => o.value)).toEqual([2_999_000n, 7_000_000n]);
  });

  it('orders equal amounts by scriptPubKey', () => {
    const c = buildClosingTx(closing({ to_local_msat: msat(5_000_000_000), to_remote_msat: msat(5_000_000_000), fee_satoshis: sat(0) }));
    const scripts = c.tx.outputs.map((o) => toHex(o.scriptPubKey));
    expect(scripts).toEqual([...scripts].sort());
  });

  it('drops outputs below the dust limit and, on request, our own output', () => {
    const dusty = buildClosingTx(closing({ to_local_msat: msat(9_999_500_000), to_remote_msat: msat(500_000) }));
    expect(dusty.tx.outputs).toHaveLength(1);
    expect(dusty.remote_output_index).toBeUndefined();
    expect(dusty.local_output_index).toBe(0);
    const omitted = buildClosingTx(closing({ omit_local_output: true }));
    expect(omitted.tx.outputs).toHaveLength(1);
    expect(omitted.local_output_index).toBeUndefined();
  });

  it('signs, verifies and assembles a broadcastable witness', () => {
    const c = buildClosingTx(closing());
    const localSig = signClosingTx(c, setup.localFundingPrivkey);
    const remoteSig = signClosingTx(c, setup.remoteFundingPrivkey);
    expect(verifyClosingSig(c, remoteSig, setup.funding.remote_funding_pubkey)).toBe(true);
    expect(verifyClosingSig(c, remoteSig, setup.funding.local_funding_pubkey)).toBe(false);
    // A signature over a different fee does not verify for this variant.
    expect(verifyClosingSig(buildClosingTx(closing({ fee_satoshis: sat(1_001) })), remoteSig, setup.funding.remote_funding_pubkey)).toBe(false);
    const signed = signedClosingTx(c, { local: localSig, remote: remoteSig });
    const w = signed.inputs[0]!.witness;
    expect(w).toHaveLength(4);
    expect(toHex(w[3]!)).toBe(toHex(c.funding_witness_script));
    const raw = serializeTx(signed);
    expect(toHex(serializeTx(parseTx(raw)))).toBe(toHex(raw));
  });

  it('rejects inconsistent balances and unaffordable fees', () => {
    expect(() => buildClosingTx(closing({ to_local_msat: msat(1) }))).toThrow(ChannelError);
    expect(() => buildClosingTx(closing({ fee_satoshis: sat(7_000_001) }))).toThrow(ChannelError);
    expect(() => buildClosingTx(closing({ local_is_funder: false, fee_satoshis: sat(3_000_001) }))).toThrow(ChannelError);
  });
});
