// `f` fields: on-chain fallback addresses. Version 17 = P2PKH, 18 = P2SH (20-byte hashes),
// 0..16 = segwit witness version with its program. Readers skip unknown versions.
import { base58check, bech32, bech32m } from '@scure/base';
import { sha256 } from '../crypto/secp256k1.js';
import { concatBytes, toHex } from '../util/bytes.js';
import type { NetworkInfo } from './networks.js';

export type FallbackType = 'P2PKH' | 'P2SH' | 'P2WPKH' | 'P2WSH' | 'P2TR' | 'WITNESS';

export interface Fallback {
  /** The f field's version: 17, 18, or the witness version 0..16. */
  version: number;
  /** Hash (P2PKH/P2SH) or witness program. */
  data: Uint8Array;
  type: FallbackType;
  /** The address for the invoice's network. */
  address: string;
  /** scriptPubKey hex (Core Lightning's `hex`). */
  script: string;
}

const b58 = base58check((b: Uint8Array) => sha256(b));

/** Validates an f field; returns undefined for versions/lengths a reader must skip. */
export function fallbackFromField(version: number, data: Uint8Array, net: NetworkInfo): Fallback | undefined {
  if (version === 17 || version === 18) {
    if (data.length !== 20) return undefined;
    const p2pkh = version === 17;
    return {
      version,
      data,
      type: p2pkh ? 'P2PKH' : 'P2SH',
      address: b58.encode(concatBytes(new Uint8Array([p2pkh ? net.p2pkh : net.p2sh]), data)),
      script: p2pkh ? `76a914${toHex(data)}88ac` : `a914${toHex(data)}87`,
    };
  }
  if (version > 16) return undefined;
  // BIP 141/350 program lengths.
  if (data.length < 2 || data.length > 40) return undefined;
  if (version === 0 && data.length !== 20 && data.length !== 32) return undefined;
  const type: FallbackType = version === 0 ? (data.length === 20 ? 'P2WPKH' : 'P2WSH') : version === 1 && data.length === 32 ? 'P2TR' : 'WITNESS';
  const words = [version, ...bech32.toWords(data)];
  const address = version === 0 ? bech32.encode(net.segwitHrp, words, false) : bech32m.encode(net.segwitHrp, words, false);
  const opcode = version === 0 ? '00' : (0x50 + version).toString(16);
  return { version, data, type, address, script: `${opcode}${data.length.toString(16).padStart(2, '0')}${toHex(data)}` };
}

/** Parses an address of the given network into an f field; undefined when it is not one. */
export function fallbackFromAddress(address: string, net: NetworkInfo): Fallback | undefined {
  try {
    const lower = address.toLowerCase();
    if (lower.startsWith(`${net.segwitHrp}1`)) {
      const isV0 = lower[net.segwitHrp.length + 1] === 'q';
      const dec = (isV0 ? bech32 : bech32m).decode(lower as `${string}1${string}`, false);
      if (dec.prefix !== net.segwitHrp || dec.words.length === 0) return undefined;
      const version = dec.words[0]!;
      const f = fallbackFromField(version, (isV0 ? bech32 : bech32m).fromWords(dec.words.slice(1)), net);
      return f?.address === lower ? f : undefined;
    }
    const raw = b58.decode(address);
    if (raw.length !== 21) return undefined;
    if (raw[0] === net.p2pkh) return fallbackFromField(17, raw.slice(1), net);
    if (raw[0] === net.p2sh) return fallbackFromField(18, raw.slice(1), net);
    return undefined;
  } catch {
    // Not an address of this network: the caller reports it as a bad argument.
    return undefined;
  }
}
