// The scriptpubkey forms BOLT 2 allows in shutdown (and upfront_shutdown_script): P2PKH, P2SH,
// P2WPKH, P2WSH, and with option_shutdown_anysegwit any witness v1..v16 program of 2..40 bytes.
// Anything else could leave a closing tx that does not relay.
import type { Bytes } from '../../util/bytes.js';

const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_16 = 0x60;

export function isValidShutdownScript(s: Bytes, anysegwit: boolean): boolean {
  const n = s.length;
  // OP_DUP OP_HASH160 20 <20> OP_EQUALVERIFY OP_CHECKSIG
  if (n === 25 && s[0] === 0x76 && s[1] === 0xa9 && s[2] === 20 && s[23] === 0x88 && s[24] === 0xac) return true;
  // OP_HASH160 20 <20> OP_EQUAL
  if (n === 23 && s[0] === 0xa9 && s[1] === 20 && s[22] === 0x87) return true;
  // OP_0 20 <20> / OP_0 32 <32>
  if (s[0] === OP_0 && ((n === 22 && s[1] === 20) || (n === 34 && s[1] === 32))) return true;
  if (anysegwit && n >= 4 && s[0]! >= OP_1 && s[0]! <= OP_16 && s[1] === n - 2 && n - 2 >= 2 && n - 2 <= 40) return true;
  return false;
}
