// chain_hash values (BOLT 0 glossary, BOLT 1 init `networks`, BOLT 2 open_channel, BOLT 7): the
// genesis block hash in internal byte order, i.e. the REVERSE of the hex that bitcoin-cli and
// block explorers display. Mainnet's is 6fe28c0a...0000 on the wire, as BOLT 0 states.
import { equalBytes, fromHex, toHex } from '../util/bytes.js';
import { WireError } from './errors.js';

export type Network = 'bitcoin' | 'testnet' | 'testnet4' | 'signet' | 'regtest';

/** Genesis block hashes as displayed (RPC/explorer order). */
export const GENESIS_BLOCK_HASH_DISPLAY: Readonly<Record<Network, string>> = {
  bitcoin: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
  testnet: '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943',
  testnet4: '00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043',
  signet: '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6',
  regtest: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206',
};

export const NETWORKS: readonly Network[] = ['bitcoin', 'testnet', 'testnet4', 'signet', 'regtest'];

const WIRE: ReadonlyMap<Network, string> = new Map(
  NETWORKS.map((n) => [n, toHex(fromHex(GENESIS_BLOCK_HASH_DISPLAY[n]).reverse())]),
);

/** The 32-byte chain_hash of `network` in wire order (a fresh copy). */
export function chainHash(network: Network): Uint8Array {
  const hex = WIRE.get(network);
  if (hex === undefined) throw new WireError('BAD_VALUE', `unknown network ${String(network)}`);
  return fromHex(hex);
}

/** The network whose chain_hash (wire order) is `hash`, if any. */
export function networkForChainHash(hash: Uint8Array): Network | undefined {
  return NETWORKS.find((n) => equalBytes(chainHash(n), hash));
}
