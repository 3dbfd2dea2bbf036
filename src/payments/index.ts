// Core Lightning's payment semantics (sendpay, waitsendpay, listsendpays, delpay, listpays, wait)
// as sans-IO decisions over attempt rows. See docs in each module; README.md says how the runtime
// (src/runtime/payments-service.ts) wires them.
export * from './types.js';
export * from './errors.js';
export * from './row.js';
export * from './failcodes.js';
export * from './scid-text.js';
export * from './format.js';
export * from './route-param.js';
export * from './params.js';
export * from './onion-plan.js';
export * from './onion-frames.js';
export * from './progress.js';
export * from './first-hop.js';
export * from './classify.js';
export * from './resolve.js';
export * from './replay.js';
export * from './self-pay.js';
export * from './sendpay.js';
export * from './clock.js';
export * from './waiters.js';
export * from './waitsendpay.js';
export * from './listsendpays.js';
export * from './invstring.js';
export * from './delpay.js';
export * from './listpays.js';
export * from './wait.js';
