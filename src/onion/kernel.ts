// The one place that chooses how Sphinx packets are built. Production calls the WASM kernel
// (src/crypto/sphinx-kernel.ts) once it is loaded; until then, and on runtimes without it, the
// TypeScript construction in sphinx-js.ts gives byte-identical packets.
import { sphinxBuildJs, type SphinxBuildResult } from './sphinx-js.js';

export function sphinxBuild(
  sessionKey: Uint8Array,
  hopPubkeys: Uint8Array[],
  framedPayloads: Uint8Array[],
  associatedData: Uint8Array,
  routingInfoSize = 1300,
): SphinxBuildResult {
  return sphinxBuildJs(sessionKey, hopPubkeys, framedPayloads, associatedData, routingInfoSize);
}
