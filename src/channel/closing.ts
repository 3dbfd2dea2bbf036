// The mutual-close transaction (BOLT 3 "Closing Transaction", negotiated with closing_signed):
// both final balances to the scripts from the shutdown messages, the funder paying the fee,
// outputs below the signer's dust limit dropped, BIP 69 order.
import type { Bytes } from '../util/bytes.js';
import { compareBytes } from '../util/bytes.js';
import type { Msat, Sat } from '../types.js';
import { msatToSat } from '../types.js';
import type { Tx } from './bitcoin/tx.js';
import { SEQUENCE_FINAL, txid as computeTxid, withWitness } from './bitcoin/tx.js';
import { SIGHASH_ALL, segwitV0Sighash } from './bitcoin/sighash.js';
import { signCompact, verifyCompact } from '../crypto/secp256k1.js';
import type { FundingInfo } from './funding.js';
import { fundingOutput } from './funding.js';
import { fundingSpendWitness } from './signatures.js';
import { ChannelError } from './errors.js';

/** "local" is the party building and signing this variant of the closing tx. */
export interface ClosingSpec {
  readonly funding: FundingInfo;
  readonly local_is_funder: boolean;
  /** Final balances (no HTLCs remain at closing). */
  readonly to_local_msat: Msat;
  readonly to_remote_msat: Msat;
  /** scriptpubkeys from the two shutdown messages. */
  readonly local_scriptpubkey: Bytes;
  readonly remote_scriptpubkey: Bytes;
  /** fee_satoshis from closing_signed, paid by the funder. */
  readonly fee_satoshis: Sat;
  /** The signer's own dust_limit_satoshis. */
  readonly dust_limit_satoshis: Sat;
  /** The spec lets a signer leave out its own output (e.g. when it is uneconomical). */
  readonly omit_local_output?: boolean;
}

export interface ClosingTx {
  readonly spec: ClosingSpec;
  readonly tx: Tx;
  readonly txid: Bytes;
  /** Output indexes of each side, absent when that output was dropped. */
  readonly local_output_index?: number;
  readonly remote_output_index?: number;
  readonly funding_witness_script: Bytes;
}

export function buildClosingTx(spec: ClosingSpec): ClosingTx {
  const { funding } = spec;
  if (spec.to_local_msat < 0n || spec.to_remote_msat < 0n || spec.fee_satoshis < 0n) throw new ChannelError('BAD_SPEC', 'negative amount');
  if (spec.to_local_msat + spec.to_remote_msat !== funding.amount_sat * 1000n) {
    throw new ChannelError('BAD_SPEC', 'closing balances do not add up to the funding amount');
  }
  const fee = spec.fee_satoshis * 1000n;
  const funderMsat = spec.local_is_funder ? spec.to_local_msat : spec.to_remote_msat;
  if (fee > funderMsat) throw new ChannelError('BAD_SPEC', 'the funder cannot pay this closing fee');
  const localSat = msatToSat((spec.local_is_funder ? spec.to_local_msat - fee : spec.to_local_msat) as Msat);
  const remoteSat = msatToSat((spec.local_is_funder ? spec.to_remote_msat : spec.to_remote_msat - fee) as Msat);

  const candidates: { side: 'local' | 'remote'; value: Sat; scriptPubKey: Bytes }[] = [];
  if (!spec.omit_local_output && localSat > 0n && localSat >= spec.dust_limit_satoshis) {
    candidates.push({ side: 'local', value: localSat, scriptPubKey: spec.local_scriptpubkey });
  }
  if (remoteSat > 0n && remoteSat >= spec.dust_limit_satoshis) candidates.push({ side: 'remote', value: remoteSat, scriptPubKey: spec.remote_scriptpubkey });
  candidates.sort((a, b) => (a.value !== b.value ? (a.value < b.value ? -1 : 1) : compareBytes(a.scriptPubKey, b.scriptPubKey)));

  const tx: Tx = {
    version: 2,
    inputs: [
      {
        prevout: { txid: funding.txid, vout: funding.output_index },
        scriptSig: new Uint8Array(0),
        sequence: SEQUENCE_FINAL,
        witness: [],
      },
    ],
    outputs: candidates.map((c) => ({ value: c.value, scriptPubKey: c.scriptPubKey })),
    locktime: 0,
  };
  const localIndex = candidates.findIndex((c) => c.side === 'local');
  const remoteIndex = candidates.findIndex((c) => c.side === 'remote');
  return {
    spec,
    tx,
    txid: computeTxid(tx),
    ...(localIndex >= 0 ? { local_output_index: localIndex } : {}),
    ...(remoteIndex >= 0 ? { remote_output_index: remoteIndex } : {}),
    funding_witness_script: fundingOutput(funding.local_funding_pubkey, funding.remote_funding_pubkey).witness_script,
  };
}

export function closingSighash(c: ClosingTx): Bytes {
  return segwitV0Sighash(c.tx, 0, c.funding_witness_script, c.spec.funding.amount_sat, SIGHASH_ALL);
}

export function signClosingTx(c: ClosingTx, fundingPrivkey: Bytes): Bytes {
  return signCompact(closingSighash(c), fundingPrivkey);
}

/** False for a signature that is not 64 bytes or does not verify. */
export function verifyClosingSig(c: ClosingTx, signature: Bytes, fundingPubkey: Bytes): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  return verifyCompact(signature, closingSighash(c), fundingPubkey);
}

export function signedClosingTx(c: ClosingTx, sigs: { readonly local: Bytes; readonly remote: Bytes }): Tx {
  const f = c.spec.funding;
  return withWitness(c.tx, 0, fundingSpendWitness(c.funding_witness_script, f.local_funding_pubkey, f.remote_funding_pubkey, sigs));
}
