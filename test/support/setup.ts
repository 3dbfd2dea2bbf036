// Installs the production secp256k1 backend (the WASM module, wasm/lightning.wasm) before every
// test file. Cross-checks against pure JS use ./noble-backend.ts directly.
import { initCryptoNode } from '../../src/crypto/node.js';

await initCryptoNode();
