// The channel layer's public surface: BOLT 3 keys, shachain, scripts, commitment/HTLC/closing
// transactions and their signatures, plus the Bitcoin transaction model they are built on.
export * from './errors.js';
export * from './bitcoin/tx.js';
export * from './bitcoin/parse.js';
export * from './bitcoin/sighash.js';
export * from './bitcoin/script.js';
export * from './bitcoin/address.js';
export * from './channel-type.js';
export * from './keys.js';
export * from './shachain.js';
export * from './shachain-store.js';
export * from './scripts.js';
export * from './fees.js';
export * from './funding.js';
export * from './commitment.js';
export * from './commitment-views.js';
export * from './htlc-tx.js';
export * from './signatures.js';
export * from './closing.js';
