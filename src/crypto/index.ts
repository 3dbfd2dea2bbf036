export * from './secp256k1.js';
export * from './errors.js';
