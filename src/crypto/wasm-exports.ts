// The ABI of wasm/lightning.wasm (see wasm/README.md): pointers are i32 offsets into the module's
// memory, sizes are wasm32 size_t (i32), results are status codes. `bindExports` checks a
// freshly instantiated module against it, so a stale or foreign .wasm fails at load time with a
// clear error instead of at the first call.
import { CryptoError } from './errors.js';

type Ptr = number;

export interface LwExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  lw_init(seed32: Ptr): number;
  lw_illegal_count(): number;
  lw_seckey_verify(sk32: Ptr): number;
  lw_pubkey_create(out33: Ptr, sk32: Ptr): number;
  lw_ecdh(out32: Ptr, sk32: Ptr, pub: Ptr, publen: number): number;
  lw_pubkey_parse(out33: Ptr, pub: Ptr, publen: number): number;
  lw_pubkey_decompress(out65: Ptr, pub: Ptr, publen: number): number;
  lw_pubkey_tweak_add(out33: Ptr, pub: Ptr, publen: number, tweak32: Ptr): number;
  lw_pubkey_tweak_mul(out33: Ptr, pub: Ptr, publen: number, tweak32: Ptr): number;
  lw_pubkey_combine_work_size(n: number): number;
  lw_pubkey_combine(out33: Ptr, pubs: Ptr, n: number, work: Ptr): number;
  lw_seckey_tweak_add(out32: Ptr, sk32: Ptr, tweak32: Ptr): number;
  lw_seckey_tweak_mul(out32: Ptr, sk32: Ptr, tweak32: Ptr): number;
  lw_sign_compact(out64: Ptr, msg32: Ptr, sk32: Ptr): number;
  lw_sign_recoverable(out64: Ptr, msg32: Ptr, sk32: Ptr): number;
  lw_recover(out33: Ptr, msg32: Ptr, sig64: Ptr, recid: number): number;
  lw_verify(sig64: Ptr, msg32: Ptr, pub: Ptr, publen: number): number;
  lw_compact_to_der(out72: Ptr, sig64: Ptr): number;
  lw_der_to_compact(out64: Ptr, der: Ptr, derlen: number): number;
  lw_normalize_s(out64: Ptr, sig64: Ptr): number;
  lw_sha256(out32: Ptr, data: Ptr, len: number): void;
  lw_hmac_sha256(out32: Ptr, key: Ptr, keylen: number, data: Ptr, len: number): void;
  lw_chacha20(out: Ptr, input: Ptr, len: number, key32: Ptr, nonce12: Ptr, counter: number): void;
  lw_sphinx_work_size(nHops: number, routingInfoSize: number): number;
  lw_sphinx_build(
    packet: Ptr,
    shared: Ptr,
    sessionKey: Ptr,
    pubkeys: Ptr,
    payloads: Ptr,
    lens: Ptr,
    n: number,
    assoc: Ptr,
    assocLen: number,
    routingInfoSize: number,
    work: Ptr,
  ): number;
}

const FUNCTIONS = [
  'lw_init',
  'lw_illegal_count',
  'lw_seckey_verify',
  'lw_pubkey_create',
  'lw_ecdh',
  'lw_pubkey_parse',
  'lw_pubkey_decompress',
  'lw_pubkey_tweak_add',
  'lw_pubkey_tweak_mul',
  'lw_pubkey_combine_work_size',
  'lw_pubkey_combine',
  'lw_seckey_tweak_add',
  'lw_seckey_tweak_mul',
  'lw_sign_compact',
  'lw_sign_recoverable',
  'lw_recover',
  'lw_verify',
  'lw_compact_to_der',
  'lw_der_to_compact',
  'lw_normalize_s',
  'lw_sha256',
  'lw_hmac_sha256',
  'lw_chacha20',
  'lw_sphinx_work_size',
  'lw_sphinx_build',
] as const satisfies readonly (keyof LwExports)[];

export function bindExports(exports: WebAssembly.Exports): LwExports {
  const missing: string[] = FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (!(exports.memory instanceof WebAssembly.Memory)) missing.push('memory');
  if (!(exports.__heap_base instanceof WebAssembly.Global)) missing.push('__heap_base');
  if (missing.length > 0) {
    throw new CryptoError('WASM_LOAD', `not the lightning-worker crypto module (missing exports: ${missing.join(', ')})`);
  }
  return exports as unknown as LwExports;
}
