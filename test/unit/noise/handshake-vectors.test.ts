// BOLT 8 Appendix A: every initiator and responder case, through the act-level API and through
// the streaming session fed one byte at a time; traces (h, HKDF, AEAD steps) are checked too.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { InitiatorHandshake, NoiseError, NoiseSession, ResponderHandshake, encryptWithAD, hkdf2, nonceBytes } from '../../../src/noise/index.js';
import { BOLT08, type HandshakeVector, type TraceOp } from './vectors.js';

function expectNoiseError(f: () => unknown, code: string, detail?: string): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(NoiseError);
  expect((caught as NoiseError).code).toBe(code);
  // The spec's trailing value (e.g. the bad version byte) appears in the message.
  if (detail !== undefined) expect((caught as NoiseError).message).toContain(`version ${detail}`);
}

/** Replays every HKDF and encryptWithAD step of a trace with our primitives. */
function checkTrace(trace: TraceOp[]): number {
  let checked = 0;
  trace.forEach((op, i) => {
    const next = trace[i + 1];
    if (op.op === 'hkdf' && next?.op === 'hkdf_output') {
      const [ck, k] = hkdf2(fromHex(op.salt_ck), fromHex(op.ikm));
      expect(toHex(ck)).toBe(next.ck);
      expect(toHex(k)).toBe(next.temp_k1 ?? next.temp_k2 ?? next.temp_k3);
      checked++;
    }
    if (op.op === 'encryptWithAD' && next?.op === 'c') {
      const n = Number(new DataView(fromHex(op.nonce).buffer).getBigUint64(4, true));
      expect(toHex(nonceBytes(n))).toBe(op.nonce);
      expect(toHex(encryptWithAD(fromHex(op.key), n, fromHex(op.ad), fromHex(op.plaintext)))).toBe(next.value);
      checked++;
    }
  });
  return checked;
}

const initiators = BOLT08.initiator_tests;
const responders = BOLT08.responder_tests;

describe('BOLT 8 vectors: keys', () => {
  it('static and ephemeral public keys derive from the private keys', () => {
    for (const v of [...initiators, ...responders]) {
      expect(toHex(pubkeyCreate(fromHex(v.ls_priv)))).toBe(v.ls_pub);
      expect(toHex(pubkeyCreate(fromHex(v.e_priv)))).toBe(v.e_pub);
    }
  });
  it('every traced HKDF and encryptWithAD step reproduces', () => {
    let n = 0;
    for (const v of [...initiators, ...responders]) {
      for (const act of [v.acts.act_one, v.acts.act_two, v.acts.act_three]) if (act?.trace) n += checkTrace(act.trace);
    }
    expect(n).toBe(9); // 6 HKDF and 3 encryptWithAD steps are traced in the spec
  });
});

function initiatorFor(v: HandshakeVector): InitiatorHandshake {
  return new InitiatorHandshake({ localSecret: fromHex(v.ls_priv), remoteStatic: fromHex(v.rs_pub!), ephemeralSecret: fromHex(v.e_priv) });
}

describe('BOLT 8 vectors: initiator (act API)', () => {
  expect(initiators).toHaveLength(5);
  for (const v of initiators) {
    it(v.name, () => {
      const hs = initiatorFor(v);
      expect(toHex(hs.actOne())).toBe(v.acts.act_one.output);
      const act2 = fromHex(v.acts.act_two!.input!);
      if (v.expected_error === null) {
        const { actThree, result } = hs.actTwo(act2);
        expect(toHex(actThree)).toBe(v.acts.act_three!.output);
        expect(toHex(result.ck)).toBe(v.result!.ck);
        expect(toHex(result.sk)).toBe(v.result!.sk);
        expect(toHex(result.rk)).toBe(v.result!.rk);
        expect(toHex(result.remoteStatic)).toBe(v.rs_pub);
      } else {
        expectNoiseError(() => hs.actTwo(act2), v.expected_error, v.expected_error_detail);
      }
    });
  }
});

describe('BOLT 8 vectors: responder (act API)', () => {
  expect(responders).toHaveLength(10);
  for (const v of responders) {
    it(v.name, () => {
      const hs = new ResponderHandshake({ localSecret: fromHex(v.ls_priv), ephemeralSecret: fromHex(v.e_priv) });
      const act1 = fromHex(v.acts.act_one.input!);
      if (v.expected_error?.startsWith('ACT1')) {
        expectNoiseError(() => hs.actOne(act1), v.expected_error);
        return;
      }
      expect(toHex(hs.actOne(act1))).toBe(v.acts.act_two!.output);
      const act3 = fromHex(v.acts.act_three!.input!);
      if (v.expected_error === null) {
        const r = hs.actThree(act3);
        expect(toHex(r.ck)).toBe(v.result!.ck);
        expect(toHex(r.sk)).toBe(v.result!.sk);
        expect(toHex(r.rk)).toBe(v.result!.rk);
        // The initiator's static key from the initiator vector (ls_pub 0x1111... key).
        expect(toHex(r.remoteStatic)).toBe(initiators[0]!.ls_pub);
      } else {
        expectNoiseError(() => hs.actThree(act3), v.expected_error, v.expected_error_detail);
      }
    });
  }
});

/** Feeds bytes one at a time and collects every output until nothing is left. */
function feedBytewise(s: NoiseSession, bytes: Uint8Array): { sent: string[]; handshake: string | undefined } {
  const sent: string[] = [];
  let handshake: string | undefined;
  for (const b of bytes) {
    s.push(new Uint8Array([b]));
    for (let o = s.next(); o; o = s.next()) {
      if (o.type === 'send') sent.push(toHex(o.data));
      else if (o.type === 'handshake') handshake = toHex(o.remoteStatic);
    }
  }
  return { sent, handshake };
}

describe('BOLT 8 vectors: streaming session, 1-byte chunks', () => {
  for (const v of initiators) {
    it(v.name, () => {
      const s = NoiseSession.initiator({ localSecret: fromHex(v.ls_priv), remoteStatic: fromHex(v.rs_pub!), ephemeralSecret: fromHex(v.e_priv) });
      expect(toHex(s.start()!)).toBe(v.acts.act_one.output);
      const act2 = fromHex(v.acts.act_two!.input!);
      if (v.expected_error === null) {
        const r = feedBytewise(s, act2);
        expect(r.sent).toEqual([v.acts.act_three!.output]);
        expect(r.handshake).toBe(v.rs_pub);
        expect(s.state).toBe('transport');
      } else if (v.expected_error === 'ACT2_READ_FAILED') {
        expect(feedBytewise(s, act2).sent).toEqual([]);
        expectNoiseError(() => s.end(), 'ACT2_READ_FAILED');
        expect(s.state).toBe('failed');
      } else {
        expectNoiseError(() => feedBytewise(s, act2), v.expected_error);
        expect(s.state).toBe('failed');
        expectNoiseError(() => s.next(), v.expected_error); // stays failed
      }
    });
  }
  for (const v of responders) {
    it(v.name, () => {
      const s = NoiseSession.responder({ localSecret: fromHex(v.ls_priv), ephemeralSecret: fromHex(v.e_priv) });
      expect(s.start()).toBeNull();
      const all = fromHex(v.acts.act_one.input! + (v.acts.act_three?.input ?? ''));
      const code = v.expected_error;
      if (code === null) {
        const r = feedBytewise(s, all);
        expect(r.sent).toEqual([v.acts.act_two!.output]);
        expect(r.handshake).toBe(initiators[0]!.ls_pub);
      } else if (code.endsWith('READ_FAILED')) {
        feedBytewise(s, all);
        expectNoiseError(() => s.end(), code);
      } else {
        expectNoiseError(() => feedBytewise(s, all), code);
      }
    });
  }
});

describe('BOLT 8 handshake API misuse', () => {
  const v = initiators[0]!;
  it('rejects an invalid responder key and local key', () => {
    expectNoiseError(() => new InitiatorHandshake({ localSecret: fromHex(v.ls_priv), remoteStatic: new Uint8Array(33) }), 'BAD_REMOTE_KEY');
    expectNoiseError(() => new InitiatorHandshake({ localSecret: new Uint8Array(32), remoteStatic: fromHex(v.rs_pub!) }), 'BAD_LOCAL_KEY');
  });
  it('acts out of order are BAD_STATE', () => {
    const hs = initiatorFor(v);
    expectNoiseError(() => hs.actTwo(fromHex(v.acts.act_two!.input!)), 'BAD_STATE');
    hs.actOne();
    expectNoiseError(() => hs.actOne(), 'BAD_STATE');
  });
  it('a fresh random ephemeral key per handshake', () => {
    const a = new InitiatorHandshake({ localSecret: fromHex(v.ls_priv), remoteStatic: fromHex(v.rs_pub!) }).actOne();
    const b = new InitiatorHandshake({ localSecret: fromHex(v.ls_priv), remoteStatic: fromHex(v.rs_pub!) }).actOne();
    expect(toHex(a.subarray(1, 34))).not.toBe(toHex(b.subarray(1, 34)));
  });
});
