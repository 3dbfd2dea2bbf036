// BOLT 8 message encryption vector (outputs 0, 1, 500, 501, 1000, 1001 across two key rotations)
// and the frame reader: reassembly from 1-byte and merged chunks, fatal MAC failures, bounds.
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../src/util/bytes.js';
import {
  CipherState,
  FrameReader,
  MAX_FRAME_LENGTH,
  MessageEncryptor,
  NoiseError,
  hkdf2,
  type NoiseErrorCode,
} from '../../../src/noise/index.js';
import { BOLT08 } from './vectors.js';

const mv = BOLT08.message_encryption_test;
const hello = fromHex(mv.plaintext);

function code(f: () => unknown): NoiseErrorCode | 'none' {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NoiseError);
    return (e as NoiseError).code;
  }
  return 'none';
}

function drain(r: FrameReader): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let m = r.next(); m; m = r.next()) out.push(m);
  return out;
}

/** 1002 frames of "hello" as the vector's sender produces them. */
function vectorFrames(): Uint8Array[] {
  const enc = new MessageEncryptor(fromHex(mv.sk), fromHex(mv.ck));
  return Array.from({ length: 1002 }, () => enc.encrypt(hello));
}

describe('BOLT 8 message encryption vector', () => {
  it('outputs 0, 1, 500, 501, 1000 and 1001 match byte for byte', () => {
    const frames = vectorFrames();
    expect(mv.outputs.map((o) => o.message_index)).toEqual([0, 1, 500, 501, 1000, 1001]);
    for (const o of mv.outputs) expect(toHex(frames[o.message_index]!)).toBe(o.output);
  });

  it('the traced length/body encryptions of messages 0 and 1 match', () => {
    const frames = vectorFrames();
    const parts = mv.encrypt_trace_messages_0_1.map((t) => t.ciphertext_with_mac);
    expect(toHex(frames[0]!)).toBe(parts[0]! + parts[1]!);
    expect(toHex(frames[1]!)).toBe(parts[2]! + parts[3]!);
  });

  it('both key rotations are HKDF(ck, k) and happen at nonce 1000', () => {
    for (const r of mv.key_rotations_sending) {
      const [ck, k] = hkdf2(fromHex(r.hkdf_salt_ck), fromHex(r.hkdf_ikm_k));
      expect(toHex(ck)).toBe(r.new_ck);
      expect(toHex(k)).toBe(r.new_k);
    }
    const cs = new CipherState(fromHex(mv.sk), fromHex(mv.ck));
    for (let i = 0; i < 999; i++) cs.encrypt(hello);
    expect(cs.nonce).toBe(999);
    cs.encrypt(hello);
    expect(cs.nonce).toBe(0);
  });

  it('the receiver (rk = sender sk) decrypts all 1002 messages across both rotations', () => {
    const r = new FrameReader(fromHex(mv.sk), fromHex(mv.ck));
    r.push(concatBytes(...vectorFrames()));
    const got = drain(r);
    expect(got).toHaveLength(1002);
    expect(got.every((m) => toHex(m) === mv.plaintext)).toBe(true);
    expect(r.atBoundary).toBe(true);
  });
});

describe('frame reader reassembly', () => {
  const key = fromHex(mv.sk);
  const ck = fromHex(mv.ck);
  const messages = [new Uint8Array(0), hello, new Uint8Array(65535).fill(7), fromHex('0012abcd'), new Uint8Array(1000).fill(1)];
  const wire = (() => {
    const enc = new MessageEncryptor(key, ck);
    return concatBytes(...messages.map((m) => enc.encrypt(m)));
  })();

  it('1-byte chunks', () => {
    const r = new FrameReader(key, ck);
    const got: Uint8Array[] = [];
    let maxBuffered = 0;
    for (const b of wire) {
      r.push(new Uint8Array([b]));
      got.push(...drain(r));
      maxBuffered = Math.max(maxBuffered, r.buffered);
    }
    expect(got.map(toHex)).toEqual(messages.map(toHex));
    expect(maxBuffered).toBeLessThan(MAX_FRAME_LENGTH);
    expect(() => r.end()).not.toThrow();
  });

  it('merged and randomly split chunks', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 20; round++) {
      const r = new FrameReader(key, ck);
      const got: Uint8Array[] = [];
      for (let o = 0; o < wire.length; ) {
        const n = 1 + rnd(round % 2 ? 200 : 70000);
        r.push(wire.subarray(o, o + n));
        got.push(...drain(r));
        o += n;
      }
      expect(got.map(toHex)).toEqual(messages.map(toHex));
    }
  });

  it('the caller reusing its chunk buffer does not corrupt queued bytes', () => {
    const r = new FrameReader(key, ck);
    const buf = new Uint8Array(10);
    const got: Uint8Array[] = [];
    for (let o = 0; o < wire.length; o += 10) {
      const piece = wire.subarray(o, o + 10);
      buf.set(piece);
      r.push(buf.subarray(0, piece.length));
      buf.fill(0xee);
      got.push(...drain(r));
    }
    expect(got.map(toHex)).toEqual(messages.map(toHex));
  });
});

describe('frame reader failures', () => {
  const key = fromHex(mv.sk);
  const ck = fromHex(mv.ck);
  const frame = () => new MessageEncryptor(key, ck).encrypt(hello);

  it('a corrupted length header is BAD_MAC and the reader stays failed', () => {
    const f = frame();
    f[3]! ^= 1;
    const r = new FrameReader(key, ck);
    r.push(f);
    expect(code(() => r.next())).toBe('BAD_MAC');
    expect(code(() => r.next())).toBe('BAD_MAC');
    expect(code(() => r.push(frame()))).toBe('BAD_MAC');
    expect(r.buffered).toBe(0);
  });

  it('a corrupted body is BAD_MAC', () => {
    const f = frame();
    f[f.length - 1]! ^= 0x80;
    const r = new FrameReader(key, ck);
    r.push(f);
    expect(code(() => r.next())).toBe('BAD_MAC');
  });

  it('messages before a bad frame are delivered first', () => {
    const enc = new MessageEncryptor(key, ck);
    const good = enc.encrypt(hello);
    const bad = enc.encrypt(hello);
    bad[20]! ^= 1;
    const r = new FrameReader(key, ck);
    r.push(concatBytes(good, bad));
    expect(toHex(r.next()!)).toBe(mv.plaintext);
    expect(code(() => r.next())).toBe('BAD_MAC');
  });

  it('a stream ending mid-frame is TRUNCATED; at a boundary it is clean', () => {
    const r = new FrameReader(key, ck);
    r.push(frame().subarray(0, 30));
    expect(r.next()).toBeNull();
    expect(code(() => r.end())).toBe('TRUNCATED');
    const ok = new FrameReader(key, ck);
    expect(code(() => ok.end())).toBe('none');
  });

  it('buffering is bounded', () => {
    const r = new FrameReader(key, ck, { maxBuffered: MAX_FRAME_LENGTH });
    r.push(new Uint8Array(MAX_FRAME_LENGTH));
    expect(code(() => r.push(new Uint8Array(1)))).toBe('BUFFER_OVERFLOW');
    expect(r.buffered).toBe(0);
  });

  it('the sender refuses messages over 65535 bytes and stays usable', () => {
    const enc = new MessageEncryptor(key, ck);
    expect(code(() => enc.encrypt(new Uint8Array(65536)))).toBe('MESSAGE_TOO_LONG');
    expect(toHex(enc.encrypt(hello))).toBe(mv.outputs[0]!.output);
  });
});
