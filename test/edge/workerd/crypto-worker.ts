// A Worker that loads the WASM crypto module the way Cloudflare Workers must — from the
// `WebAssembly.Module` the runtime gives for an imported .wasm file (Workers may not compile WASM
// from bytes at run time) — and answers BOLT 8 act one for the inputs it is sent: ECDH, pubkey
// derivation, HKDF, ChaCha20-Poly1305, all on workerd. The entry module that imports the .wasm
// file is written by the test (test/edge/workerd-crypto.test.ts): it passes the module in here.
import { initCrypto, type WasmSource } from '../../../src/crypto/init.js';
import { ecdh, pubkeyCreate, secp256k1BackendName } from '../../../src/crypto/secp256k1.js';
import { NoiseSession } from '../../../src/noise/index.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';

interface ActOneInput {
  ls_priv: string;
  rs_pub: string;
  e_priv: string;
}

function errorText(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? `${String(e.code)}: ` : '';
  return code + (e instanceof Error ? e.message : String(e));
}

export function cryptoWorker(source: WasmSource): { fetch(request: Request): Promise<Response> } {
  return {
    async fetch(request) {
      try {
        await initCrypto(source);
      } catch (e) {
        return Response.json({ loaded: false, error: errorText(e) });
      }
      const input = (await request.json()) as ActOneInput;
      const ls = fromHex(input.ls_priv, 32);
      const e = fromHex(input.e_priv, 32);
      const rs = fromHex(input.rs_pub, 33);
      const session = NoiseSession.initiator({ localSecret: ls, remoteStatic: rs, ephemeralSecret: e });
      return Response.json({
        loaded: true,
        backend: secp256k1BackendName(),
        ls_pub: toHex(pubkeyCreate(ls)),
        e_pub: toHex(pubkeyCreate(e)),
        ss: toHex(ecdh(e, rs)),
        act_one: toHex(session.start()!),
      });
    },
  };
}
