// The funding output (2-of-2 P2WSH), channel_id, and funding transactions: one built from real
// inputs (BOLT 3 Appendix B) and a synthetic one for the static regtest chain used by tests and
// the demo, where nothing checks that the input exists.
import type { Bytes } from '../util/bytes.js';
import { concatBytes, utf8 } from '../util/bytes.js';
import type { Sat } from '../types.js';
import { sha256 } from '../crypto/secp256k1.js';
import { p2wsh } from './bitcoin/script.js';
import { addressFromScriptPubKey } from './bitcoin/address.js';
import type { BitcoinNetwork } from './bitcoin/address.js';
import { SEQUENCE_FINAL } from './bitcoin/tx.js';
import type { Outpoint, Tx, TxOut } from './bitcoin/tx.js';
import { fundingWitnessScript } from './scripts.js';
import { ChannelError } from './errors.js';

/**
 * The funding output a commitment or closing tx spends. `local`/`remote` are relative to the
 * party the transaction is built for (the commitment holder, or the closing signer).
 */
export interface FundingInfo {
  /** funding_txid, internal byte order (as in funding_created). */
  readonly txid: Bytes;
  readonly output_index: number;
  readonly amount_sat: Sat;
  readonly local_funding_pubkey: Bytes;
  readonly remote_funding_pubkey: Bytes;
}

export interface FundingOutput {
  readonly witness_script: Bytes;
  readonly script_pubkey: Bytes;
}

export function fundingOutput(pubkeyA: Bytes, pubkeyB: Bytes): FundingOutput {
  const witness_script = fundingWitnessScript(pubkeyA, pubkeyB);
  return { witness_script, script_pubkey: p2wsh(witness_script) };
}

export function fundingAddress(network: BitcoinNetwork, pubkeyA: Bytes, pubkeyB: Bytes): string {
  return addressFromScriptPubKey(network, fundingOutput(pubkeyA, pubkeyB).script_pubkey);
}

/** BOLT 2 channel_id: funding_txid with its last two bytes XORed with the big-endian output index. */
export function channelIdFromFunding(fundingTxid: Bytes, outputIndex: number): Bytes {
  if (!(fundingTxid instanceof Uint8Array) || fundingTxid.length !== 32) throw new ChannelError('BAD_KEY', 'funding_txid must be 32 bytes');
  if (!Number.isInteger(outputIndex) || outputIndex < 0 || outputIndex > 0xffff) {
    throw new ChannelError('BAD_SPEC', 'funding_output_index must be a u16');
  }
  const id = fundingTxid.slice();
  id[30]! ^= outputIndex >>> 8;
  id[31]! ^= outputIndex & 0xff;
  return id;
}

export interface FundingTxInput {
  readonly prevout: Outpoint;
  readonly sequence?: number;
}

export interface FundingTxParams {
  readonly inputs: readonly FundingTxInput[];
  readonly funding_satoshis: Sat;
  readonly local_funding_pubkey: Bytes;
  readonly remote_funding_pubkey: Bytes;
  /** Optional change output, placed after the funding output. */
  readonly change?: TxOut;
  readonly locktime?: number;
}

/**
 * An unsigned funding transaction with the funding output at index 0 (funding_output_index 0).
 * The caller's wallet signs the inputs.
 */
export function buildFundingTx(p: FundingTxParams): Tx {
  if (p.inputs.length === 0) throw new ChannelError('BAD_SPEC', 'a funding tx needs at least one input');
  if (p.funding_satoshis <= 0n) throw new ChannelError('BAD_SPEC', 'funding_satoshis must be positive');
  const funding = fundingOutput(p.local_funding_pubkey, p.remote_funding_pubkey);
  const outputs: TxOut[] = [{ value: p.funding_satoshis, scriptPubKey: funding.script_pubkey }];
  if (p.change) outputs.push(p.change);
  return {
    version: 2,
    inputs: p.inputs.map((i) => ({ prevout: i.prevout, scriptSig: new Uint8Array(0), sequence: i.sequence ?? SEQUENCE_FINAL, witness: [] })),
    outputs,
    locktime: p.locktime ?? 0,
  };
}

/**
 * A funding transaction for a chain that does not validate inputs (the static regtest chain): its
 * single input spends a made-up outpoint derived from `salt`, so distinct salts give distinct,
 * reproducible txids. Output 0 is the 2-of-2 funding output. Never broadcast this to a real chain.
 */
export function syntheticFundingTx(p: {
  readonly funding_satoshis: Sat;
  readonly local_funding_pubkey: Bytes;
  readonly remote_funding_pubkey: Bytes;
  readonly salt: Bytes;
}): Tx {
  const prevTxid = sha256(concatBytes(utf8('lightning-worker/synthetic-funding-input'), p.salt));
  return buildFundingTx({
    inputs: [{ prevout: { txid: prevTxid, vout: 0 } }],
    funding_satoshis: p.funding_satoshis,
    local_funding_pubkey: p.local_funding_pubkey,
    remote_funding_pubkey: p.remote_funding_pubkey,
  });
}
