import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { ByteWriter, fromHex, toHex } from '../../../src/util/bytes.js';
import {
  GENESIS_BLOCK_HASH_DISPLAY,
  NETWORKS,
  type Network,
  chainHash,
  networkForChainHash,
} from '../../../src/wire/chains.js';

// Genesis block headers, from which the hashes are recomputed here rather than trusted.
const GENESIS: Record<Network, { merkle: string; time: number; bits: number; nonce: number }> = {
  bitcoin: { merkle: '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b', time: 1231006505, bits: 0x1d00ffff, nonce: 2083236893 },
  testnet: { merkle: '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b', time: 1296688602, bits: 0x1d00ffff, nonce: 414098458 },
  testnet4: { merkle: '7aa0a7ae1e223414cb807e40cd57e667b718e42aaf9306db9102fe28912b7b4e', time: 1714777860, bits: 0x1d00ffff, nonce: 393743547 },
  signet: { merkle: '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b', time: 1598918400, bits: 0x1e0377ae, nonce: 52613770 },
  regtest: { merkle: '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b', time: 1296688602, bits: 0x207fffff, nonce: 2 },
};

function le32(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}

/** sha256d of the 80-byte header: the block hash in internal (wire) byte order. */
function genesisHash(n: Network): Uint8Array {
  const g = GENESIS[n];
  const header = new ByteWriter()
    .bytes(le32(1))
    .bytes(new Uint8Array(32))
    .bytes(fromHex(g.merkle).reverse())
    .bytes(le32(g.time))
    .bytes(le32(g.bits))
    .bytes(le32(g.nonce))
    .finish();
  return sha256(sha256(header));
}

describe('chain hashes', () => {
  for (const n of NETWORKS) {
    it(`${n}: chain_hash is the genesis hash in internal byte order`, () => {
      const wire = genesisHash(n);
      expect(toHex(chainHash(n))).toBe(toHex(wire));
      expect(toHex(wire.slice().reverse())).toBe(GENESIS_BLOCK_HASH_DISPLAY[n]);
      expect(networkForChainHash(wire)).toBe(n);
    });
  }

  it("matches BOLT 0's mainnet value and the display/wire relation for regtest", () => {
    expect(toHex(chainHash('bitcoin'))).toBe('6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000');
    expect(toHex(chainHash('regtest'))).toBe('06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f');
  });

  it('does not recognise display-order hashes or other bytes', () => {
    expect(networkForChainHash(fromHex(GENESIS_BLOCK_HASH_DISPLAY.regtest))).toBeUndefined();
    expect(networkForChainHash(new Uint8Array(32))).toBeUndefined();
    expect(networkForChainHash(new Uint8Array(0))).toBeUndefined();
  });

  it('returns a fresh copy each time', () => {
    const a = chainHash('signet');
    a.fill(0);
    expect(networkForChainHash(chainHash('signet'))).toBe('signet');
  });
});
