// BOLT 3 Appendix E: derivation of localpubkey/localprivkey and revocation pub/privkey.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import {
  ChannelError,
  basepointsFromSecrets,
  deriveCommitmentKeys,
  derivePrivkey,
  derivePubkey,
  deriveRevocationPrivkey,
  deriveRevocationPubkey,
} from '../../../src/channel/index.js';
import { V } from './bolt3-fixture.js';

const E = V.appendix_e_key_derivation;
const base = fromHex(E.inputs.base_point);
const baseSecret = fromHex(E.inputs.base_secret);
const pcp = fromHex(E.inputs.per_commitment_point);
const pcs = fromHex(E.inputs.per_commitment_secret);

function expected(name: string): string {
  const t = E.tests.find((x) => x.output_name === name);
  if (!t) throw new Error(`no ${name} vector`);
  return t.output;
}

describe('BOLT 3 Appendix E: key derivation', () => {
  it('the inputs are consistent', () => {
    expect(toHex(pubkeyCreate(baseSecret))).toBe(E.inputs.base_point);
    expect(toHex(pubkeyCreate(pcs))).toBe(E.inputs.per_commitment_point);
    expect(E.tests).toHaveLength(4);
  });

  it('localpubkey', () => {
    expect(toHex(derivePubkey(base, pcp))).toBe(expected('localpubkey'));
  });

  it('localprivkey, which matches localpubkey', () => {
    const priv = derivePrivkey(baseSecret, pcp);
    expect(toHex(priv)).toBe(expected('localprivkey'));
    expect(toHex(pubkeyCreate(priv))).toBe(expected('localpubkey'));
  });

  it('revocationpubkey', () => {
    expect(toHex(deriveRevocationPubkey(base, pcp))).toBe(expected('revocationpubkey'));
  });

  it('revocationprivkey, which matches revocationpubkey', () => {
    const priv = deriveRevocationPrivkey(baseSecret, pcs);
    expect(toHex(priv)).toBe(expected('revocationprivkey'));
    expect(toHex(pubkeyCreate(priv))).toBe(expected('revocationpubkey'));
  });

  it('derives a commitment key set whose private keys match', () => {
    const secret = (b: number) => new Uint8Array(32).fill(b);
    const holderSecrets = {
      funding_privkey: secret(1),
      revocation_basepoint_secret: secret(2),
      payment_basepoint_secret: secret(3),
      delayed_payment_basepoint_secret: secret(4),
      htlc_basepoint_secret: secret(5),
    };
    const counterpartySecrets = {
      funding_privkey: secret(6),
      revocation_basepoint_secret: secret(7),
      payment_basepoint_secret: secret(8),
      delayed_payment_basepoint_secret: secret(9),
      htlc_basepoint_secret: secret(10),
    };
    const keys = deriveCommitmentKeys(basepointsFromSecrets(holderSecrets), basepointsFromSecrets(counterpartySecrets), pcp);
    expect(toHex(pubkeyCreate(derivePrivkey(holderSecrets.delayed_payment_basepoint_secret, pcp)))).toBe(toHex(keys.local_delayed_pubkey));
    expect(toHex(pubkeyCreate(derivePrivkey(holderSecrets.htlc_basepoint_secret, pcp)))).toBe(toHex(keys.local_htlc_pubkey));
    expect(toHex(pubkeyCreate(derivePrivkey(counterpartySecrets.htlc_basepoint_secret, pcp)))).toBe(toHex(keys.remote_htlc_pubkey));
    expect(toHex(pubkeyCreate(deriveRevocationPrivkey(counterpartySecrets.revocation_basepoint_secret, pcs)))).toBe(toHex(keys.revocation_pubkey));
    expect(toHex(keys.remote_payment_pubkey)).toBe(toHex(pubkeyCreate(counterpartySecrets.payment_basepoint_secret)));
  });

  it('rejects keys of the wrong size with ChannelError', () => {
    expect(() => derivePubkey(base.subarray(1), pcp)).toThrow(ChannelError);
    expect(() => derivePrivkey(baseSecret.subarray(1), pcp)).toThrow(ChannelError);
    expect(() => deriveRevocationPubkey(base, pcp.subarray(1))).toThrow(ChannelError);
    expect(() => deriveRevocationPrivkey(baseSecret, pcs.subarray(1))).toThrow(ChannelError);
  });
});
