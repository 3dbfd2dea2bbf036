// Types of crypto-bench.mjs, for the Chromium worker (test/browser/workers/bench-crypto.ts).
import type { Measurement, RunsMeasurement } from './timing.mjs';

type Op = 'pubkey_create' | 'ecdh' | 'sign' | 'verify';

export interface CryptoBenchOptions {
  timing?: { warmupMs?: number; batches?: number; batchMs?: number };
  onionRuns?: { runs?: number; warmup?: number };
}

export interface CryptoBenchModules {
  crypto: {
    secp256k1BackendName(): string | undefined;
    pubkeyCreate(sk: Uint8Array): Uint8Array;
    ecdh(sk: Uint8Array, pk: Uint8Array): Uint8Array;
    signCompact(msg: Uint8Array, sk: Uint8Array): Uint8Array;
    verifyCompact(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean;
    sphinxBuild(session: Uint8Array, pubkeys: Uint8Array[], payloads: Uint8Array[], ad: Uint8Array): unknown;
  };
  secp256k1: {
    getPublicKey(sk: Uint8Array, compressed: boolean): Uint8Array;
    getSharedSecret(sk: Uint8Array, pk: Uint8Array, compressed: boolean): Uint8Array;
    sign(msg: Uint8Array, sk: Uint8Array, opts: { prehash: boolean }): Uint8Array;
    verify(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array, opts: { prehash: boolean }): boolean;
  };
  sha256(data: Uint8Array): Uint8Array;
}

export interface CryptoBenchResult {
  backend: string | undefined;
  wasm_us: Record<Op, Measurement>;
  noble_us: Record<Op, Measurement>;
  onion_20_hops_ms: RunsMeasurement;
}

export function runCryptoBench(mods: CryptoBenchModules, opts?: CryptoBenchOptions): CryptoBenchResult;
