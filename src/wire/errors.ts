// The one error type of the wire layer. Every decoder of untrusted bytes in src/wire throws only
// WireError; the codec engine adds the path of the field being decoded (message.field.subfield)
// so a peer-facing error reads e.g. "update_add_htlc.onion_routing_packet: unexpected end of data".
import { LightningError } from '../errors.js';

export type WireErrorCode =
  /** No bytes at all where a value was required (BigSize's "EOF" class). */
  | 'EOF'
  /** Input ended inside a value (BigSize's "unexpected EOF" class, short fields, short TLVs). */
  | 'TRUNCATED'
  /** A BigSize or truncated integer was not minimally encoded. */
  | 'NON_CANONICAL'
  /** A TLV record's value was longer or shorter than its known encoding. */
  | 'BAD_LENGTH'
  /** TLV types not strictly increasing (out of order or duplicated). */
  | 'TLV_ORDER'
  /** A TLV record of unknown even type: the stream must be rejected. */
  | 'UNKNOWN_EVEN_TLV'
  /** A `point` field that is not a compressed SEC1 encoding (prefix 02 or 03). */
  | 'BAD_POINT'
  /** A value that cannot be encoded (out of range, wrong length, missing field) or parsed. */
  | 'BAD_VALUE'
  /** An encoded message exceeding the 65535-byte limit of BOLT 8 framing. */
  | 'TOO_LARGE'
  /** A known but unsupported encoding (e.g. zlib-compressed gossip query data). */
  | 'UNSUPPORTED'
  /** A codec table that breaks the engine's rules (a bug in this codebase, not in the input). */
  | 'BAD_DEFINITION';

export class WireError extends LightningError {
  declare readonly code: WireErrorCode;
  /** Field path from the outermost structure inwards, e.g. ['update_add_htlc', 'tlvs', 'blinded_path']. */
  readonly path: readonly string[];
  /** The message without the path prefix. */
  readonly detail: string;

  constructor(code: WireErrorCode, detail: string, path: readonly string[] = []) {
    super(code, path.length > 0 ? `${path.join('.')}: ${detail}` : detail);
    this.path = path;
    this.detail = detail;
  }

  /** The same error one level further out: `inner` becomes `outer.inner`. */
  within(name: string): WireError {
    return new WireError(this.code, this.detail, [name, ...this.path]);
  }
}

/** Run `fn`, prefixing any WireError it throws with `name`. Other errors pass through untouched. */
export function inField<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WireError) throw e.within(name);
    throw e;
  }
}
