// Drives PeerCore instances in tests: a pair of our own cores, or one core against a raw BOLT 8
// session the test scripts message by message.
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { NoiseSession, generateSecret } from '../../../src/noise/index.js';
import { PeerCore, type PeerAction, type PeerCoreConfig, type PeerEvent } from '../../../src/peer/core.js';
import { PeerError } from '../../../src/peer/errors.js';
import { chainHash, decodeMessage, encodeMessage, featureBits, type UnknownMessage, type WireMessage } from '../../../src/wire/index.js';
import type { Bytes } from '../../../src/util/bytes.js';

export const REGTEST = chainHash('regtest');
export const FEATURES = featureBits({ var_onion_optin: 'required', payment_secret: 'required', basic_mpp: 'optional', option_static_remotekey: 'required' });

export interface Side {
  core: PeerCore;
  events: PeerEvent[];
  closed: PeerError | null | undefined;
  secret: Bytes;
  pub: Bytes;
}

export function config(role: 'initiator' | 'responder', secret: Bytes, extra: Partial<PeerCoreConfig> = {}): PeerCoreConfig {
  return { role, localSecret: secret, features: FEATURES, chains: [REGTEST], ...extra };
}

export function side(core: PeerCore, secret: Bytes): Side {
  return { core, events: [], closed: undefined, secret, pub: pubkeyCreate(secret) };
}

/** Applies actions of `from`: writes go to `to` (if given), events and close are recorded. */
export function apply(from: Side, actions: PeerAction[], to: Side | undefined, now: number): void {
  // Record this side's events first, then deliver its writes (as a socket would, later).
  for (const a of actions) {
    if (a.type === 'event') from.events.push(a.event);
    else if (a.type === 'close') from.closed = a.error;
  }
  for (const a of actions) if (a.type === 'write' && to) apply(to, to.core.receive(a.bytes, now), from, now);
}

export function pair(now = 0, a: Partial<PeerCoreConfig> = {}, b: Partial<PeerCoreConfig> = {}): { i: Side; r: Side } {
  const iSecret = generateSecret();
  const rSecret = generateSecret();
  const r = side(new PeerCore(config('responder', rSecret, b), now), rSecret);
  const i = side(new PeerCore(config('initiator', iSecret, { remoteNodeId: r.pub, ...a }), now), iSecret);
  apply(i, i.core.start(), r, now);
  return { i, r };
}

/** A scripted remote: a bare BOLT 8 session the test feeds and reads by hand. */
export class RawPeer {
  readonly secret = generateSecret();
  readonly pub = pubkeyCreate(this.secret);
  readonly received: (WireMessage | UnknownMessage)[] = [];
  session: NoiseSession;
  us: Side;

  /** `ourRole` is the role of the PeerCore under test. */
  constructor(ourRole: 'initiator' | 'responder', extra: Partial<PeerCoreConfig> = {}, now = 0) {
    const ourSecret = generateSecret();
    if (ourRole === 'initiator') {
      this.session = NoiseSession.responder({ localSecret: this.secret });
      this.us = side(new PeerCore(config('initiator', ourSecret, { remoteNodeId: this.pub, ...extra }), now), ourSecret);
      this.feed(this.us.core.start());
    } else {
      this.us = side(new PeerCore(config('responder', ourSecret, extra), now), ourSecret);
      this.session = NoiseSession.initiator({ localSecret: this.secret, remoteStatic: this.us.pub });
      this.toUs(this.session.start()!, now);
    }
  }

  /** Bytes from our core arrive at the raw peer; its handshake replies go back. */
  feed(actions: PeerAction[], now = 0): void {
    for (const a of actions) {
      if (a.type === 'event') this.us.events.push(a.event);
      else if (a.type === 'close') this.us.closed = a.error;
      else {
        this.session.push(a.bytes);
        for (let o = this.session.next(); o; o = this.session.next()) {
          if (o.type === 'send') this.toUs(o.data, now);
          else if (o.type === 'message') this.received.push(decodeMessage(o.data));
        }
      }
    }
  }

  toUs(bytes: Bytes, now = 0): void {
    this.feed(this.us.core.receive(bytes, now), now);
  }

  send(m: WireMessage | UnknownMessage, now = 0): void {
    this.sendRaw(encodeMessage(m), now);
  }

  sendRaw(bytes: Bytes, now = 0): void {
    this.toUs(this.session.encrypt(bytes), now);
  }

  init(features: Bytes = FEATURES, tlvs: { networks?: Bytes[]; remote_addr?: Bytes } = { networks: [REGTEST] }, now = 0): void {
    this.send({ type: 'init', global_features: new Uint8Array(0), features, tlvs }, now);
  }

  tick(now: number): void {
    this.feed(this.us.core.tick(now), now);
  }
}
