// Loads the WASM crypto module in a module Worker from the requested kind of source, then runs
// the shared sample of operations (crypto-sample.ts); crypto.spec.ts compares it with Node's.
import { initCrypto, secp256k1BackendName } from '../../../src/crypto/index.js';
import { runSample, type CryptoSample, type SampleInput } from './crypto-sample.js';

export type CryptoSource = 'default' | 'url' | 'url-string' | 'bytes' | 'module' | 'response';

export interface CryptoOpsArgs {
  source: CryptoSource;
  sample: SampleInput;
}

async function load(source: CryptoSource): Promise<void> {
  const url = new URL('/wasm/lightning.wasm', self.location.origin);
  switch (source) {
    case 'default':
      return initCrypto();
    case 'url':
      return initCrypto(url);
    case 'url-string':
      return initCrypto(url.href);
    case 'bytes':
      return initCrypto(new Uint8Array(await (await fetch(url)).arrayBuffer()));
    case 'module':
      return initCrypto(await WebAssembly.compileStreaming(fetch(url)));
    case 'response':
      return initCrypto(fetch(url));
  }
}

export default async function cryptoOps(args: unknown): Promise<{ backend: string | undefined; sample: CryptoSample }> {
  const { source, sample } = args as CryptoOpsArgs;
  await load(source);
  return { backend: secp256k1BackendName(), sample: runSample(sample) };
}
