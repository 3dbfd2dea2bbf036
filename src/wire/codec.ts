// The declarative codec engine. A wire structure (a message, a TLV record's value, a BOLT 4 hop
// payload or failure message) is an ordered list of `[name, fieldType]`; the engine reads and
// writes it and infers its TypeScript value type from the same list, so the table is the single
// source of truth for both bytes and types.
//
// Field types are `Codec<T>` objects (see fields.ts and tlv.ts). Each also carries a `desc`: a
// plain description of its shape, used by the engine for its own rules (only the last field may
// consume "the rest of the input") and by tests/fuzzers to generate values for any structure.
import { ByteReader, ByteWriter } from '../util/bytes.js';
import { WireError, inField } from './errors.js';

export type CodecDesc =
  | { readonly kind: 'uint'; readonly bytes: 1 | 2 | 4 | 8 }
  | { readonly kind: 'sint'; readonly bytes: 1 | 2 | 4 | 8 }
  /** Truncated unsigned integer (tu16/tu32/tu64): the rest of a TLV value, without leading zeros. */
  | { readonly kind: 'tuint'; readonly maxBytes: 2 | 4 | 8 }
  | { readonly kind: 'bigsize' }
  | { readonly kind: 'bytes'; readonly length: number }
  | { readonly kind: 'point' }
  | { readonly kind: 'scid' }
  /** `[u16:len][len*byte:data]` */
  | { readonly kind: 'u16_bytes' }
  /** `...*byte`: everything up to the end of the enclosing input. */
  | { readonly kind: 'rest_bytes' }
  /** `[u16:num][num*T:items]` */
  | { readonly kind: 'u16_array'; readonly of: CodecDesc }
  /** `...*T`: items up to the end of the enclosing input. */
  | { readonly kind: 'rest_array'; readonly of: CodecDesc }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly (readonly [string, CodecDesc])[] }
  | {
      readonly kind: 'tlv_stream';
      readonly name: string;
      readonly records: readonly { readonly name: string; readonly type: bigint; readonly desc: CodecDesc }[];
    };

/** Reads and writes one value of type T. */
export interface Codec<T> {
  readonly desc: CodecDesc;
  /** Reads one value; throws WireError (never a raw RangeError) on malformed input. */
  read(r: ByteReader): T;
  /** Appends the encoding of `v`; throws WireError if `v` cannot be encoded. */
  write(w: ByteWriter, v: T): void;
}

export type CodecValue<C> = C extends Codec<infer T> ? T : never;

/** Flattens intersections so editor hovers show one plain object type. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

export type FieldDef = readonly [name: string, codec: Codec<unknown>];

/** The object type of a struct declared by the field list F. */
export type StructValue<F extends readonly FieldDef[]> = Simplify<{
  -readonly [E in F[number] as E[0]]: CodecValue<E[1]>;
}>;

export interface StructCodec<F extends readonly FieldDef[]> extends Codec<StructValue<F>> {
  readonly name: string;
  readonly fields: F;
}

/** True when a codec reads until its input ends, so it can only be the last field of a struct. */
export function consumesRest(d: CodecDesc): boolean {
  switch (d.kind) {
    case 'tuint':
    case 'rest_bytes':
    case 'rest_array':
    case 'tlv_stream':
      return true;
    case 'struct': {
      const last = d.fields[d.fields.length - 1];
      return last !== undefined && consumesRest(last[1]);
    }
    default:
      return false;
  }
}

/**
 * Declares a structure: fields are read and written in order. A field that consumes the rest of
 * the input (tu64, `...*byte`, a TLV stream) may only be last, which is checked here once.
 */
export function struct<const F extends readonly FieldDef[]>(name: string, fields: F): StructCodec<F> {
  fields.forEach(([fieldName, codec], i) => {
    if (i < fields.length - 1 && consumesRest(codec.desc)) {
      throw new WireError('BAD_DEFINITION', `${name}.${fieldName} reads to the end of the input but is not the last field`);
    }
  });
  const desc: CodecDesc = { kind: 'struct', name, fields: fields.map(([n, c]) => [n, c.desc] as const) };
  return {
    name,
    fields,
    desc,
    read(r: ByteReader): StructValue<F> {
      const out: Record<string, unknown> = {};
      for (const [fieldName, codec] of fields) {
        out[fieldName] = inField(fieldName, () => codec.read(r));
      }
      // The object was built from exactly the declared fields, which is what StructValue<F> is.
      return out as StructValue<F>;
    },
    write(w: ByteWriter, v: StructValue<F>): void {
      if (typeof v !== 'object' || v === null) throw new WireError('BAD_VALUE', `${name} must be an object`);
      const obj: Record<string, unknown> = v;
      for (const [fieldName, codec] of fields) {
        inField(fieldName, () => {
          const fv = obj[fieldName];
          if (fv === undefined) throw new WireError('BAD_VALUE', 'missing field');
          codec.write(w, fv);
        });
      }
    },
  };
}

/** Encodes one value to bytes. */
export function encodeWith<T>(codec: Codec<T>, v: T): Uint8Array {
  const w = new ByteWriter();
  codec.write(w, v);
  return w.finish();
}

/**
 * Decodes one value from `bytes`. Trailing bytes are an error (BAD_LENGTH) unless
 * `allowTrailing` is set, as for BOLT 1 messages, whose receivers ignore data they do not know.
 */
export function decodeWith<T>(codec: Codec<T>, bytes: Uint8Array, opts: { allowTrailing?: boolean } = {}): T {
  const r = new ByteReader(bytes);
  const v = codec.read(r);
  if (!opts.allowTrailing && r.remaining > 0) {
    throw new WireError('BAD_LENGTH', `${r.remaining} unexpected bytes after the value`);
  }
  return v;
}
