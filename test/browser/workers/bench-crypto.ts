// Chromium-worker half of bench/suites/crypto.mjs: the shared measurements of
// bench/lib/crypto-bench.mjs on src/crypto (WASM, loaded from its default URL) and @noble/curves.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as crypto from '../../../src/crypto/index.js';
import { runCryptoBench, type CryptoBenchOptions, type CryptoBenchResult } from '../../../bench/lib/crypto-bench.mjs';

export default async function benchCrypto(args: unknown): Promise<CryptoBenchResult> {
  await crypto.initCrypto();
  return runCryptoBench({ crypto, secp256k1, sha256 }, (args ?? {}) as CryptoBenchOptions);
}
