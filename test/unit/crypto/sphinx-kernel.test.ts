// The WASM Sphinx kernel: the BOLT 4 onion vector byte for byte, the legacy vector of
// ../shared/interop/selftest.sh (by hash), layer-by-layer peeling of longer routes, and typed
// errors for payloads that do not fit and for invalid keys.
import { describe, expect, it } from 'vitest';
import { CryptoError, pubkeyCreate, sha256, sphinxBuild } from '../../../src/crypto/index.js';
import { concatBytes, fromHex, toHex, u32be, u64be } from '../../../src/util/bytes.js';
import { loadVector } from '../../support/shared.js';
import { peel } from './support/sphinx-peel.js';
import { Rng } from './support/rng.js';

interface OnionTest {
  generate: { session_key: string; associated_data: string; hops: { pubkey: string; payload: string }[] };
  onion: string;
  decode: string[];
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    expect((e as CryptoError).code).toBe(code);
    return;
  }
  expect.fail(`expected CryptoError ${code}`);
}

/** The route of bolt04-onion.json's onion_test and selftest.sh: node keys 0x41.., 0x42.., ... */
function nodeKey(i: number): Uint8Array {
  return new Uint8Array(32).fill(0x41 + i);
}

describe('sphinxBuild (WASM kernel)', () => {
  const v = loadVector<{ onion_test: OnionTest }>('bolt04-onion.json').onion_test;
  const session = fromHex(v.generate.session_key);
  const assoc = fromHex(v.generate.associated_data);
  const pubkeys = v.generate.hops.map((h) => fromHex(h.pubkey));
  const payloads = v.generate.hops.map((h) => fromHex(h.payload));

  it('reproduces the BOLT 4 onion_test packet byte for byte', () => {
    const { packet, sharedSecrets } = sphinxBuild(session, pubkeys, payloads, assoc);
    expect(packet.length).toBe(1366);
    expect(toHex(packet)).toBe(v.onion);
    expect(sharedSecrets).toHaveLength(5);
  });

  it('peels the vector packet hop by hop with the decode keys: payloads, shared secrets, final flag', () => {
    const { packet, sharedSecrets } = sphinxBuild(session, pubkeys, payloads, assoc);
    let current = packet;
    v.decode.forEach((priv, i) => {
      expect(toHex(pubkeyCreate(fromHex(priv)))).toBe(v.generate.hops[i]!.pubkey);
      const hop = peel(current, fromHex(priv), assoc);
      expect(toHex(hop.framedPayload)).toBe(v.generate.hops[i]!.payload);
      expect(toHex(hop.sharedSecret)).toBe(toHex(sharedSecrets[i]!));
      expect(hop.final).toBe(i === v.decode.length - 1);
      current = hop.next;
    });
  });

  it('reproduces the legacy-payload packet of interop/selftest.sh (sha256 6ffbdce4…)', () => {
    // Five realm-0 frames: 0x00 || scid (k repeated) || amt_to_forward k (u64) || cltv k (u32) || 12 zero bytes.
    const legacy = [0, 1, 2, 3, 4].map((k) => concatBytes(new Uint8Array([0]), new Uint8Array(8).fill(k), u64be(BigInt(k)), u32be(k), new Uint8Array(12)));
    const hops = legacy.map((_, k) => pubkeyCreate(nodeKey(k)));
    const { packet } = sphinxBuild(new Uint8Array(32).fill(0x41), hops, legacy, new Uint8Array(32).fill(0x42));
    expect(toHex(sha256(packet))).toBe('6ffbdce47594bb2e85707b862b67ca509562e366346be84c6081243c727a4292');
    expect(toHex(peel(packet, nodeKey(0), new Uint8Array(32).fill(0x42)).framedPayload)).toBe(toHex(legacy[0]!));
  });

  it('builds 20-hop and custom-size onions that peel back to their payloads', () => {
    const r = new Rng('sphinx-routes');
    for (const [hops, ris] of [
      [20, 1300],
      [1, 1300],
      [3, 400],
      [7, 65536],
    ] as const) {
      const keys = Array.from({ length: hops }, () => r.bytes(32));
      const per = Math.floor(ris / hops) - 32;
      const framed = keys.map(() => {
        const len = 1 + r.int(Math.min(per, 252) - 1);
        return concatBytes(new Uint8Array([len]), r.bytes(len));
      });
      const ad = r.bytes(32);
      const { packet, sharedSecrets } = sphinxBuild(r.bytes(32), keys.map((k) => pubkeyCreate(k)), framed, ad, ris);
      expect(packet.length).toBe(1 + 33 + ris + 32);
      let current = packet;
      keys.forEach((k, i) => {
        const hop = peel(current, k, ad, ris);
        expect(toHex(hop.framedPayload), `hop ${i} of ${hops}`).toBe(toHex(framed[i]!));
        expect(toHex(hop.sharedSecret)).toBe(toHex(sharedSecrets[i]!));
        expect(hop.final).toBe(i === hops - 1);
        current = hop.next;
      });
    }
  });

  it('fills the routing info exactly, and throws ONION_TOO_BIG one byte beyond', () => {
    const keys = [nodeKey(0), nodeKey(1)].map((k) => pubkeyCreate(k));
    const fit = (n: number) => concatBytes(new Uint8Array([0xfd, n >> 8, n & 0xff]), new Uint8Array(n));
    // 2 * 32 HMAC bytes + two frames of 3 + n bytes = 1300.
    const exact = [fit(600), fit(630)];
    const { packet } = sphinxBuild(new Uint8Array(32).fill(1), keys, exact, new Uint8Array(0));
    expect(toHex(peel(packet, nodeKey(0), new Uint8Array(0)).framedPayload)).toBe(toHex(exact[0]!));
    expectCode(() => sphinxBuild(new Uint8Array(32).fill(1), keys, [fit(600), fit(631)], new Uint8Array(0)), 'ONION_TOO_BIG');
    expectCode(() => sphinxBuild(new Uint8Array(32).fill(1), [keys[0]!], [new Uint8Array(1269)], new Uint8Array(0)), 'ONION_TOO_BIG');
    const crowded = Array.from({ length: 27 }, () => pubkeyCreate(nodeKey(0)));
    expectCode(() => sphinxBuild(new Uint8Array(32).fill(1), crowded, crowded.map(() => new Uint8Array(17)), new Uint8Array(0)), 'ONION_TOO_BIG');
  });

  it('rejects invalid keys and malformed arguments with CryptoError, and keeps working', () => {
    const bad = fromHex('02' + '00'.repeat(32)); // x = 0 is not on the curve
    expectCode(() => sphinxBuild(session, [pubkeys[0]!, bad], payloads.slice(0, 2), assoc), 'INVALID_PUBKEY');
    expectCode(() => sphinxBuild(new Uint8Array(32), pubkeys, payloads, assoc), 'INVALID_SECRET');
    expectCode(() => sphinxBuild(fromHex('ff'.repeat(32)), pubkeys, payloads, assoc), 'INVALID_SECRET');
    expectCode(() => sphinxBuild(session, pubkeys, payloads.slice(1), assoc), 'BAD_LENGTH');
    expectCode(() => sphinxBuild(session, [], [], assoc), 'BAD_LENGTH');
    expectCode(() => sphinxBuild(session.subarray(1), pubkeys, payloads, assoc), 'BAD_LENGTH');
    expectCode(() => sphinxBuild(session, [pubkeys[0]!.subarray(1)], [payloads[0]!], assoc), 'BAD_LENGTH');
    expectCode(() => sphinxBuild(session, pubkeys, payloads, assoc, 0), 'BAD_LENGTH');
    expectCode(() => sphinxBuild(session, pubkeys, payloads, assoc, 1300.5), 'BAD_LENGTH');
    expect(toHex(sphinxBuild(session, pubkeys, payloads, assoc).packet)).toBe(v.onion);
  });
});
