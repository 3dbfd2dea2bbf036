// Funding our side of a channel from bitcoind's own wallet: createrawtransaction (the one funding
// output) → fundrawtransaction (inputs, change, our feerate; inputs locked so a concurrent funding
// cannot pick them too) → signrawtransactionwithwallet. The signed transaction is then checked
// here, not taken on trust: it must pay exactly the funding output and spend only segwit inputs,
// or its txid could be malleated before it confirms (BOLT 2 funding_created). The locks last until
// bitcoind restarts: an open that fails after this returned hands the tx back (release).
import type { FundingTx, Network } from './types.js';
import { ChainError } from './types.js';
import { BitcoindRpc, RPC, isRpcError } from './bitcoind-rpc.js';
import { asArray, asCount, asHash, asHex, asObject } from './json.js';
import { formatBtc } from './btc-amount.js';
import { fromHex, toHex } from '../util/bytes.js';
import { addressFromScriptPubKey } from '../channel/bitcoin/address.js';
import { parseTxHex } from '../channel/bitcoin/parse.js';
import { txidHex, txidToHex, type Tx, type TxIn } from '../channel/bitcoin/tx.js';

export async function fundFromBitcoindWallet(
  rpc: BitcoindRpc,
  network: Network,
  scriptPubKeyHex: string,
  amountSat: bigint,
  feeratePerKw: number,
): Promise<FundingTx> {
  if (amountSat <= 0n) throw new ChainError('BAD_SPEC', 'funding amount must be positive');
  if (!Number.isFinite(feeratePerKw) || feeratePerKw <= 0) throw new ChainError('BAD_SPEC', 'funding feerate must be positive');
  let address: string;
  try {
    address = addressFromScriptPubKey(network, fromHex(scriptPubKeyHex));
  } catch {
    throw new ChainError('BAD_SPEC', 'the funding script is not a segwit output script');
  }
  // fee_rate is sat/vB with up to 3 decimals: a whole sat/kw divided by 250 always fits.
  const satPerVbyte = Math.max(1, feeratePerKw / 250);
  const raw = asHex(await rpc.call('createrawtransaction', [[], [{ [address]: formatBtc(amountSat) }]]), 'bitcoind createrawtransaction');
  let fundedHex: string;
  try {
    const funded = asObject(
      await rpc.call('fundrawtransaction', [raw, { fee_rate: satPerVbyte, changePosition: 1, lockUnspents: true }]),
      'bitcoind fundrawtransaction',
    );
    fundedHex = asHex(funded.hex, 'bitcoind fundrawtransaction hex');
  } catch (e) {
    throw explainFundingError(e, amountSat, satPerVbyte);
  }
  const funded = parseReply(fundedHex, 'bitcoind fundrawtransaction');
  try {
    const signed = asObject(await rpc.call('signrawtransactionwithwallet', [fundedHex]), 'bitcoind signrawtransactionwithwallet');
    if (signed.complete !== true) {
      const errors = Array.isArray(signed.errors) ? signed.errors : [];
      const first = errors.length > 0 ? asObject(errors[0], 'bitcoind signrawtransactionwithwallet errors').error : undefined;
      throw new ChainError('RPC', `bitcoind wallet could not sign the funding transaction${typeof first === 'string' ? `: ${first.slice(0, 200)}` : ''}`);
    }
    const txHex = asHex(signed.hex, 'bitcoind signrawtransactionwithwallet hex');
    const tx = parseReply(txHex, 'bitcoind signrawtransactionwithwallet');
    return { txHex, txid: txidHex(tx), outputIndex: checkFunding(tx, funded, scriptPubKeyHex, amountSat) };
  } catch (e) {
    throw await unlockAfter(rpc, funded, e);
  }
}

function explainFundingError(e: unknown, amountSat: bigint, satPerVbyte: number): unknown {
  if (!(e instanceof ChainError)) return e;
  if (isRpcError(e, RPC.WALLET_INSUFFICIENT_FUNDS) || (isRpcError(e, RPC.WALLET_ERROR) && /insufficient funds/i.test(e.message))) {
    return new ChainError('INSUFFICIENT_FUNDS', `bitcoind wallet cannot afford ${amountSat} sat plus fees at ${satPerVbyte} sat/vB (${e.message})`, {
      ...(e.rpcCode !== undefined ? { rpcCode: e.rpcCode } : {}),
    });
  }
  if (isRpcError(e, RPC.WALLET_NOT_FOUND, RPC.WALLET_NOT_SPECIFIED, RPC.METHOD_NOT_FOUND)) {
    return new ChainError('RPC', `bitcoind has no usable wallet for funding (load one, or name it in the URL as /wallet/NAME): ${e.message}`, {
      ...(e.rpcCode !== undefined ? { rpcCode: e.rpcCode } : {}),
    });
  }
  return e;
}

function parseReply(hex: string, what: string): Tx {
  try {
    return parseTxHex(hex);
  } catch (e) {
    throw new ChainError('BAD_RESPONSE', `${what}: not a transaction (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Native segwit (empty scriptSig) or P2SH-wrapped v0 (scriptSig is one push of the program). */
function isSegwitInput(i: TxIn): boolean {
  if (i.witness.length === 0) return false;
  const s = i.scriptSig;
  if (s.length === 0) return true;
  return (s.length === 23 && s[0] === 22 && s[1] === 0 && s[2] === 20) || (s.length === 35 && s[0] === 34 && s[1] === 0 && s[2] === 32);
}

function checkFunding(tx: Tx, funded: Tx, scriptPubKeyHex: string, amountSat: bigint): number {
  const spk = scriptPubKeyHex.toLowerCase();
  const matches = tx.outputs.flatMap((o, n) => (toHex(o.scriptPubKey) === spk && o.value === amountSat ? [n] : []));
  if (matches.length !== 1) throw new ChainError('BAD_RESPONSE', 'the signed transaction does not pay the funding output exactly once');
  const same = (a: readonly TxIn[], b: readonly TxIn[]) =>
    a.length === b.length && a.every((x, k) => toHex(x.prevout.txid) === toHex(b[k]!.prevout.txid) && x.prevout.vout === b[k]!.prevout.vout);
  if (!same(tx.inputs, funded.inputs)) throw new ChainError('BAD_RESPONSE', 'bitcoind signed different inputs than it funded with');
  if (tx.inputs.length === 0 || !tx.inputs.every(isSegwitInput)) {
    throw new ChainError('UNSUPPORTED', 'bitcoind wallet funded the channel with non-segwit coins: a funding transaction must spend only segwit outputs');
  }
  return matches[0]!;
}

/** Releases the inputs fundrawtransaction locked, so a failed funding does not strand them. */
async function unlockAfter(rpc: BitcoindRpc, funded: Tx, cause: unknown): Promise<unknown> {
  const outpoints = funded.inputs.map((i) => ({ txid: txidToHex(i.prevout.txid), vout: i.prevout.vout }));
  if (outpoints.length === 0) return cause;
  try {
    await rpc.call('lockunspent', [true, outpoints]);
    return cause;
  } catch (e) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    const code = cause instanceof ChainError ? cause.code : 'RPC';
    return new ChainError(code, `${msg} (and unlocking its inputs failed, they stay locked until bitcoind restarts: ${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Unlocks the inputs of a funding tx we built and will never broadcast. Only the outpoints bitcoind
 * still lists as locked are named: lockunspent refuses the whole call (-8) if one is not locked
 * (bitcoind restarted, or the coin was spent since), and those need nothing.
 */
export async function releaseFundingInputs(rpc: BitcoindRpc, txHex: string): Promise<void> {
  let tx: Tx;
  try {
    tx = parseTxHex(txHex);
  } catch (e) {
    throw new ChainError('BAD_SPEC', `not a funding transaction: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ours = new Set(tx.inputs.map((i) => `${txidToHex(i.prevout.txid)}:${i.prevout.vout}`));
  const what = 'bitcoind listlockunspent';
  const locked = asArray(await rpc.call('listlockunspent'), what).map((x) => {
    const o = asObject(x, what);
    return { txid: asHash(o.txid, `${what} txid`), vout: asCount(o.vout, `${what} vout`) };
  });
  const release = locked.filter((o) => ours.has(`${o.txid}:${o.vout}`));
  if (release.length > 0) await rpc.call('lockunspent', [true, release]);
}
