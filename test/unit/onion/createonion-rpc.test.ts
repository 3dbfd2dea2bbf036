// `createonion` through a whole in-process node (memory store, static chain): the method table,
// Core Lightning's parameter parsing and messages, and the result shape — both as JS values
// (the in-process client, what the Worker forwards) and as JSON-RPC text (the daemon's socket).
// Onions and shared secrets are checked against the BOLT 4 vector and the pure-JS reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLightningNode, type LightningNodeClient } from '../../../src/node.js';
import { RpcError } from '../../../src/rpc/errors.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { peelOnion } from '../../../src/onion/index.js';
import { loadVector } from '../../support/shared.js';
import { sphinxBuildPureJs } from '../../support/sphinx-purejs.js';
import { rpcRejection } from '../../support/until.js';

interface OnionVector {
  onion_test: { generate: { session_key: string; associated_data: string; hops: { pubkey: string; payload: string }[] }; onion: string; decode: string[] };
}
const ov = loadVector<OnionVector>('bolt04-onion.json').onion_test;
const g = ov.generate;

let ln: LightningNodeClient;
beforeAll(async () => {
  ln = await createLightningNode({ alias: 'onion-rpc' });
});
afterAll(async () => {
  await ln?.close();
});

/** One JSON-RPC request over the daemon's text path; returns the parsed response. */
async function viaText(params: unknown): Promise<{ result?: { onion: string; shared_secrets: string[] }; error?: { code: number; message: string } }> {
  const text = await ln.node.rpcText(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'createonion', params }));
  return JSON.parse(text) as { result?: { onion: string; shared_secrets: string[] }; error?: { code: number; message: string } };
}

const key = (i: number): Uint8Array => new Uint8Array(32).fill(0x30 + i);
const hopPub = (i: number): string => toHex(pubkeyCreate(key(i)));
/** Framed forwarding payload (19 bytes): amt_to_forward 1000, outgoing_cltv_value 1000, scid i+1. */
const fwd = (i: number): string => `12020203e8040203e80608${(i + 1).toString(16).padStart(16, '0')}`;
/** Framed final payload (7 bytes): amt_to_forward 1, outgoing_cltv_value 1. */
const smallPayload = '06020101040101';

describe('createonion (in-process node)', () => {
  it('returns the BOLT 4 vector onion byte for byte and the five shared secrets', async () => {
    const r = await ln.createonion({ hops: g.hops, assocdata: g.associated_data, session_key: g.session_key });
    expect(Object.keys(r)).toEqual(['onion', 'shared_secrets']);
    expect(r.onion).toBe(ov.onion);
    const pure = sphinxBuildPureJs(fromHex(g.session_key), g.hops.map((h) => fromHex(h.pubkey)), g.hops.map((h) => fromHex(h.payload)), fromHex(g.associated_data));
    expect(r.shared_secrets).toEqual(pure.sharedSecrets.map(toHex));
    // Each hop derives the same secret from the packet it receives.
    let packet = fromHex(r.onion as string);
    ov.decode.forEach((priv, i) => {
      const peeled = peelOnion(packet, fromHex(priv), fromHex(g.associated_data));
      if (peeled.kind !== 'forward' && peeled.kind !== 'final') throw new Error(`hop ${i}: ${peeled.kind}`);
      expect(toHex(peeled.sharedSecret)).toBe((r.shared_secrets as string[])[i]);
      if (peeled.kind === 'forward') packet = peeled.nextPacket;
    });
  });

  it('positional JSON-RPC text gives the same onion; upper-case hex is accepted as Core Lightning does', async () => {
    const hops = g.hops.map((h) => ({ pubkey: h.pubkey.toUpperCase(), payload: h.payload.toUpperCase() }));
    const res = await viaText([hops, g.associated_data.toUpperCase(), g.session_key]);
    expect(res.error).toBeUndefined();
    expect(res.result?.onion).toBe(ov.onion);
    expect(res.result?.shared_secrets).toHaveLength(5);
  });

  it('30 hops: "Payloads exceed maximum onion packet size." (-32602, checked before construction)', async () => {
    const hops = Array.from({ length: 30 }, (_, i) => ({ pubkey: hopPub(i % 20), payload: fwd(i) }));
    expect(await rpcRejection(ln.createonion({ hops, assocdata: '42'.repeat(32) }))).toEqual({ code: -32602, message: 'Payloads exceed maximum onion packet size.' });
    // 26 such hops (26 * (19 + 32) = 1326 bytes) do not fit either; 25 (1275) do.
    expect((await rpcRejection(ln.createonion({ hops: hops.slice(0, 26), assocdata: '' }))).code).toBe(-32602);
    const fits = await ln.createonion({ hops: hops.slice(0, 25), assocdata: '' });
    expect(fits.shared_secrets).toHaveLength(25);
  });

  it('a session key that is not a valid secret: -1 "Could not create onion packet"', async () => {
    const hops = [{ pubkey: hopPub(0), payload: smallPayload }];
    for (const session_key of ['00'.repeat(32), 'ff'.repeat(32)]) {
      expect(await rpcRejection(ln.createonion({ hops, assocdata: '', session_key }))).toEqual({ code: -1, message: 'Could not create onion packet' });
    }
  });

  it('bad hops give Core Lightning\'s parameter errors (-32602)', async () => {
    const ok = { pubkey: hopPub(0), payload: smallPayload };
    const cases: [unknown, string][] = [
      ['nope', `hops: should be an array of hops: invalid token '"nope"'`],
      [[], 'At least one hop must be specified.'],
      [[ok, { payload: smallPayload }], 'Hop 1 does not have a pubkey'],
      [[ok, { pubkey: hopPub(1) }], 'Hop 1 does not have a payload'],
      [['x'], 'Hop 0 does not have a pubkey'],
      [[{ pubkey: '02zz', payload: smallPayload }], `hops: should be a pubkey: invalid token '"02zz"'`],
      // 0x02 prefix with x = 0: not a point on the curve.
      [[{ pubkey: '02' + '00'.repeat(32), payload: smallPayload }], `hops: should be a pubkey: invalid token '"02${'00'.repeat(32)}"'`],
      [[{ pubkey: hopPub(0), payload: 'zz' }], `hops: should be hex: invalid token '"zz"'`],
      [[{ pubkey: hopPub(0), payload: '060201' }], 'hops[0] payload is not prefixed with length!'],
      [[ok, { pubkey: hopPub(1), payload: '' }], 'hops[1] payload is not prefixed with length!'],
    ];
    for (const [hops, message] of cases) {
      expect(await rpcRejection(ln.createonion({ hops: hops as never, assocdata: '' }))).toEqual({ code: -32602, message });
    }
  });

  it('bad assocdata, session_key and onion_size give Core Lightning\'s messages', async () => {
    const hops = [{ pubkey: hopPub(0), payload: smallPayload }];
    expect(await rpcRejection(ln.createonion({ hops, assocdata: 'xyz' }))).toEqual({ code: -32602, message: `assocdata: should be a hex value: invalid token '"xyz"'` });
    expect(await rpcRejection(ln.createonion({ hops, assocdata: '', session_key: '41'.repeat(31) }))).toEqual({
      code: -32602,
      message: `session_key: should be a 32 byte hex value: invalid token '"${'41'.repeat(31)}"'`,
    });
    expect(await rpcRejection(ln.createonion({ hops, assocdata: '', onion_size: 'big' }))).toEqual({ code: -32602, message: `onion_size: should be an integer: invalid token '"big"'` });
    expect(await rpcRejection(ln.createonion({ hops }))).toEqual({ code: -32602, message: "missing required parameter: assocdata" });
  });

  it('honours onion_size: the packet has that routing info size, peels, and matches the reference', async () => {
    const hops = [0, 1, 2].map((i) => ({ pubkey: hopPub(i), payload: i < 2 ? fwd(i) : smallPayload }));
    const session_key = '55'.repeat(32);
    const r = await ln.createonion({ hops, assocdata: 'aa', session_key, onion_size: 400 });
    expect((r.onion as string).length).toBe(2 * (1 + 33 + 400 + 32));
    const pure = sphinxBuildPureJs(fromHex(session_key), hops.map((h) => fromHex(h.pubkey)), hops.map((h) => fromHex(h.payload)), fromHex('aa'), 400);
    expect(r.onion).toBe(toHex(pure.packet));
    let packet = fromHex(r.onion as string);
    for (let i = 0; i < 3; i++) {
      const peeled = peelOnion(packet, key(i), fromHex('aa'));
      if (peeled.kind !== 'forward' && peeled.kind !== 'final') throw new Error(`hop ${i}: ${peeled.kind}`);
      expect(peeled.kind).toBe(i === 2 ? 'final' : 'forward');
      expect(toHex(peeled.payloadBytes)).toBe(hops[i]!.payload.slice(2));
      if (peeled.kind === 'forward') packet = peeled.nextPacket;
    }
    // 19 + 19 + 7 + 3 * 32 = 141 bytes: fits exactly in 141, not in 140.
    expect((await ln.createonion({ hops, assocdata: '', onion_size: 141 })).onion).toHaveLength(2 * (1 + 33 + 141 + 32));
    expect(await rpcRejection(ln.createonion({ hops, assocdata: '', onion_size: 140 }))).toEqual({ code: -32602, message: 'Payloads exceed maximum onion packet size.' });
  });

  it('without session_key each call uses a fresh random key', async () => {
    const hops = [{ pubkey: hopPub(0), payload: smallPayload }];
    const a = await ln.createonion({ hops, assocdata: '' });
    const b = await ln.createonion({ hops, assocdata: '' });
    expect(a.onion).not.toBe(b.onion);
    for (const r of [a, b]) {
      const peeled = peelOnion(fromHex(r.onion as string), key(0), new Uint8Array(0));
      expect(peeled.kind).toBe('final');
      if (peeled.kind === 'final') expect(toHex(peeled.sharedSecret)).toBe((r.shared_secrets as string[])[0]);
    }
  });
});
