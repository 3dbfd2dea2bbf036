export * from './types.js';
export * from './static.js';
export * from './esplora.js';
export * from './bitcoind.js';
export * from './bitcoind-rpc.js';
export * from './spec.js';
