// A pure-JS Sphinx onion build on @noble/curves + @noble/hashes + @noble/ciphers, independent of
// src/ (no crypto facade, no WASM): the benchmark baseline and a cross-check of the production
// build. Same contract as the kernel: payloads already framed with their BigSize length.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { chacha20 } from '@noble/ciphers/chacha.js';

const Point = secp256k1.Point;
const N = Point.CURVE().n;
const enc = new TextEncoder();
const ZERO_NONCE = new Uint8Array(12);

function big(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function key(type: string, secret: Uint8Array): Uint8Array {
  return hmac(sha256, enc.encode(type), secret);
}

function stream(k: Uint8Array, n: number): Uint8Array {
  return chacha20(k, ZERO_NONCE, new Uint8Array(n));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function sphinxBuildPureJs(
  sessionKey: Uint8Array,
  hopPubkeys: Uint8Array[],
  framedPayloads: Uint8Array[],
  associatedData: Uint8Array,
  routingInfoSize = 1300,
): { packet: Uint8Array; sharedSecrets: Uint8Array[] } {
  const n = hopPubkeys.length;
  let e = big(sessionKey);
  const ephemerals: Uint8Array[] = [];
  const secrets: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const E = Point.BASE.multiply(e).toBytes(true);
    const ss = sha256(Point.fromBytes(hopPubkeys[i]!).multiply(e).toBytes(true));
    ephemerals.push(E);
    secrets.push(ss);
    e = (e * big(sha256(concat(E, ss)))) % N;
  }
  const sizes = framedPayloads.map((p) => p.length + 32);
  if (sizes.reduce((a, b) => a + b, 0) > routingInfoSize) throw new Error('payloads do not fit');
  const rho = secrets.map((s) => key('rho', s));

  const fillerLen = sizes.slice(0, -1).reduce((a, b) => a + b, 0);
  const filler = new Uint8Array(fillerLen);
  let filled = 0;
  for (let i = 0; i < n - 1; i++) {
    filled += sizes[i]!;
    const s = stream(rho[i]!, routingInfoSize + sizes[i]!);
    const from = routingInfoSize + sizes[i]! - filled;
    for (let j = 0; j < filled; j++) filler[j]! ^= s[from + j]!;
  }

  const routing = stream(key('pad', sessionKey), routingInfoSize);
  let next = new Uint8Array(32);
  for (let i = n - 1; i >= 0; i--) {
    routing.copyWithin(sizes[i]!, 0, routingInfoSize - sizes[i]!);
    routing.set(framedPayloads[i]!, 0);
    routing.set(next, framedPayloads[i]!.length);
    const s = stream(rho[i]!, routingInfoSize);
    for (let j = 0; j < routingInfoSize; j++) routing[j]! ^= s[j]!;
    if (i === n - 1) routing.set(filler, routingInfoSize - fillerLen);
    next = hmac(sha256, key('mu', secrets[i]!), concat(routing, associatedData));
  }
  return { packet: concat(new Uint8Array([0]), ephemerals[0]!, routing, next), sharedSecrets: secrets };
}
