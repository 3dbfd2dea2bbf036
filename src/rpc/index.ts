// Core Lightning's JSON-RPC conventions shared by every method.
export * from './errors.js';
export * from './json-parse.js';
export * from './json-write.js';
export * from './msat.js';
export * from './params.js';
export * from './parsers.js';
export * from './envelope.js';
export * from './dispatch.js';
