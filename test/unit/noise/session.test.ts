// The streaming session end to end: our initiator against our responder with random keys, act
// three and the first messages in one chunk, messages in both directions across key rotation.
import { describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { concatBytes, toHex, utf8 } from '../../../src/util/bytes.js';
import { NoiseError, NoiseSession, generateSecret, type NoiseOutput } from '../../../src/noise/index.js';

function all(s: NoiseSession): NoiseOutput[] {
  const out: NoiseOutput[] = [];
  for (let o = s.next(); o; o = s.next()) out.push(o);
  return out;
}

function pair() {
  const iKey = generateSecret();
  const rKey = generateSecret();
  const i = NoiseSession.initiator({ localSecret: iKey, remoteStatic: pubkeyCreate(rKey) });
  const r = NoiseSession.responder({ localSecret: rKey });
  return { i, r, iPub: pubkeyCreate(iKey), rPub: pubkeyCreate(rKey) };
}

describe('NoiseSession', () => {
  it('handshakes and carries messages both ways across key rotation', () => {
    const { i, r, iPub, rPub } = pair();
    r.push(i.start()!);
    const [act2] = all(r);
    expect(act2?.type).toBe('send');
    i.push((act2 as { data: Uint8Array }).data);
    const iOut = all(i);
    expect(iOut.map((o) => o.type)).toEqual(['send', 'handshake']);
    expect(toHex((iOut[1] as { remoteStatic: Uint8Array }).remoteStatic)).toBe(toHex(rPub));
    // act three and two messages arrive in a single chunk
    const act3 = (iOut[0] as { data: Uint8Array }).data;
    r.push(concatBytes(act3, i.encrypt(utf8('one')), i.encrypt(utf8('two'))));
    const rOut = all(r);
    expect(rOut.map((o) => o.type)).toEqual(['handshake', 'message', 'message']);
    expect(toHex((rOut[0] as { remoteStatic: Uint8Array }).remoteStatic)).toBe(toHex(iPub));
    expect(toHex(r.remoteStatic!)).toBe(toHex(iPub));
    for (let n = 0; n < 1200; n++) {
      i.push(r.encrypt(utf8(`r${n}`)));
      r.push(i.encrypt(utf8(`i${n}`)));
    }
    expect(all(i)).toHaveLength(1200);
    const last = all(r).pop() as { data: Uint8Array };
    expect(toHex(last.data)).toBe(toHex(utf8('i1199')));
  });

  it('refuses to encrypt before the handshake and rejects a second start', () => {
    const { i, r } = pair();
    expect(() => r.encrypt(utf8('x'))).toThrow(NoiseError);
    i.start();
    expect(() => i.start()).toThrow(NoiseError);
  });

  it('bounds bytes buffered during the handshake', () => {
    const r = NoiseSession.responder({ localSecret: generateSecret(), maxBuffered: 100_000 });
    let err: unknown;
    try {
      r.push(new Uint8Array(100_001));
    } catch (e) {
      err = e;
    }
    expect((err as NoiseError).code).toBe('BUFFER_OVERFLOW');
    expect(r.state).toBe('failed');
  });

  it('an initiator dialing the wrong node id fails the act one check of the responder', () => {
    const { r } = pair();
    const wrong = NoiseSession.initiator({ localSecret: generateSecret(), remoteStatic: pubkeyCreate(generateSecret()) });
    r.push(wrong.start()!);
    let err: unknown;
    try {
      all(r);
    } catch (e) {
      err = e;
    }
    expect((err as NoiseError).code).toBe('ACT1_BAD_TAG');
  });

  it('end() mid-frame after the handshake is TRUNCATED', () => {
    const { i, r } = pair();
    r.push(i.start()!);
    i.push((all(r)[0] as { data: Uint8Array }).data);
    r.push((all(i)[0] as { data: Uint8Array }).data);
    all(r);
    r.push(i.encrypt(utf8('hello')).subarray(0, 10));
    expect(all(r)).toEqual([]);
    expect(() => r.end()).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
  });
});
