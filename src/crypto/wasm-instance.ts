// One live instance of the crypto module plus the per-call arena JS uses to pass bytes in and
// out. The C side never allocates: each call lays its inputs and outputs out above __heap_base,
// calls one export, copies the outputs and resets the arena. Calls that touched secrets zero the
// arena afterwards, so keys do not linger in linear memory between calls.
//
// A trap is never caused by input (the C code returns error codes and the TS layer checks
// lengths), but if one happens the instance's stack pointer and state can no longer be trusted,
// so it is replaced by a fresh instance of the same compiled module before the error is thrown.
import { CryptoError } from './errors.js';
import { errorMessage } from '../errors.js';
import { randomBytes } from './secp256k1.js';
import { bindExports, type LwExports } from './wasm-exports.js';
import type { Bytes } from '../util/bytes.js';

const PAGE = 65536;
const ALIGN = 16;

/** Bump allocator over the module memory for the duration of one call. */
export class Arena {
  private top: number;
  private view: Uint8Array;

  constructor(
    private readonly memory: WebAssembly.Memory,
    readonly base: number,
  ) {
    this.top = base;
    this.view = new Uint8Array(memory.buffer);
  }

  /** Current view of memory (memory.grow detaches the old ArrayBuffer). */
  bytes(): Uint8Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Uint8Array(this.memory.buffer);
    return this.view;
  }

  alloc(n: number): number {
    const ptr = Math.ceil(this.top / ALIGN) * ALIGN;
    const end = ptr + n;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (e) {
        throw new CryptoError('BAD_LENGTH', `input too large for the crypto module (${errorMessage(e)})`);
      }
    }
    this.top = end;
    return ptr;
  }

  /** Copies `data` into fresh arena memory and returns its address. */
  put(data: Uint8Array): number {
    const ptr = this.alloc(data.length);
    this.bytes().set(data, ptr);
    return ptr;
  }

  /** Copies `n` bytes out of module memory. */
  read(ptr: number, n: number): Bytes {
    return this.bytes().slice(ptr, ptr + n);
  }

  reset(wipe: boolean): void {
    if (wipe && this.top > this.base) this.bytes().fill(0, this.base, this.top);
    this.top = this.base;
  }
}

export class WasmCrypto {
  private x!: LwExports;
  private arena!: Arena;

  private constructor(readonly module: WebAssembly.Module) {}

  /** Instantiates a compiled module (Cloudflare Workers only allow this path, not bytes). */
  static async create(module: WebAssembly.Module): Promise<WasmCrypto> {
    const w = new WasmCrypto(module);
    w.attach(await WebAssembly.instantiate(module, {}));
    return w;
  }

  private attach(instance: WebAssembly.Instance): void {
    this.x = bindExports(instance.exports);
    const base = this.x.__heap_base.value;
    if (typeof base !== 'number') throw new CryptoError('WASM_LOAD', '__heap_base is not an i32 global');
    this.arena = new Arena(this.x.memory, base);
    // Blind the context with fresh randomness (side-channel protection of signing/ECDH).
    const seed = this.arena.put(randomBytes(32));
    const ok = this.x.lw_init(seed);
    this.arena.reset(true);
    if (ok !== 1) throw new CryptoError('WASM_LOAD', 'crypto module failed to initialize its context');
  }

  /**
   * Runs `fn` with the exports and a fresh arena; `secret` zeroes the arena afterwards. `fn` is
   * synchronous and must not call `call` again (the arena is shared).
   */
  call<T>(secret: boolean, fn: (x: LwExports, a: Arena) => T): T {
    try {
      return fn(this.x, this.arena);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        this.attach(new WebAssembly.Instance(this.module, {}));
        throw new CryptoError('WASM_TRAP', `crypto module trapped (${e.message}); it was re-instantiated`);
      }
      throw e;
    } finally {
      this.arena.reset(secret);
    }
  }
}

let active: WasmCrypto | undefined;

export function setActiveWasm(w: WasmCrypto): void {
  active = w;
}

/** The loaded module; throws NOT_INITIALIZED before `initCrypto()` resolved. */
export function activeWasm(): WasmCrypto {
  if (!active) throw new CryptoError('NOT_INITIALIZED', 'crypto not initialized: await initCrypto() first');
  return active;
}
