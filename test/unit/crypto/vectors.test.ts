// BOLT test vectors that exercise the key operations directly: BOLT 8's key material (every
// static/ephemeral pubkey from its private key, every ECDH `ss` of the handshake traces), BOLT 3
// Appendix E key derivation via tweaks and combination, BOLT 11 signature recovery.
import { describe, expect, it } from 'vitest';
import {
  ecdh,
  pubkeyCombine,
  pubkeyCreate,
  pubkeyTweakAdd,
  pubkeyTweakMul,
  recoverPubkey,
  secretTweakAdd,
  secretTweakMul,
  sha256,
  signRecoverable,
  verifyCompact,
} from '../../../src/crypto/index.js';
import { concatBytes, fromHex, toHex } from '../../../src/util/bytes.js';
import { loadVector } from '../../support/shared.js';

interface TraceStep {
  op: string;
  value?: string;
  e_pub?: string;
  e_priv?: string;
}
interface HandshakeTest {
  name: string;
  role: 'initiator' | 'responder';
  rs_pub?: string;
  ls_priv: string;
  ls_pub: string;
  e_priv: string;
  e_pub: string;
  acts: Record<string, { trace?: TraceStep[]; input?: string; output?: string }>;
}
interface Bolt8 {
  initiator_tests: HandshakeTest[];
  responder_tests: HandshakeTest[];
}

describe('BOLT 8 key material', () => {
  const v = loadVector<Bolt8>('bolt08-transport.json');
  const tests = [...v.initiator_tests, ...v.responder_tests];

  it('derives every ls and e pubkey from its private key', () => {
    for (const t of tests) {
      expect(toHex(pubkeyCreate(fromHex(t.ls_priv))), t.name).toBe(t.ls_pub);
      expect(toHex(pubkeyCreate(fromHex(t.e_priv))), t.name).toBe(t.e_pub);
      for (const act of Object.values(t.acts)) {
        for (const step of act.trace ?? []) {
          if (step.op === 'generate_ephemeral') expect(toHex(pubkeyCreate(fromHex(step.e_priv!)))).toBe(step.e_pub);
        }
      }
    }
  });

  it('reproduces every traced ECDH shared secret', () => {
    // The successful handshakes: initiator (ls 0x11.., e 0x12..) and responder (ls 0x21.., e 0x22..).
    const init = v.initiator_tests.find((t) => t.name.includes('successful'))!;
    const resp = v.responder_tests.find((t) => t.name.includes('successful'))!;
    const [is, ie, rs, re] = [init.ls_priv, init.e_priv, resp.ls_priv, resp.e_priv].map((h) => fromHex(h));
    const [IS, IE, RS, RE] = [is!, ie!, rs!, re!].map((k) => pubkeyCreate(k));
    // Act one: es; act two: ee; act three: se. Each computed from both sides.
    const expected = [
      [ecdh(ie!, RS!), ecdh(rs!, IE!)],
      [ecdh(ie!, RE!), ecdh(re!, IE!)],
      [ecdh(is!, RE!), ecdh(re!, IS!)],
    ].map(([a, b]) => {
      expect(toHex(a!)).toBe(toHex(b!));
      return toHex(a!);
    });
    let checked = 0;
    for (const t of [init, resp]) {
      const traced = ['act_one', 'act_two', 'act_three'].map((act) => t.acts[act]?.trace?.filter((s) => s.op === 'ss').map((s) => s.value) ?? []);
      traced.forEach((values, i) => {
        for (const value of values) {
          expect(value, `${t.name} act ${i + 1}`).toBe(expected[i]);
          checked++;
        }
      });
    }
    // Only the two successful handshakes carry traces: that is every ss in the file.
    const inFile = tests.flatMap((t) => Object.values(t.acts).flatMap((a) => a.trace ?? [])).filter((s) => s.op === 'ss');
    expect(checked).toBe(inFile.length);
  });
});

interface AppendixE {
  inputs: { base_secret: string; per_commitment_secret: string; base_point: string; per_commitment_point: string };
  tests: { output_name: string; output: string }[];
}

describe('BOLT 3 Appendix E key derivation', () => {
  const { inputs, tests } = loadVector<{ appendix_e_key_derivation: AppendixE }>('bolt03-commitment.json').appendix_e_key_derivation;
  const baseSecret = fromHex(inputs.base_secret);
  const perCommitmentSecret = fromHex(inputs.per_commitment_secret);
  const basePoint = fromHex(inputs.base_point);
  const perCommitmentPoint = fromHex(inputs.per_commitment_point);
  const want = (name: string): string => tests.find((t) => t.output_name === name)!.output;

  it('points and secrets agree with each other', () => {
    expect(toHex(pubkeyCreate(baseSecret))).toBe(inputs.base_point);
    expect(toHex(pubkeyCreate(perCommitmentSecret))).toBe(inputs.per_commitment_point);
  });

  it('localpubkey = basepoint + SHA256(per_commitment_point || basepoint) * G', () => {
    const tweak = sha256(concatBytes(perCommitmentPoint, basePoint));
    expect(toHex(pubkeyTweakAdd(basePoint, tweak))).toBe(want('localpubkey'));
  });

  it('localprivkey = basepoint_secret + SHA256(per_commitment_point || basepoint)', () => {
    const tweak = sha256(concatBytes(perCommitmentPoint, basePoint));
    const priv = secretTweakAdd(baseSecret, tweak);
    expect(toHex(priv)).toBe(want('localprivkey'));
    expect(toHex(pubkeyCreate(priv))).toBe(want('localpubkey'));
  });

  it('revocationpubkey = R * SHA256(R || P) + P * SHA256(P || R)', () => {
    const r = pubkeyTweakMul(basePoint, sha256(concatBytes(basePoint, perCommitmentPoint)));
    const p = pubkeyTweakMul(perCommitmentPoint, sha256(concatBytes(perCommitmentPoint, basePoint)));
    expect(toHex(pubkeyCombine([r, p]))).toBe(want('revocationpubkey'));
  });

  it('revocationprivkey = r * SHA256(R || P) + p * SHA256(P || R)', () => {
    const a = secretTweakMul(baseSecret, sha256(concatBytes(basePoint, perCommitmentPoint)));
    const b = secretTweakMul(perCommitmentSecret, sha256(concatBytes(perCommitmentPoint, basePoint)));
    const priv = secretTweakAdd(a, b);
    expect(toHex(priv)).toBe(want('revocationprivkey'));
    expect(toHex(pubkeyCreate(priv))).toBe(want('revocationpubkey'));
  });
});

interface Bolt11 {
  conventions: { signing_key: { priv_key: string; payee_pubkey: string } };
  valid: { title: string; signing_hash: string; signing_data: string; payee_pubkey: string; signature: { rs: string; recovery_id: number; high_s: boolean } }[];
}

describe('BOLT 11 signatures', () => {
  const v = loadVector<Bolt11>('bolt11-invoices.json');
  const priv = fromHex(v.conventions.signing_key.priv_key);

  it('recovers the payee pubkey of every valid invoice (including the high-S one)', () => {
    for (const inv of v.valid) {
      const hash = fromHex(inv.signing_hash);
      expect(toHex(sha256(fromHex(inv.signing_data))), inv.title).toBe(inv.signing_hash);
      const key = recoverPubkey(hash, fromHex(inv.signature.rs), inv.signature.recovery_id);
      expect(toHex(key), inv.title).toBe(inv.payee_pubkey);
    }
    expect(v.valid.some((inv) => inv.signature.high_s)).toBe(true);
  });

  it('re-signs each low-S invoice hash to the same signature and recovery id (RFC 6979)', () => {
    for (const inv of v.valid.filter((i) => !i.signature.high_s)) {
      const hash = fromHex(inv.signing_hash);
      const sig = signRecoverable(hash, priv);
      expect({ rs: toHex(sig.signature), id: sig.recoveryId }, inv.title).toEqual({ rs: inv.signature.rs, id: inv.signature.recovery_id });
      expect(verifyCompact(sig.signature, hash, fromHex(v.conventions.signing_key.payee_pubkey))).toBe(true);
    }
  });

  it('rejects the high-S signature in strict verification although recovery accepts it', () => {
    const inv = v.valid.find((i) => i.signature.high_s)!;
    expect(verifyCompact(fromHex(inv.signature.rs), fromHex(inv.signing_hash), fromHex(inv.payee_pubkey))).toBe(false);
  });
});
