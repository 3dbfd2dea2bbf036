// Segwit addresses (BIP 173 bech32 for v0, BIP 350 bech32m for v1+), for showing the funding
// output to a wallet and for turning a user's payout address into a shutdown scriptpubkey.
import { bech32, bech32m } from '@scure/base';
import type { Bytes } from '../../util/bytes.js';
import { concatBytes } from '../../util/bytes.js';
import { TxError } from '../errors.js';

/** Same names as the chain layer's Network, so its values can be passed straight in. */
export type BitcoinNetwork = 'bitcoin' | 'testnet' | 'testnet4' | 'signet' | 'regtest';

const HRP: Record<BitcoinNetwork, string> = {
  bitcoin: 'bc',
  testnet: 'tb',
  testnet4: 'tb',
  signet: 'tb',
  regtest: 'bcrt',
};

/** The segwit human-readable part of `network`'s addresses (testnet, testnet4 and signet share one). */
export function segwitHrp(network: BitcoinNetwork): string {
  return HRP[network];
}

function checkProgram(version: number, program: Bytes): void {
  if (!Number.isInteger(version) || version < 0 || version > 16) throw new TxError('OUT_OF_RANGE', 'witness version must be 0..16');
  if (program.length < 2 || program.length > 40) throw new TxError('OUT_OF_RANGE', 'witness program must be 2..40 bytes');
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    throw new TxError('OUT_OF_RANGE', 'v0 witness program must be 20 or 32 bytes');
  }
}

export function segwitAddress(network: BitcoinNetwork, version: number, program: Bytes): string {
  checkProgram(version, program);
  const codec = version === 0 ? bech32 : bech32m;
  return codec.encode(HRP[network], [version, ...codec.toWords(program)]);
}

/** The address of a segwit scriptPubKey (OP_n <program>), or a TxError for anything else. */
export function addressFromScriptPubKey(network: BitcoinNetwork, script: Bytes): string {
  const op = script[0];
  const len = script[1];
  if (op === undefined || len === undefined || script.length !== len + 2 || (op !== 0 && (op < 0x51 || op > 0x60))) {
    throw new TxError('UNSUPPORTED', 'not a segwit output script');
  }
  return segwitAddress(network, op === 0 ? 0 : op - 0x50, script.subarray(2));
}

export interface DecodedAddress {
  readonly network: BitcoinNetwork;
  readonly version: number;
  readonly program: Bytes;
  /** OP_version <program>, ready for a TxOut or a shutdown message. */
  readonly scriptPubKey: Bytes;
}

/**
 * Decodes a segwit address. `testnet`, `testnet4` and `signet` share an HRP, so such addresses
 * report `testnet`.
 */
export function decodeSegwitAddress(address: string): DecodedAddress {
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) throw new TxError('MALFORMED', 'mixed-case address');
  const sep = lower.lastIndexOf('1');
  const hrp = lower.slice(0, sep);
  const network = (Object.keys(HRP) as BitcoinNetwork[]).find((n) => HRP[n] === hrp);
  if (sep < 1 || network === undefined) throw new TxError('MALFORMED', 'unknown address prefix');
  let words: number[] | undefined;
  let codec: typeof bech32 = bech32;
  for (const c of [bech32, bech32m]) {
    const d = c.decodeUnsafe(lower, 90);
    if (d) {
      words = d.words;
      codec = c;
      break;
    }
  }
  if (!words || words.length === 0) throw new TxError('MALFORMED', 'invalid bech32 address');
  const version = words[0]!;
  // BIP 350: v0 must use bech32, every later version bech32m.
  if ((version === 0) !== (codec === bech32)) throw new TxError('MALFORMED', 'wrong checksum variant for this witness version');
  const program = codec.fromWordsUnsafe(words.slice(1));
  if (!program) throw new TxError('MALFORMED', 'invalid witness program padding');
  checkProgram(version, program);
  const scriptPubKey = concatBytes(Uint8Array.of(version === 0 ? 0 : 0x50 + version, program.length), program);
  return { network, version, program, scriptPubKey };
}
