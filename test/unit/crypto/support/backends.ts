// The two backends side by side: the WASM module (installed by test/support/setup.ts) and
// @noble/curves, plus a comparison that reports which input disagreed.
import { expect } from 'vitest';
import { nobleBackend } from '../../../support/noble-backend.js';
import { wasmBackend } from '../../../../src/crypto/wasm-backend.js';
import { activeWasm } from '../../../../src/crypto/wasm-instance.js';
import type { Secp256k1Backend } from '../../../../src/crypto/secp256k1.js';
import { toHex } from '../../../../src/util/bytes.js';

export const wasm: Secp256k1Backend = wasmBackend(activeWasm());
export const noble: Secp256k1Backend = nobleBackend;

type Comparable = Uint8Array | null | boolean | { signature: Uint8Array; recoveryId: number };

function show(v: Comparable): string {
  if (v === null || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return toHex(v);
  return `${toHex(v.signature)}/${v.recoveryId}`;
}

/** Asserts both backends agree; `inputs` names the case in the failure message. */
export function same(op: string, inputs: Uint8Array[], w: Comparable, n: Comparable): void {
  if (show(w) !== show(n)) {
    expect.fail(`${op}(${inputs.map(toHex).join(', ')}): wasm ${show(w)} != noble ${show(n)}`);
  }
}

/** Iterations per operation; LW_CROSSCHECK_N raises it for longer local runs. */
export const ROUNDS = Number(process.env.LW_CROSSCHECK_N ?? 1500);
/** noble's arbitrary-point multiplication costs milliseconds; leave room on a busy machine. */
export const CROSSCHECK_TIMEOUT = 180_000;
