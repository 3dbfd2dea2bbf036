// Deterministic pseudo-random inputs for the cross-checks: SHA-256 in counter mode over a label,
// so a failing case is reproducible from its test name and index.
import { sha256 } from '@noble/hashes/sha2.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { utf8 } from '../../../../src/util/bytes.js';

export const N = secp256k1.Point.CURVE().n;
export const P = secp256k1.Point.CURVE().p;

export function toBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

export function to32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Scalars at and around the group order's edges, where range checks go wrong. */
export const EDGE_SCALARS: Uint8Array[] = [0n, 1n, 2n, N - 2n, N - 1n, N, N + 1n, (1n << 256n) - 1n].map(to32);

export class Rng {
  private counter = 0;
  private pool = new Uint8Array(0);
  private pos = 0;

  constructor(private readonly label: string) {}

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (this.pos === this.pool.length) {
        this.pool = sha256(utf8(`${this.label}/${this.counter++}`));
        this.pos = 0;
      }
      out[i] = this.pool[this.pos++]!;
    }
    return out;
  }

  /** Uniform-ish integer in [0, max). */
  int(max: number): number {
    const b = this.bytes(4);
    return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) % max;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A 32-byte scalar: usually random, sometimes one of the edge values. */
  scalar(): Uint8Array {
    return this.int(8) === 0 ? this.pick(EDGE_SCALARS) : this.bytes(32);
  }

  /** A valid compressed public key. */
  pubkey(): Uint8Array {
    let k: bigint;
    do k = toBig(this.bytes(32)) % N;
    while (k === 0n);
    return secp256k1.Point.BASE.multiply(k).toBytes(true);
  }

  /** A 33-byte candidate point: valid keys, random x (half are off the curve), bad prefixes. */
  maybePubkey(): Uint8Array {
    switch (this.int(4)) {
      case 0:
      case 1:
        return this.pubkey();
      case 2: {
        const b = this.bytes(33);
        b[0] = 2 + (b[0]! & 1);
        return b;
      }
      default: {
        const b = this.pubkey();
        b[0] = this.pick([0, 1, 4, 5, 6, 7, 0xff]);
        return b;
      }
    }
  }
}
