// BOLT 8 handshake: Noise_XK_secp256k1_ChaChaPoly_SHA256 with prologue "lightning", three acts.
// Pure and synchronous: each method takes one complete act and returns the next one (or the
// session keys). Which bytes form an act is the stream layer's job (./session.ts).
import { ecdh, isValidPubkey, isValidSecret, pubkeyCreate, randomBytes, sha256 } from '../crypto/secp256k1.js';
import { concatBytes, utf8, type Bytes } from '../util/bytes.js';
import { decryptWithAD, encryptWithAD } from './aead.js';
import { NoiseError, type NoiseErrorCode } from './errors.js';
import { hkdf2 } from './hkdf.js';

export const ACT_ONE_LENGTH = 50;
export const ACT_TWO_LENGTH = 50;
export const ACT_THREE_LENGTH = 66;

const PROTOCOL_NAME = utf8('Noise_XK_secp256k1_ChaChaPoly_SHA256');
const PROLOGUE = utf8('lightning');
const EMPTY = new Uint8Array(0);

/** Keys of an established transport, from one side's point of view. */
export interface HandshakeResult {
  /** The peer's static public key (33 bytes): its node id. */
  remoteStatic: Bytes;
  /** Our sending key, our receiving key and the shared chaining key both directions start from. */
  sk: Bytes;
  rk: Bytes;
  ck: Bytes;
}

export interface InitiatorOptions {
  /** Our node secret key (32 bytes). */
  localSecret: Bytes;
  /** The responder's node id (33 bytes): known beforehand, never learnt from a proxy. */
  remoteStatic: Bytes;
  /** Only for test vectors; otherwise a fresh random key per handshake. */
  ephemeralSecret?: Bytes;
}

export interface ResponderOptions {
  localSecret: Bytes;
  ephemeralSecret?: Bytes;
}

/** A fresh random valid secret (the loop practically never repeats). */
export function generateSecret(): Bytes {
  for (;;) {
    const k = randomBytes(32);
    if (isValidSecret(k)) return k;
  }
}

function checkSecret(k: Bytes, what: string): Bytes {
  if (!(k instanceof Uint8Array) || !isValidSecret(k)) throw new NoiseError('BAD_LOCAL_KEY', `${what} is not a valid secret key`);
  return k.slice();
}

/** The h/ck pair Noise threads through the handshake. */
class SymmetricState {
  h: Bytes;
  ck: Bytes;
  constructor(responderStatic: Bytes) {
    this.h = sha256(PROTOCOL_NAME);
    this.ck = this.h;
    this.mixHash(PROLOGUE);
    this.mixHash(responderStatic);
  }
  mixHash(data: Bytes): void {
    this.h = sha256(concatBytes(this.h, data));
  }
  /** ck, temp_k = HKDF(ck, ikm); returns temp_k. */
  mixKey(ikm: Bytes): Bytes {
    const [ck, k] = hkdf2(this.ck, ikm);
    this.ck = ck;
    return k;
  }
  /** The final split: HKDF(ck, zero-length). First key is the initiator's sending key. */
  split(): [Bytes, Bytes] {
    return hkdf2(this.ck, EMPTY);
  }
}

type ActNum = 1 | 2 | 3;
function fail(act: ActNum, what: 'READ_FAILED' | 'BAD_VERSION' | 'BAD_PUBKEY' | 'BAD_TAG' | 'BAD_CIPHERTEXT', message: string): NoiseError {
  return new NoiseError(`ACT${act}_${what}` as NoiseErrorCode, message);
}

/** Splits a 50-byte act (version, ephemeral key, tag) after checking length, version and key. */
function parseEphemeralAct(act: ActNum, input: Bytes): { re: Bytes; c: Bytes } {
  if (!(input instanceof Uint8Array) || input.length !== 50) {
    throw fail(act, 'READ_FAILED', `act ${act} must be 50 bytes, got ${input instanceof Uint8Array ? input.length : 'none'}`);
  }
  if (input[0] !== 0) throw fail(act, 'BAD_VERSION', `act ${act}: unknown handshake version ${input[0]!}`);
  const re = input.subarray(1, 34);
  if (!isValidPubkey(re)) throw fail(act, 'BAD_PUBKEY', `act ${act}: invalid ephemeral public key`);
  return { re: re.slice(), c: input.subarray(34, 50) };
}

function ephemeralAct(ePub: Bytes, c: Bytes): Bytes {
  const out = new Uint8Array(50);
  out[0] = 0;
  out.set(ePub, 1);
  out.set(c, 34);
  return out;
}

export class InitiatorHandshake {
  private readonly s: Bytes;
  private readonly sPub: Bytes;
  private readonly rs: Bytes;
  private readonly e: Bytes;
  private readonly ePub: Bytes;
  private readonly ss: SymmetricState;
  private step: 'act1' | 'act2' | 'done' = 'act1';

  constructor(opts: InitiatorOptions) {
    this.s = checkSecret(opts.localSecret, 'local static key');
    if (!(opts.remoteStatic instanceof Uint8Array) || !isValidPubkey(opts.remoteStatic)) {
      throw new NoiseError('BAD_REMOTE_KEY', 'the responder node id is not a valid public key');
    }
    this.rs = opts.remoteStatic.slice();
    this.e = opts.ephemeralSecret ? checkSecret(opts.ephemeralSecret, 'ephemeral key') : generateSecret();
    this.sPub = pubkeyCreate(this.s);
    this.ePub = pubkeyCreate(this.e);
    this.ss = new SymmetricState(this.rs);
  }

  /** Act one: 0x00 || e.pub || tag, 50 bytes. */
  actOne(): Bytes {
    if (this.step !== 'act1') throw new NoiseError('BAD_STATE', 'act one already sent');
    this.ss.mixHash(this.ePub);
    const tempK1 = this.ss.mixKey(ecdh(this.e, this.rs));
    const c = encryptWithAD(tempK1, 0, this.ss.h, EMPTY);
    this.ss.mixHash(c);
    this.step = 'act2';
    return ephemeralAct(this.ePub, c);
  }

  /** Verifies act two; returns act three (66 bytes) and the transport keys. */
  actTwo(input: Bytes): { actThree: Bytes; result: HandshakeResult } {
    if (this.step !== 'act2') throw new NoiseError('BAD_STATE', 'act two is not expected now');
    this.step = 'done'; // one attempt only: a failed act poisons the handshake
    const { re, c } = parseEphemeralAct(2, input);
    this.ss.mixHash(re);
    const tempK2 = this.ss.mixKey(ecdh(this.e, re));
    if (decryptWithAD(tempK2, 0, this.ss.h, c) === null) throw fail(2, 'BAD_TAG', 'act two: bad MAC');
    this.ss.mixHash(c);

    const encS = encryptWithAD(tempK2, 1, this.ss.h, this.sPub);
    this.ss.mixHash(encS);
    const tempK3 = this.ss.mixKey(ecdh(this.s, re));
    const t = encryptWithAD(tempK3, 0, this.ss.h, EMPTY);
    const [sk, rk] = this.ss.split();
    const actThree = new Uint8Array(ACT_THREE_LENGTH);
    actThree[0] = 0;
    actThree.set(encS, 1);
    actThree.set(t, 50);
    return { actThree, result: { remoteStatic: this.rs.slice(), sk, rk, ck: this.ss.ck } };
  }
}

export class ResponderHandshake {
  private readonly s: Bytes;
  private readonly e: Bytes;
  private readonly ePub: Bytes;
  private readonly ss: SymmetricState;
  private re: Bytes | undefined;
  private tempK2: Bytes | undefined;
  private step: 'act1' | 'act3' | 'done' = 'act1';

  constructor(opts: ResponderOptions) {
    this.s = checkSecret(opts.localSecret, 'local static key');
    this.e = opts.ephemeralSecret ? checkSecret(opts.ephemeralSecret, 'ephemeral key') : generateSecret();
    this.ePub = pubkeyCreate(this.e);
    this.ss = new SymmetricState(pubkeyCreate(this.s));
  }

  /** Verifies act one; returns act two (50 bytes). */
  actOne(input: Bytes): Bytes {
    if (this.step !== 'act1') throw new NoiseError('BAD_STATE', 'act one is not expected now');
    this.step = 'done';
    const { re, c } = parseEphemeralAct(1, input);
    this.ss.mixHash(re);
    const tempK1 = this.ss.mixKey(ecdh(this.s, re));
    if (decryptWithAD(tempK1, 0, this.ss.h, c) === null) throw fail(1, 'BAD_TAG', 'act one: bad MAC');
    this.ss.mixHash(c);

    this.ss.mixHash(this.ePub);
    const tempK2 = this.ss.mixKey(ecdh(this.e, re));
    const c2 = encryptWithAD(tempK2, 0, this.ss.h, EMPTY);
    this.ss.mixHash(c2);
    this.re = re;
    this.tempK2 = tempK2;
    this.step = 'act3';
    return ephemeralAct(this.ePub, c2);
  }

  /** Verifies act three; returns the initiator's static key and the transport keys. */
  actThree(input: Bytes): HandshakeResult {
    if (this.step !== 'act3' || !this.tempK2 || !this.re) throw new NoiseError('BAD_STATE', 'act three is not expected now');
    this.step = 'done';
    if (!(input instanceof Uint8Array) || input.length !== ACT_THREE_LENGTH) {
      throw fail(3, 'READ_FAILED', `act 3 must be 66 bytes, got ${input instanceof Uint8Array ? input.length : 'none'}`);
    }
    if (input[0] !== 0) throw fail(3, 'BAD_VERSION', `act 3: unknown handshake version ${input[0]!}`);
    const encS = input.subarray(1, 50);
    const t = input.subarray(50, 66);
    const rs = decryptWithAD(this.tempK2, 1, this.ss.h, encS);
    if (rs === null) throw fail(3, 'BAD_CIPHERTEXT', 'act 3: bad MAC on the encrypted static key');
    if (!isValidPubkey(rs)) throw fail(3, 'BAD_PUBKEY', 'act 3: invalid static public key');
    this.ss.mixHash(encS);
    const tempK3 = this.ss.mixKey(ecdh(this.e, rs));
    if (decryptWithAD(tempK3, 0, this.ss.h, t) === null) throw fail(3, 'BAD_TAG', 'act 3: bad MAC');
    const [rk, sk] = this.ss.split();
    return { remoteStatic: rs, sk, rk, ck: this.ss.ck };
  }
}
