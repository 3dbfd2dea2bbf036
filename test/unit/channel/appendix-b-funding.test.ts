// BOLT 3 Appendix B: the funding transaction, rebuilt from the block-1 coinbase output and signed
// (legacy P2PKH input), plus the funding helpers the channel layer exposes.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate, signCompact } from '../../../src/crypto/secp256k1.js';
import { sat } from '../../../src/types.js';
import {
  ChannelError,
  SIGHASH_ALL,
  buildFundingTx,
  channelIdFromFunding,
  compileScript,
  decodeSegwitAddress,
  feeForWeight,
  fundingAddress,
  fundingOutput,
  fundingWitnessScript,
  legacySighash,
  p2wpkh,
  parseTx,
  parseTxHex,
  serializeTx,
  syntheticFundingTx,
  txidFromHex,
  txidHex,
  txWeight,
  witnessSignature,
} from '../../../src/channel/index.js';
import { V } from './bolt3-fixture.js';

const B = V.appendix_b_funding_tx;

describe('BOLT 3 Appendix B: funding transaction', () => {
  it('rebuilds and signs the funding tx byte for byte', () => {
    const coinbase = parseTxHex(B.block1_coinbase_tx);
    expect(txidHex(coinbase)).toBe(B.input_txid);
    const prevOut = coinbase.outputs[B.input_index]!;
    expect(prevOut.value).toBe(BigInt(B.input_satoshis));

    const priv = fromHex(B.block1_coinbase_privkey);
    const pub = pubkeyCreate(priv);
    const unsigned = buildFundingTx({
      inputs: [{ prevout: { txid: txidFromHex(B.input_txid), vout: B.input_index } }],
      funding_satoshis: sat(B.funding_satoshis),
      local_funding_pubkey: fromHex(B.local_funding_pubkey),
      remote_funding_pubkey: fromHex(B.remote_funding_pubkey),
      change: { value: sat(B.change_satoshis), scriptPubKey: p2wpkh(pub) },
    });
    const sig = signCompact(legacySighash(unsigned, 0, prevOut.scriptPubKey, SIGHASH_ALL), priv);
    const scriptSig = compileScript([witnessSignature(sig, SIGHASH_ALL), pub]);
    const signed = { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, scriptSig }] };

    expect(toHex(serializeTx(signed))).toBe(B.funding_tx);
    expect(txidHex(signed)).toBe(B.funding_txid);
    expect(toHex(signed.outputs[B.funding_output_index]!.scriptPubKey)).toBe(
      toHex(fundingOutput(fromHex(B.local_funding_pubkey), fromHex(B.remote_funding_pubkey)).script_pubkey),
    );
    // The change is what is left after paying feerate_per_kw for the tx's actual weight.
    expect(BigInt(B.input_satoshis - B.funding_satoshis - B.change_satoshis)).toBe(feeForWeight(B.feerate_per_kw, txWeight(signed)));
  });

  it('sorts the funding keys whichever side passes them first', () => {
    const a = fromHex(B.local_funding_pubkey);
    const b = fromHex(B.remote_funding_pubkey);
    expect(toHex(fundingWitnessScript(a, b))).toBe(B.funding_witness_script);
    expect(toHex(fundingWitnessScript(b, a))).toBe(B.funding_witness_script);
  });
});

describe('funding helpers', () => {
  const a = fromHex(B.local_funding_pubkey);
  const b = fromHex(B.remote_funding_pubkey);

  it('derives channel_id by XORing the output index into the txid (BOLT 2)', () => {
    const id = txidFromHex(B.funding_txid);
    expect(toHex(channelIdFromFunding(id, 0))).toBe(toHex(id));
    const x = channelIdFromFunding(id, 0x0102);
    expect(toHex(x.subarray(0, 30))).toBe(toHex(id.subarray(0, 30)));
    expect([x[30], x[31]]).toEqual([id[30]! ^ 0x01, id[31]! ^ 0x02]);
    expect(() => channelIdFromFunding(id, 0x10000)).toThrow(ChannelError);
  });

  it('shows the funding output as a P2WSH address for the network', () => {
    const addr = fundingAddress('regtest', a, b);
    expect(addr.startsWith('bcrt1q')).toBe(true);
    const decoded = decodeSegwitAddress(addr);
    expect(decoded.network).toBe('regtest');
    expect(toHex(decoded.scriptPubKey)).toBe(toHex(fundingOutput(a, b).script_pubkey));
    expect(fundingAddress('bitcoin', a, b).startsWith('bc1q')).toBe(true);
  });

  it('builds a synthetic funding tx whose output 0 is the 2-of-2, reproducibly per salt', () => {
    const params = { funding_satoshis: sat(1_000_000), local_funding_pubkey: a, remote_funding_pubkey: b };
    const t1 = syntheticFundingTx({ ...params, salt: fromHex('01') });
    const t2 = syntheticFundingTx({ ...params, salt: fromHex('01') });
    const t3 = syntheticFundingTx({ ...params, salt: fromHex('02') });
    expect(txidHex(t1)).toBe(txidHex(t2));
    expect(txidHex(t1)).not.toBe(txidHex(t3));
    expect(t1.outputs).toHaveLength(1);
    expect(t1.outputs[0]!.value).toBe(1_000_000n);
    expect(toHex(t1.outputs[0]!.scriptPubKey)).toBe(toHex(fundingOutput(a, b).script_pubkey));
    // It serializes as an ordinary transaction that parses back identically.
    const raw = serializeTx(t1);
    expect(toHex(serializeTx(parseTx(raw)))).toBe(toHex(raw));
  });

  it('refuses a funding tx without inputs or amount', () => {
    expect(() => buildFundingTx({ inputs: [], funding_satoshis: sat(1), local_funding_pubkey: a, remote_funding_pubkey: b })).toThrow(ChannelError);
    expect(() =>
      buildFundingTx({ inputs: [{ prevout: { txid: new Uint8Array(32), vout: 0 } }], funding_satoshis: sat(0), local_funding_pubkey: a, remote_funding_pubkey: b }),
    ).toThrow(ChannelError);
  });
});
