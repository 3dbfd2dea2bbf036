// channel_update (BOLT 7): building, signing, flags, verification and policy extraction.
import { describe, expect, it } from 'vitest';
import { sha256, signCompact } from '../../../src/crypto/secp256k1.js';
import {
  CHAN_FLAG_DISABLE,
  MSG_FLAG_DONT_FORWARD,
  MSG_FLAG_MUST_BE_ONE,
  buildChannelUpdate,
  directionBit,
  verifyChannelUpdate,
  type ChannelUpdateParams,
} from '../../../src/forwarding/index.js';
import { concatBytes, fromHex } from '../../../src/util/bytes.js';
import { chainHash, channelUpdateSignedBytes, decodeMessage } from '../../../src/wire/index.js';
import { ALIAS, NOW, OUR_ID, OUR_SECRET, PEER_ID, PEER_SECRET, REAL_SCID } from './helpers.js';

const params = (over: Partial<ChannelUpdateParams> = {}): ChannelUpdateParams => ({
  network: 'regtest',
  short_channel_id: REAL_SCID,
  timestamp: NOW,
  peer_node_id: PEER_ID,
  disabled: false,
  announced: true,
  policy: { fee_base_msat: 1000, fee_proportional_millionths: 10, cltv_expiry_delta: 34, htlc_minimum_msat: 1n, htlc_maximum_msat: 990_000_000n },
  ...over,
});

describe('buildChannelUpdate', () => {
  it('signs a channel_update that verifies against our node id and carries every field', () => {
    const { message, bytes } = buildChannelUpdate(params(), OUR_SECRET);
    expect(bytes[0]).toBe(0x01);
    expect(bytes[1]).toBe(0x02);
    // type, signature, chain_hash, scid, timestamp, two flag bytes, delta, min, base, ppm, max.
    expect(bytes.length).toBe(2 + 64 + 32 + 8 + 4 + 1 + 1 + 2 + 8 + 4 + 4 + 8);
    const v = verifyChannelUpdate(bytes, OUR_ID, 'regtest');
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.update.chain_hash).toEqual(chainHash('regtest'));
    expect(v.policy).toEqual({
      short_channel_id: REAL_SCID,
      timestamp: NOW,
      direction: directionBit(fromHex(OUR_ID), fromHex(PEER_ID)),
      disabled: false,
      dont_forward: false,
      cltv_expiry_delta: 34,
      htlc_minimum_msat: 1n,
      fee_base_msat: 1000,
      fee_proportional_millionths: 10,
      htlc_maximum_msat: 990_000_000n,
    });
    expect(message.message_flags).toBe(MSG_FLAG_MUST_BE_ONE);
  });

  it('the signature is over the double SHA-256 of everything after it', () => {
    const { message, bytes } = buildChannelUpdate(params(), OUR_SECRET);
    const digest = sha256(sha256(bytes.slice(2 + 64)));
    expect(message.signature).toEqual(signCompact(digest, OUR_SECRET));
  });

  it('direction bit: 0 iff our id sorts first (node_id_1); the peer computes the opposite', () => {
    const ours = buildChannelUpdate(params(), OUR_SECRET).message.channel_flags & 1;
    const theirs = buildChannelUpdate(params({ peer_node_id: OUR_ID }), PEER_SECRET).message.channel_flags & 1;
    expect(ours + theirs).toBe(1);
    expect(ours).toBe(OUR_ID < PEER_ID ? 0 : 1);
  });

  it('disable bit, and dont_forward for unannounced channels (must_be_one always set)', () => {
    const m = buildChannelUpdate(params({ disabled: true, announced: false, short_channel_id: ALIAS }), OUR_SECRET).message;
    expect(m.channel_flags & CHAN_FLAG_DISABLE).toBe(CHAN_FLAG_DISABLE);
    expect(m.message_flags).toBe(MSG_FLAG_MUST_BE_ONE | MSG_FLAG_DONT_FORWARD);
    expect(m.short_channel_id).toBe(ALIAS);
  });

  it('refuses invalid inputs with a typed error', () => {
    expect(() => buildChannelUpdate(params({ timestamp: 0 }), OUR_SECRET)).toThrow(/timestamp/);
    expect(() => buildChannelUpdate(params({ peer_node_id: '02' + '00'.repeat(32) }), OUR_SECRET)).toThrow(/peer_node_id/);
    const p = params();
    expect(() => buildChannelUpdate({ ...p, policy: { ...p.policy, htlc_maximum_msat: 0n } }, OUR_SECRET)).toThrow(/htlc_maximum_msat/);
    expect(() => buildChannelUpdate({ ...p, policy: { ...p.policy, cltv_expiry_delta: 70000 } }, OUR_SECRET)).toThrow(/u16/);
  });
});

describe('verifyChannelUpdate', () => {
  const good = buildChannelUpdate(params(), PEER_SECRET).bytes;

  it('accepts the peer update against the peer id, refuses it against anyone else', () => {
    expect(verifyChannelUpdate(good, PEER_ID).ok).toBe(true);
    expect(verifyChannelUpdate(good, OUR_ID)).toEqual({ ok: false, reason: 'bad channel_update signature' });
  });

  it('any changed byte breaks the signature', () => {
    for (const i of [2, 2 + 64, 2 + 64 + 40, good.length - 1]) {
      const bad = good.slice();
      bad[i]! ^= 1;
      expect(verifyChannelUpdate(bad, PEER_ID).ok).toBe(false);
    }
  });

  it('covers appended unknown fields (signed over the entire remaining packet)', () => {
    const extra = fromHex('0102030405');
    const body = concatBytes(channelUpdateSignedBytes(good), extra);
    const sig = signCompact(sha256(sha256(body)), PEER_SECRET);
    const raw = concatBytes(fromHex('0102'), sig, body);
    const v = verifyChannelUpdate(raw, PEER_ID);
    expect(v.ok).toBe(true);
    // Dropping the extension would invalidate it.
    expect(verifyChannelUpdate(concatBytes(fromHex('0102'), sig, channelUpdateSignedBytes(good)), PEER_ID).ok).toBe(false);
    expect(decodeMessage(raw).type).toBe('channel_update');
  });

  it('wrong chain, wrong type, truncated bytes and bad signer ids are values, not throws', () => {
    expect(verifyChannelUpdate(good, PEER_ID, 'bitcoin')).toEqual({ ok: false, reason: 'channel_update is for another chain' });
    expect(verifyChannelUpdate(fromHex('0010'), PEER_ID).ok).toBe(false);
    expect(verifyChannelUpdate(good.slice(0, 50), PEER_ID).ok).toBe(false);
    expect(verifyChannelUpdate(good, 'zz')).toEqual({ ok: false, reason: 'signer is not a valid public key' });
  });
});
