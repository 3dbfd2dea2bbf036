// A strict JSON parser that keeps every token's exact source text. Core Lightning parses parameters
// from the raw token text (jsmn tokens), not from decoded values: `5` and `"5"` are both a valid u64,
// `18446744073709551615` must not round through a double, a hash arrives as the characters between
// the quotes with escapes untouched, and error messages quote the token as written. So the tree we
// hand to the parameter parsers carries, for each token, its full source text and (for strings) the
// raw text between the quotes alongside the decoded value.
import { LightningError } from '../errors.js';

interface TokenBase {
  /** Exact source text of the token; strings include their quotes. */
  readonly full: string;
}
export interface JsonStringToken extends TokenBase {
  readonly type: 'string';
  /** Characters between the quotes, escapes not processed (CLN's `buffer + tok->start`). */
  readonly raw: string;
  /** Decoded string value. */
  readonly value: string;
}
export interface JsonNumberToken extends TokenBase {
  readonly type: 'number';
}
export interface JsonBooleanToken extends TokenBase {
  readonly type: 'boolean';
  readonly value: boolean;
}
export interface JsonNullToken extends TokenBase {
  readonly type: 'null';
}
export interface JsonArrayToken extends TokenBase {
  readonly type: 'array';
  readonly items: readonly JsonToken[];
}
export interface JsonMember {
  /** Raw key text between the quotes (CLN matches parameter names against this). */
  readonly key: string;
  /** Decoded key. */
  readonly name: string;
  readonly value: JsonToken;
}
export interface JsonObjectToken extends TokenBase {
  readonly type: 'object';
  /** Members in source order; duplicates are kept (CLN reports them itself). */
  readonly members: readonly JsonMember[];
}
export type JsonToken =
  | JsonStringToken
  | JsonNumberToken
  | JsonBooleanToken
  | JsonNullToken
  | JsonArrayToken
  | JsonObjectToken;

export class JsonParseError extends LightningError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super('JSON_PARSE', message);
  }
}

/** Nesting bound: untrusted input must not be able to exhaust the stack. */
export const MAX_JSON_DEPTH = 512;

/** CLN's view of a token's text: between the quotes for strings, the whole token otherwise. */
export function tokenText(tok: JsonToken): string {
  return tok.type === 'string' ? tok.raw : tok.full;
}

/** First member with this raw key, like CLN's json_get_member. */
export function getMember(tok: JsonToken, key: string): JsonToken | undefined {
  if (tok.type !== 'object') return undefined;
  for (const m of tok.members) if (m.key === key) return m.value;
  return undefined;
}

/** Parse one JSON text (RFC 8259, strict). Throws JsonParseError on malformed input. */
export function parseJson(text: string): JsonToken {
  const p = new Parser(text);
  p.ws();
  const tok = p.value(0);
  p.ws();
  if (p.pos !== text.length) p.fail('unexpected data after JSON value');
  return tok;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(message: string): never {
    throw new JsonParseError(`${message} at offset ${this.pos}`, this.pos);
  }

  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  value(depth: number): JsonToken {
    if (depth > MAX_JSON_DEPTH) this.fail('JSON nested too deeply');
    const c = this.s[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', { type: 'boolean', full: 'true', value: true });
      case 'f':
        return this.literal('false', { type: 'boolean', full: 'false', value: false });
      case 'n':
        return this.literal('null', { type: 'null', full: 'null' });
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end of JSON' : `unexpected character '${c}'`);
    }
  }

  literal<T extends JsonToken>(word: string, tok: T): T {
    if (!this.s.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
    return tok;
  }

  number(): JsonNumberToken {
    const s = this.s;
    const start = this.pos;
    const digits = (): number => {
      const from = this.pos;
      while (this.pos < s.length && s.charCodeAt(this.pos) >= 48 && s.charCodeAt(this.pos) <= 57) this.pos++;
      return this.pos - from;
    };
    if (s[this.pos] === '-') this.pos++;
    if (s[this.pos] === '0') this.pos++;
    else if (digits() === 0) this.fail('invalid number');
    if (s[this.pos] === '.') {
      this.pos++;
      if (digits() === 0) this.fail('invalid number fraction');
    }
    if (s[this.pos] === 'e' || s[this.pos] === 'E') {
      this.pos++;
      if (s[this.pos] === '+' || s[this.pos] === '-') this.pos++;
      if (digits() === 0) this.fail('invalid number exponent');
    }
    return { type: 'number', full: s.slice(start, this.pos) };
  }

  string(): JsonStringToken {
    const s = this.s;
    const start = this.pos;
    this.pos++; // opening quote
    let value = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail('unterminated string');
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) break;
      if (c < 0x20) this.fail('control character in string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      value += s.slice(chunk, this.pos);
      const e = s[this.pos + 1];
      if (e === 'u') {
        const hex = s.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        value += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else {
        const rep = e === undefined ? undefined : ESCAPES[e];
        if (rep === undefined) this.fail('invalid escape');
        value += rep;
        this.pos += 2;
      }
      chunk = this.pos;
    }
    value += s.slice(chunk, this.pos);
    const raw = s.slice(start + 1, this.pos);
    this.pos++; // closing quote
    return { type: 'string', full: s.slice(start, this.pos), raw, value };
  }

  array(depth: number): JsonArrayToken {
    const start = this.pos;
    this.pos++;
    const items: JsonToken[] = [];
    this.ws();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return { type: 'array', full: this.s.slice(start, this.pos), items };
    }
    for (;;) {
      this.ws();
      items.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.pos];
      this.pos++;
      if (c === ']') break;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
    return { type: 'array', full: this.s.slice(start, this.pos), items };
  }

  object(depth: number): JsonObjectToken {
    const start = this.pos;
    this.pos++;
    const members: JsonMember[] = [];
    this.ws();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return { type: 'object', full: this.s.slice(start, this.pos), members };
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail('expected string key');
      const key = this.string();
      this.ws();
      if (this.s[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.ws();
      const value = this.value(depth + 1);
      members.push({ key: key.raw, name: key.value, value });
      this.ws();
      const c = this.s[this.pos];
      this.pos++;
      if (c === '}') break;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
    return { type: 'object', full: this.s.slice(start, this.pos), members };
  }
}
