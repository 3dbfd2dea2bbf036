// The Bitcoin layer under BOLT 3: serialization round trips, strict parsing of hostile bytes,
// BIP 143 sighashes (the BIP's own examples), script numbers and pushes, and segwit addresses.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { isLightningError } from '../../../src/errors.js';
import { sat } from '../../../src/types.js';
import { derToCompact } from '../../../src/crypto/secp256k1.js';
import { verifyCompact } from '../../../src/crypto/secp256k1.js';
import {
  SIGHASH_ALL,
  SIGHASH_NONE,
  SIGHASH_SINGLE,
  SIGHASH_SINGLE_ANYONECANPAY,
  TxError,
  addressFromScriptPubKey,
  compileScript,
  decodeSegwitAddress,
  legacySighash,
  p2pkh,
  parseTx,
  parseTxHex,
  pushData,
  pushNumber,
  scriptNum,
  segwitAddress,
  segwitV0Sighash,
  serializeTx,
  txid,
  txidFromHex,
  txidHex,
  txidToHex,
  txWeight,
  wtxid,
} from '../../../src/channel/index.js';
import { C, V } from './bolt3-fixture.js';

// BIP 143 "Example" section (test data).
const BIP143 = {
  p2wpkh: {
    unsigned:
      '0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000',
    pubkey: '025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357',
    amount: 600_000_000,
    sighash: 'c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670',
    signature:
      '304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee',
    signed:
      '01000000000102fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f00000000494830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac000247304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee0121025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee635711000000',
  },
  singleOutOfRange: {
    unsigned:
      '0100000002fe3dc9208094f3ffd12645477b3dc56f60ec4fa8e6f5d67c565d1c6b9216b36e0000000000ffffffff0815cf020f013ed6cf91d29f4202e8a58726b1ac6c79da47c23d1bee0a6925f80000000000ffffffff0100f2052a010000001976a914a30741f8145e5acadf23f751864167f32e0963f788ac00000000',
    scriptCode: '21026dccc749adc2a9d0d89497ac511f760f45c47dc5ed9cf352a58ac706453880aeadab210255a9626aebf5e29c0e6538428ba0d1dcf6ca98ffdf086aa8ced5e0d0215ea465ac',
    amount: 4_900_000_000,
    sighash: '82dde6e4f1e94d02c2b7ad03d2115d691f48d064e9d52f58194a6637e4194391',
  },
  singleAnyoneCanPay: {
    unsigned:
      '0100000002e9b542c5176808107ff1df906f46bb1f2583b16112b95ee5380665ba7fcfc0010000000000ffffffff80e68831516392fcd100d186b3c2c7b95c80b53c77e77c35ba03a66b429a2a1b0000000000ffffffff0280969800000000001976a914de4b231626ef508c9a74a8517e6783c0546d6b2888ac80969800000000001976a9146648a8cd4531e1ec47f35916de8e259237294d1e88ac00000000',
    amount: 16_777_215,
    inputs: [
      { scriptCode: '0063ab68210392972e2eb617b2388771abe27235fd5ac44af8e61693261550447a4c3e39da98ac', sighash: 'e9071e75e25b8a1e298a72f0d2e9f4f95a0f5cdf86a533cda597eb402ed13b3a' },
      { scriptCode: '68210392972e2eb617b2388771abe27235fd5ac44af8e61693261550447a4c3e39da98ac', sighash: 'cd72f1f1a433ee9df816857fad88d8ebd97e09a75cd481583eb841c330275e54' },
    ],
  },
  sixOfSix: {
    unsigned:
      '010000000136641869ca081e70f394c6948e8af409e18b619df2ed74aa106c1ca29787b96e0100000000ffffffff0200e9a435000000001976a914389ffce9cd9ae88dcc0631e88a821ffdbe9bfe2688acc0832f05000000001976a9147480a33f950689af511e6e84c138dbbd3c3ee41588ac00000000',
    scriptCode:
      '56210307b8ae49ac90a048e9b53357a2354b3334e9c8bee813ecb98e99a7e07e8c3ba32103b28f0c28bfab54554ae8c658ac5c3e0ce6e79ad336331f78c428dd43eea8449b21034b8113d703413d57761b8b9781957b8c0ac1dfe69f492580ca4195f50376ba4a21033400f6afecb833092a9a21cfdf1ed1376e58c5d1f47de74683123987e967a8f42103a6d48b1131e94ba04d9737d61acdaa1322008af9602b3b14862c07a1789aac162102d8b661b0b3302ee2f162b09e07a55ad5dfbe673a9f01d9f0c19617681024306b56ae',
    amount: 987_654_321,
    sighashes: [
      [SIGHASH_ALL, '185c0be5263dce5b4bb50a047973c1b6272bfbd0103a89444597dc40b248ee7c'],
      [SIGHASH_NONE, 'e9733bc60ea13c95c6527066bb975a2ff29a925e80aa14c213f686cbae5d2f36'],
    ] as [number, string][],
  },
};

function allVectorTxs(): string[] {
  const out = [V.appendix_b_funding_tx.funding_tx, V.appendix_b_funding_tx.block1_coinbase_tx, BIP143.p2wpkh.signed, BIP143.p2wpkh.unsigned];
  for (const t of C.tests) out.push(t.commit_tx, ...(t.htlc_txs ?? []).map((h) => h.tx));
  for (const t of V.appendix_f_commitment_anchors.tests) out.push(t.ExpectedCommitmentTxHex, ...t.HtlcDescs.map((h) => h.ResolutionTxHex));
  return out;
}

describe('transaction serialization', () => {
  it('round-trips every BOLT 3 and BIP 143 transaction byte for byte', () => {
    const txs = allVectorTxs();
    expect(txs.length).toBe(4 + 16 + 33 + 9 + 15);
    for (const hex of txs) expect(toHex(serializeTx(parseTxHex(hex)))).toBe(hex);
  });

  it('computes txid without and wtxid with the witness', () => {
    const tx = parseTxHex(BIP143.p2wpkh.signed);
    const stripped = { ...tx, inputs: tx.inputs.map((i) => ({ ...i, witness: [] })) };
    expect(toHex(txid(tx))).toBe(toHex(txid(stripped)));
    expect(toHex(wtxid(stripped))).toBe(toHex(txid(stripped)));
    expect(toHex(wtxid(tx))).not.toBe(toHex(txid(tx)));
    const legacy = parseTxHex(V.appendix_b_funding_tx.funding_tx);
    expect(toHex(wtxid(legacy))).toBe(toHex(txid(legacy)));
    expect(txidHex(legacy)).toBe(V.appendix_b_funding_tx.funding_txid);
    expect(toHex(txidFromHex(txidToHex(txid(legacy))))).toBe(toHex(txid(legacy)));
  });

  it('weighs witness bytes at 1 and the rest at 4', () => {
    const signed = parseTxHex(BIP143.p2wpkh.signed);
    const stripped = serializeTx(signed, { witness: false }).length;
    const total = fromHex(BIP143.p2wpkh.signed).length;
    expect(txWeight(signed)).toBe(3 * stripped + total);
    expect(txWeight(parseTxHex(BIP143.p2wpkh.unsigned))).toBe(4 * fromHex(BIP143.p2wpkh.unsigned).length);
  });
});

describe('strict parsing of untrusted bytes', () => {
  const good = fromHex(C.tests[1]!.commit_tx);

  function codeOf(bytes: Uint8Array): string | undefined {
    try {
      parseTx(bytes);
      return undefined;
    } catch (e) {
      expect(isLightningError(e)).toBe(true);
      return (e as TxError).code;
    }
  }

  it('rejects every truncation with a TxError', () => {
    for (let n = 0; n < good.length; n++) expect(codeOf(good.subarray(0, n))).toMatch(/^(TRUNCATED|MALFORMED)$/);
  });

  it('rejects trailing bytes, a bad segwit flag, and witness markers without witness', () => {
    expect(codeOf(Uint8Array.of(...good, 0))).toBe('MALFORMED');
    const badFlag = good.slice();
    badFlag[5] = 2;
    expect(codeOf(badFlag)).toBe('MALFORMED');
    const noWitness = parseTxHex(BIP143.p2wpkh.unsigned);
    const raw = serializeTx(noWitness);
    const fake = Uint8Array.of(...raw.subarray(0, 4), 0, 1, ...raw.subarray(4, raw.length - 4), 0, 0, ...raw.subarray(raw.length - 4));
    expect(codeOf(fake)).toBe('MALFORMED');
  });

  it('rejects non-minimal CompactSize and counts larger than the data', () => {
    const tx = fromHex(BIP143.p2wpkh.unsigned);
    // Input count 2 written as 0xfd 0x0002.
    const nonMinimal = Uint8Array.of(...tx.subarray(0, 4), 0xfd, 0x02, 0x00, ...tx.subarray(5));
    expect(codeOf(nonMinimal)).toBe('MALFORMED');
    const huge = Uint8Array.of(...tx.subarray(0, 4), 0xfe, 0xff, 0xff, 0xff, 0x7f, ...tx.subarray(5));
    expect(codeOf(huge)).toBe('TRUNCATED');
    const u64 = Uint8Array.of(...tx.subarray(0, 4), 0xff, 0, 0, 0, 0, 1, 0, 0, 0, ...tx.subarray(5));
    expect(codeOf(u64)).toBe('OUT_OF_RANGE');
  });

  it('rejects amounts above 21 million BTC', () => {
    const t = parseTxHex(BIP143.p2wpkh.unsigned);
    const raw = serializeTx({ ...t, outputs: [{ ...t.outputs[0]!, value: sat(2_100_000_000_000_001n) }] });
    expect(codeOf(raw)).toBe('OUT_OF_RANGE');
  });

  it('never throws anything but TxError on mutated input', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    for (let i = 0; i < 3000; i++) {
      const b = good.slice();
      const flips = 1 + (rand() % 4);
      for (let j = 0; j < flips; j++) b[rand() % b.length] = rand() & 0xff;
      const code = codeOf(b.subarray(0, b.length - (rand() % 3)));
      if (code !== undefined) expect(['TRUNCATED', 'MALFORMED', 'OUT_OF_RANGE']).toContain(code);
    }
    expect(() => parseTxHex('zz')).toThrow(TxError);
  });
});

describe('BIP 143 sighash examples', () => {
  it('native P2WPKH, SIGHASH_ALL (and the example signature verifies)', () => {
    const tx = parseTxHex(BIP143.p2wpkh.unsigned);
    const h = segwitV0Sighash(tx, 1, p2pkh(fromHex(BIP143.p2wpkh.pubkey)), sat(BIP143.p2wpkh.amount), SIGHASH_ALL);
    expect(toHex(h)).toBe(BIP143.p2wpkh.sighash);
    expect(verifyCompact(derToCompact(fromHex(BIP143.p2wpkh.signature)), h, fromHex(BIP143.p2wpkh.pubkey))).toBe(true);
  });

  it('SIGHASH_SINGLE for an input without a matching output hashes no outputs', () => {
    const tx = parseTxHex(BIP143.singleOutOfRange.unsigned);
    const h = segwitV0Sighash(tx, 1, fromHex(BIP143.singleOutOfRange.scriptCode), sat(BIP143.singleOutOfRange.amount), SIGHASH_SINGLE);
    expect(toHex(h)).toBe(BIP143.singleOutOfRange.sighash);
  });

  it('SIGHASH_SINGLE|ANYONECANPAY (the mode anchor HTLC signatures use)', () => {
    const tx = parseTxHex(BIP143.singleAnyoneCanPay.unsigned);
    BIP143.singleAnyoneCanPay.inputs.forEach((inp, i) => {
      const h = segwitV0Sighash(tx, i, fromHex(inp.scriptCode), sat(BIP143.singleAnyoneCanPay.amount), SIGHASH_SINGLE_ANYONECANPAY);
      expect(toHex(h)).toBe(inp.sighash);
    });
  });

  it('SIGHASH_ALL and SIGHASH_NONE on the 6-of-6 example', () => {
    const tx = parseTxHex(BIP143.sixOfSix.unsigned);
    for (const [type, expected] of BIP143.sixOfSix.sighashes) {
      expect(toHex(segwitV0Sighash(tx, 0, fromHex(BIP143.sixOfSix.scriptCode), sat(BIP143.sixOfSix.amount), type))).toBe(expected);
    }
  });

  it('refuses unknown sighash types and missing inputs', () => {
    const tx = parseTxHex(BIP143.p2wpkh.unsigned);
    expect(() => segwitV0Sighash(tx, 0, new Uint8Array(0), sat(1), 0)).toThrow(TxError);
    expect(() => segwitV0Sighash(tx, 0, new Uint8Array(0), sat(1), 0x04)).toThrow(TxError);
    expect(() => segwitV0Sighash(tx, 2, new Uint8Array(0), sat(1), SIGHASH_ALL)).toThrow(TxError);
    expect(() => legacySighash(tx, 0, new Uint8Array(0), SIGHASH_NONE)).toThrow(TxError);
  });
});

describe('script encoding', () => {
  it('encodes script numbers minimally with a sign bit', () => {
    const cases: [number, string][] = [
      [0, ''],
      [1, '01'],
      [127, '7f'],
      [128, '8000'],
      [144, '9000'],
      [255, 'ff00'],
      [256, '0001'],
      [500, 'f401'],
      [-1, '81'],
      [-127, 'ff'],
      [-128, '8080'],
      [0x7fffffff, 'ffffff7f'],
      [0x80000000, '0000008000'],
    ];
    for (const [n, hex] of cases) expect(toHex(scriptNum(n))).toBe(hex);
  });

  it('pushes small numbers with OP_0/OP_1NEGATE/OP_1..OP_16', () => {
    expect(toHex(pushNumber(0))).toBe('00');
    expect(toHex(pushNumber(-1))).toBe('4f');
    expect(toHex(pushNumber(1))).toBe('51');
    expect(toHex(pushNumber(16))).toBe('60');
    expect(toHex(pushNumber(17))).toBe('0111');
    expect(toHex(pushNumber(144))).toBe('029000');
  });

  it('uses the smallest push opcode for data', () => {
    expect(toHex(pushData(new Uint8Array(0)))).toBe('00');
    expect(toHex(pushData(new Uint8Array(75)).subarray(0, 1))).toBe('4b');
    expect(toHex(pushData(new Uint8Array(76)).subarray(0, 2))).toBe('4c4c');
    expect(toHex(pushData(new Uint8Array(256)).subarray(0, 3))).toBe('4d0001');
    expect(toHex(pushData(new Uint8Array(0x10000)).subarray(0, 5))).toBe('4e00000100');
    expect(() => compileScript([256])).toThrow(TxError);
  });
});

describe('segwit addresses (BOLT 11 fallback vectors)', () => {
  const cases = [
    { address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', version: 0, program: '751e76e8199196d454941c45d1b3a323f1433bd6' },
    { address: 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', version: 0, program: '1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262' },
    { address: 'bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm', version: 1, program: '0adac43daa9c8a5a68e09ea10692b82226ee190e572db9b90e17a410484ab405' },
  ];

  for (const c of cases) {
    it(`encodes and decodes ${c.address}`, () => {
      expect(segwitAddress('bitcoin', c.version, fromHex(c.program))).toBe(c.address);
      const d = decodeSegwitAddress(c.address.toUpperCase());
      expect(d.network).toBe('bitcoin');
      expect(d.version).toBe(c.version);
      expect(toHex(d.program)).toBe(c.program);
      expect(addressFromScriptPubKey('bitcoin', d.scriptPubKey)).toBe(c.address);
    });
  }

  it('rejects wrong checksum variants, mixed case, unknown prefixes and bad programs', () => {
    const v0 = cases[0]!.address;
    expect(() => decodeSegwitAddress(v0.slice(0, -1) + (v0.endsWith('4') ? '5' : '4'))).toThrow(TxError);
    expect(() => decodeSegwitAddress('bC' + v0.slice(2))).toThrow(TxError);
    expect(() => decodeSegwitAddress('xx1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toThrow(TxError);
    // A v1 program encoded with the v0 (bech32) checksum.
    expect(() => decodeSegwitAddress(segwitAddress('bitcoin', 0, new Uint8Array(32)).replace('bc1q', 'bc1p'))).toThrow(TxError);
    expect(() => segwitAddress('bitcoin', 0, new Uint8Array(21))).toThrow(TxError);
    expect(() => addressFromScriptPubKey('bitcoin', p2pkh(fromHex(BIP143.p2wpkh.pubkey)))).toThrow(TxError);
  });
});
