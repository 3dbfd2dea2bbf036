// A table of messages identified by a 2-byte big-endian type: BOLT 1/2/7 peer messages here, and
// BOLT 4 failure messages (same framing: u16 failure_code + fields) in the onion layer. Each
// entry is a field list for the engine in codec.ts; the decoded object is `{ type: name, ...fields }`.
//
// Framing rules (BOLT 1 "Lightning Message Format"): a payload may carry bytes after its last
// declared field (the extension rule), which are ignored, unless the message declares a trailing
// TLV stream, in which case those bytes must parse as that stream. Unknown types are returned as
// UnknownMessage so the caller applies "it's ok to be odd" (ignore odd, fail on even).
import { ByteReader, ByteWriter } from '../util/bytes.js';
import { type FieldDef, type Simplify, type StructCodec, type StructValue, struct } from './codec.js';
import { WireError, inField } from './errors.js';

export interface MessageSpec<F extends readonly FieldDef[]> {
  readonly type: number;
  readonly fields: F;
}

export type MessageSpecs = { readonly [name: string]: MessageSpec<readonly FieldDef[]> };

/** Declares one message: its type number and ordered fields. */
export function msg<const F extends readonly FieldDef[]>(type: number, fields: F): MessageSpec<F> {
  return { type, fields };
}

/** The union of decoded message objects of a table. */
export type MessageOf<S extends MessageSpecs> = {
  [K in keyof S & string]: Simplify<{ type: K } & StructValue<S[K]['fields']>>;
}[keyof S & string];

/** A message whose type this table does not know; the payload is kept as is. */
export interface UnknownMessage {
  type: 'unknown';
  type_num: number;
  payload: Uint8Array;
}

export interface MessageSet<S extends MessageSpecs> {
  readonly label: string;
  readonly specs: S;
  /** 2-byte type followed by the payload. */
  encode(m: MessageOf<S> | UnknownMessage): Uint8Array;
  /** Throws WireError (path `name.field`) if a known message is malformed. */
  decode(bytes: Uint8Array): MessageOf<S> | UnknownMessage;
  typeNumber(name: keyof S & string): number;
  nameOf(typeNum: number): (keyof S & string) | undefined;
  /** The payload codec of one message (without the type), for callers embedding it elsewhere. */
  codec(name: keyof S & string): StructCodec<readonly FieldDef[]>;
}

interface Entry {
  name: string;
  type: number;
  codec: StructCodec<readonly FieldDef[]>;
}

/** Builds a table; `maxLength` bounds an encoded message (65535 for BOLT 8 framed messages). */
export function messageSet<S extends MessageSpecs>(label: string, specs: S, opts: { maxLength?: number } = {}): MessageSet<S> {
  const maxLength = opts.maxLength ?? 65535;
  const byName = new Map<string, Entry>();
  const byType = new Map<number, Entry>();
  for (const [name, spec] of Object.entries(specs)) {
    if (name === 'unknown') throw new WireError('BAD_DEFINITION', `${label}: 'unknown' is reserved`);
    if (!Number.isInteger(spec.type) || spec.type < 0 || spec.type > 0xffff || byType.has(spec.type)) {
      throw new WireError('BAD_DEFINITION', `${label}.${name}: bad or duplicate type ${spec.type}`);
    }
    const entry: Entry = { name, type: spec.type, codec: struct(name, spec.fields) };
    byName.set(name, entry);
    byType.set(spec.type, entry);
  }

  function entryFor(name: string): Entry {
    const e = byName.get(name);
    if (e === undefined) throw new WireError('BAD_VALUE', `${label}: no message named ${String(name)}`);
    return e;
  }

  function encode(m: MessageOf<S> | UnknownMessage): Uint8Array {
    const w = new ByteWriter();
    if (m.type === 'unknown') {
      const u = m as UnknownMessage;
      if (!Number.isInteger(u.type_num) || u.type_num < 0 || u.type_num > 0xffff || byType.has(u.type_num)) {
        throw new WireError('BAD_VALUE', `${label}: unknown message with type ${u.type_num} (known or out of range)`);
      }
      if (!(u.payload instanceof Uint8Array)) throw new WireError('BAD_VALUE', 'unknown message payload must be bytes');
      w.u16(u.type_num).bytes(u.payload);
    } else {
      const known = m as MessageOf<S>;
      const e = entryFor(known.type);
      w.u16(e.type);
      inField(e.name, () => e.codec.write(w, known));
    }
    if (w.length > maxLength) {
      throw new WireError('TOO_LARGE', `${label} message ${m.type} is ${w.length} bytes, over the ${maxLength} limit`);
    }
    return w.finish();
  }

  function decode(bytes: Uint8Array): MessageOf<S> | UnknownMessage {
    if (!(bytes instanceof Uint8Array)) throw new WireError('BAD_VALUE', 'message must be a Uint8Array');
    if (bytes.length < 2) throw new WireError('TRUNCATED', `${label} message of ${bytes.length} bytes has no 2-byte type`);
    const r = new ByteReader(bytes);
    const typeNum = r.u16();
    const e = byType.get(typeNum);
    if (e === undefined) return { type: 'unknown', type_num: typeNum, payload: bytes.slice(2) };
    // Bytes after the last field are left unread: the BOLT 1 extension rule says to ignore them.
    const fields = inField(e.name, () => e.codec.read(r));
    // `type` first, then exactly the declared fields: the shape MessageOf<S> describes for e.name.
    return { type: e.name, ...fields } as MessageOf<S>;
  }

  return {
    label,
    specs,
    encode,
    decode,
    typeNumber: (name) => entryFor(name).type,
    nameOf: (typeNum) => byType.get(typeNum)?.name as (keyof S & string) | undefined,
    codec: (name) => entryFor(name).codec,
  };
}
