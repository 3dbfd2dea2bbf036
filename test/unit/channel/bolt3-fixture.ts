// Typed access to ../shared/vectors/bolt03-commitment.json and the channel setup shared by the
// Appendix C (static_remotekey) and Appendix F (anchors) vectors: same keys, funding outpoint,
// commitment number and HTLC set.
import { loadVector } from '../../support/shared.js';
import { fromHex } from '../../../src/util/bytes.js';
import type { Bytes } from '../../../src/util/bytes.js';
import { msat, sat } from '../../../src/types.js';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import {
  derivePrivkey,
  derivePubkey,
  deriveRevocationPubkey,
  obscuringFactor,
  txidFromHex,
} from '../../../src/channel/index.js';
import type { ChannelType, CommitmentHtlc, CommitmentKeys, CommitmentSpec, FundingInfo } from '../../../src/channel/index.js';

export interface VectorHtlc {
  id: number;
  direction: 'remote->local' | 'local->remote';
  amount_msat: number;
  expiry: number;
  payment_preimage: string;
}

export interface CHtlcTx {
  commit_output_index: number;
  type: 'htlc-success' | 'htlc-timeout';
  htlc_id: number;
  remote_htlc_signature: string;
  local_htlc_signature: string;
  tx: string;
}

export interface CTest {
  name: string;
  to_local_msat: number;
  to_remote_msat: number;
  local_feerate_per_kw: number;
  base_commitment_fee_sat?: number;
  actual_commitment_fee_sat?: number;
  htlc_outputs_trace?: { htlc_id: number; direction: 'offered' | 'received'; amount_sat: number; wscript: string }[];
  to_local_output?: { amount_sat: number; wscript: string };
  to_remote_output?: { amount_sat: number; p2wpkh_pubkey: string };
  remote_signature: string;
  local_signature: string;
  commit_tx: string;
  num_htlcs: number;
  htlc_txs?: CHtlcTx[];
}

export interface FTest {
  Name: string;
  LocalBalance: number;
  RemoteBalance: number;
  DustLimitSatoshis: number;
  FeePerKw: number;
  UseTestHtlcs: boolean;
  HtlcDescs: { RemoteSigHex: string; ResolutionTxHex: string }[];
  ExpectedCommitmentTxHex: string;
  RemoteSigHex: string;
}

export interface Bolt3Vectors {
  appendix_b_funding_tx: {
    block1_coinbase_tx: string;
    block1_coinbase_privkey: string;
    local_funding_pubkey: string;
    remote_funding_pubkey: string;
    funding_witness_script: string;
    input_txid: string;
    input_index: number;
    input_satoshis: number;
    funding_satoshis: number;
    feerate_per_kw: number;
    change_satoshis: number;
    funding_output_index: number;
    funding_tx: string;
    funding_txid: string;
  };
  appendix_c_commitment_static_remotekey: {
    params: {
      funding_tx_id: string;
      funding_output_index: number;
      funding_amount_satoshi: number;
      commitment_number: number;
      local_delay: number;
      local_dust_limit_satoshi: number;
      htlcs: VectorHtlc[];
    };
    keys: Record<
      | 'local_payment_basepoint'
      | 'remote_payment_basepoint'
      | 'obscuring_factor'
      | 'local_htlc_basepoint'
      | 'remote_htlc_basepoint'
      | 'local_funding_privkey'
      | 'local_funding_pubkey'
      | 'remote_funding_pubkey'
      | 'local_privkey'
      | 'local_htlcpubkey'
      | 'remote_htlcpubkey'
      | 'local_delayedpubkey'
      | 'local_revocation_pubkey'
      | 'funding_wscript',
      string
    >;
    derivation_internal_values: Record<
      | 'remote_funding_privkey'
      | 'local_payment_basepoint_secret'
      | 'remote_revocation_basepoint_secret'
      | 'local_delayed_payment_basepoint_secret'
      | 'remote_payment_basepoint_secret'
      | 'x_local_per_commitment_secret'
      | 'remote_revocation_basepoint'
      | 'local_delayed_payment_basepoint'
      | 'local_per_commitment_point'
      | 'remote_privkey'
      | 'local_delayed_privkey',
      string
    >;
    tests: CTest[];
  };
  appendix_d_per_commitment_secrets: {
    generation_tests: { name: string; seed: string; I: number; output: string }[];
    storage_tests: { tests: { name: string; steps: { I: number; secret: string; expected: 'OK' | 'ERROR' }[] }[] };
  };
  appendix_e_key_derivation: {
    inputs: { base_secret: string; per_commitment_secret: string; base_point: string; per_commitment_point: string };
    tests: {
      name: string;
      output_name: 'localpubkey' | 'localprivkey' | 'revocationpubkey' | 'revocationprivkey';
      output: string;
      intermediates: Record<string, string>;
    }[];
  };
  appendix_f_commitment_anchors: { tests: FTest[] };
}

export const V = loadVector<Bolt3Vectors>('bolt03-commitment.json');
export const C = V.appendix_c_commitment_static_remotekey;

/** Keys and secrets of the Appendix C/F channel; "local" is the holder and the funder. */
export function channelSetup() {
  const k = C.keys;
  const iv = C.derivation_internal_values;
  const pcp = fromHex(iv.local_per_commitment_point);
  const keys: CommitmentKeys = {
    revocation_pubkey: deriveRevocationPubkey(fromHex(iv.remote_revocation_basepoint), pcp),
    local_delayed_pubkey: derivePubkey(fromHex(iv.local_delayed_payment_basepoint), pcp),
    local_htlc_pubkey: derivePubkey(fromHex(k.local_htlc_basepoint), pcp),
    remote_htlc_pubkey: derivePubkey(fromHex(k.remote_htlc_basepoint), pcp),
    remote_payment_pubkey: fromHex(k.remote_payment_basepoint),
  };
  const funding: FundingInfo = {
    txid: txidFromHex(C.params.funding_tx_id),
    output_index: C.params.funding_output_index,
    amount_sat: sat(C.params.funding_amount_satoshi),
    local_funding_pubkey: fromHex(k.local_funding_pubkey),
    remote_funding_pubkey: fromHex(k.remote_funding_pubkey),
  };
  return {
    pcp,
    keys,
    funding,
    obscuring: obscuringFactor(fromHex(k.local_payment_basepoint), fromHex(k.remote_payment_basepoint)),
    localFundingPrivkey: fromHex(k.local_funding_privkey),
    remoteFundingPrivkey: fromHex(iv.remote_funding_privkey),
    // In these vectors each side's htlc_basepoint is its payment_basepoint.
    localHtlcPrivkey: derivePrivkey(fromHex(iv.local_payment_basepoint_secret), pcp),
    remoteHtlcPrivkey: derivePrivkey(fromHex(iv.remote_payment_basepoint_secret), pcp),
  };
}

export function vectorHtlc(h: VectorHtlc): CommitmentHtlc {
  return {
    id: BigInt(h.id),
    direction: h.direction === 'remote->local' ? 'received' : 'offered',
    amount_msat: msat(h.amount_msat),
    payment_hash: sha256(fromHex(h.payment_preimage)),
    cltv_expiry: h.expiry,
  };
}

export function preimageOf(id: bigint): Bytes {
  const h = C.params.htlcs.find((x) => BigInt(x.id) === id);
  if (!h) throw new Error(`no HTLC ${id} in the vectors`);
  return fromHex(h.payment_preimage);
}

/**
 * The HTLC set of a test: none, HTLCs 0-4, or (the "same amount and preimage" test) 1, 5 and 6.
 * Chosen as the set that, with the balances, adds up to the funding amount.
 */
export function htlcSetFor(toLocalMsat: number, toRemoteMsat: number, useHtlcs: boolean): CommitmentHtlc[] {
  if (!useHtlcs) return [];
  const total = BigInt(C.params.funding_amount_satoshi) * 1000n - BigInt(toLocalMsat) - BigInt(toRemoteMsat);
  for (const ids of [[0, 1, 2, 3, 4], [1, 5, 6]]) {
    const set = C.params.htlcs.filter((h) => ids.includes(h.id));
    if (set.reduce((s, h) => s + BigInt(h.amount_msat), 0n) === total) return set.map(vectorHtlc);
  }
  throw new Error('no HTLC set matches the balances');
}

export function specFor(
  type: ChannelType,
  t: { toLocalMsat: number; toRemoteMsat: number; feerate: number; dustLimit: number; htlcs: CommitmentHtlc[] },
): CommitmentSpec {
  const s = channelSetup();
  return {
    channel_type: type,
    commitment_number: BigInt(C.params.commitment_number),
    obscuring_factor: s.obscuring,
    local_is_funder: true,
    to_local_msat: msat(t.toLocalMsat),
    to_remote_msat: msat(t.toRemoteMsat),
    htlcs: t.htlcs,
    feerate_per_kw: t.feerate,
    dust_limit_satoshis: sat(t.dustLimit),
    to_self_delay: C.params.local_delay,
    funding: s.funding,
    keys: s.keys,
  };
}
