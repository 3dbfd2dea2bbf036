export * from './secp256k1.js';
export * from './errors.js';
export { initCrypto, defaultWasmUrl, type WasmSource } from './init.js';
export { chacha20 } from './chacha20.js';
export { sphinxBuild, type SphinxKernelResult } from './sphinx-kernel.js';
// Node's default loader is `initCryptoNode` in ./node.js, deliberately not re-exported here.
