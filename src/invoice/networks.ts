// BOLT 11 currency prefixes and, per network, what fallback addresses look like.
import type { Network as Chain } from '../wire/chains.js';
export type Network = 'bitcoin' | 'testnet' | 'signet' | 'regtest' | 'simnet';

export interface NetworkInfo {
  network: Network;
  /** BOLT 11 currency prefix (after "ln"): Core Lightning's `currency`. */
  prefix: string;
  /** Base58 version bytes of P2PKH / P2SH addresses. */
  p2pkh: number;
  p2sh: number;
  /** Segwit address human-readable part. */
  segwitHrp: string;
}

export const NETWORKS: readonly NetworkInfo[] = [
  { network: 'bitcoin', prefix: 'bc', p2pkh: 0x00, p2sh: 0x05, segwitHrp: 'bc' },
  { network: 'testnet', prefix: 'tb', p2pkh: 0x6f, p2sh: 0xc4, segwitHrp: 'tb' },
  { network: 'signet', prefix: 'tbs', p2pkh: 0x6f, p2sh: 0xc4, segwitHrp: 'tb' },
  { network: 'regtest', prefix: 'bcrt', p2pkh: 0x6f, p2sh: 0xc4, segwitHrp: 'bcrt' },
  { network: 'simnet', prefix: 'sb', p2pkh: 0x3f, p2sh: 0x7b, segwitHrp: 'sb' },
];

export function networkInfo(n: Network): NetworkInfo {
  return NETWORKS.find((x) => x.network === n)!;
}

/** Splits "lnbcrt2500u" into network info and the amount part; longest prefix wins. */
export function splitHrp(hrp: string): { info: NetworkInfo; amount: string } | undefined {
  if (!hrp.startsWith('ln')) return undefined;
  const rest = hrp.slice(2);
  let best: NetworkInfo | undefined;
  for (const n of NETWORKS) {
    if (rest.startsWith(n.prefix) && (best === undefined || n.prefix.length > best.prefix.length)) {
      // "lnbcrt…" must not be read as bitcoin with amount "rt…", nor "lntbs…" as testnet.
      best = n;
    }
  }
  if (best === undefined) return undefined;
  return { info: best, amount: rest.slice(best.prefix.length) };
}

/** The BOLT 11 network of a node on `chain`: BOLT 11 has no testnet4 prefix, its invoices use testnet's "tb". */
export function invoiceNetwork(chain: Chain): Network {
  return chain === 'testnet4' ? 'testnet' : chain;
}

/** The currency prefix of the invoices a node on `chain` pays and issues. */
export function bolt11PrefixForChain(chain: Chain): string {
  return networkInfo(invoiceNetwork(chain)).prefix;
}
