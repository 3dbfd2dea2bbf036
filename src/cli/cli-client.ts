// `lightning-worker cli --data-dir DIR [-k] METHOD [PARAMS…]`: a small lightning-cli. Positional
// parameters unless -k (key=value pairs); an argument that is valid JSON (number, object, array,
// true/false/null, quoted string) is sent as JSON, anything else as a string, as lightning-cli does.
import { connect } from 'node:net';
import { join } from 'node:path';
import { JsonStreamSplitter } from './json-stream.js';
import { prettyJson } from './json-pretty.js';
import { JsonParseError, getMember, parseJson } from '../rpc/json-parse.js';

function asJsonToken(arg: string): string {
  try {
    JSON.parse(arg);
    return arg;
  } catch {
    return JSON.stringify(arg);
  }
}

export function buildCliRequest(method: string, args: string[], keywords: boolean, id: string): string {
  let params: string;
  if (keywords) {
    const parts = args.map((a) => {
      const eq = a.indexOf('=');
      if (eq <= 0) throw new Error(`expected key=value with -k, got "${a}"`);
      return `${JSON.stringify(a.slice(0, eq))}:${asJsonToken(a.slice(eq + 1))}`;
    });
    params = `{${parts.join(',')}}`;
  } else {
    params = `[${args.map(asJsonToken).join(',')}]`;
  }
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":${JSON.stringify(method)},"params":${params}}`;
}

/** The raw text of a request's id token (how the daemon echoes it), if the request has one. */
function idOf(text: string): string | undefined {
  try {
    return getMember(parseJson(text), 'id')?.full;
  } catch (e) {
    if (e instanceof JsonParseError) return undefined;
    throw e;
  }
}

/**
 * Our reply: a response whose id is ours, or null (the daemon could not read our request).
 * Notifications carry no id; an unparsable frame is not a reply either.
 */
function isReplyTo(text: string, id: string | undefined): boolean {
  let tok;
  try {
    tok = parseJson(text);
  } catch (e) {
    if (e instanceof JsonParseError) return false;
    throw e;
  }
  const got = getMember(tok, 'id');
  if (got === undefined) return false;
  return got.type === 'null' || id === undefined || got.full === id;
}

/** Sends one request over the unix socket and resolves with the raw response text. */
export function rpcCall(socketPath: string, requestText: string, timeoutMs = 0): Promise<string> {
  const id = idOf(requestText);
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    const splitter = new JsonStreamSplitter();
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeoutMs > 0) timer = setTimeout(() => (sock.destroy(), reject(new Error('timed out'))), timeoutMs);
    sock.on('connect', () => sock.write(requestText));
    sock.on('data', (chunk: Buffer) => {
      for (const text of splitter.push(chunk)) {
        if (!isReplyTo(text, id)) continue;
        if (timer) clearTimeout(timer);
        sock.end();
        resolve(text);
        return;
      }
    });
    sock.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    // The daemon went away before answering (a no-op once resolved): fail, never exit silently.
    sock.on('close', () => {
      if (timer) clearTimeout(timer);
      reject(new Error(`connection to ${socketPath} closed before a reply`));
    });
  });
}

/** Extracts the raw text of the top-level "result" or "error" member without parsing numbers. */
export function extractMember(responseText: string, key: 'result' | 'error'): string | undefined {
  const marker = `"${key}"`;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < responseText.length; i++) {
    const c = responseText[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      if (depth === 1 && responseText.startsWith(marker, i)) {
        let j = i + marker.length;
        while (responseText[j] === ' ' || responseText[j] === ':') j++;
        return scanValue(responseText, j);
      }
      inString = true;
    }
  }
  return undefined;
}

function scanValue(text: string, start: number): string {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return text.slice(start, i + 1);
      }
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return text.slice(start, i);
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    } else if (c === ',' && depth === 0) return text.slice(start, i);
  }
  return text.slice(start);
}

export async function cliCommand(argv: string[]): Promise<number> {
  let dataDir: string | undefined;
  let keywords = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir') dataDir = argv[++i];
    else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else if (a === '-k' || a === '--keywords') keywords = true;
    else rest.push(a);
  }
  const [method, ...args] = rest;
  if (!dataDir || !method) {
    process.stderr.write('usage: lightning-worker cli --data-dir DIR [-k] METHOD [PARAMS...]\n');
    return 2;
  }
  const req = buildCliRequest(method, args, keywords, `lightning-worker-cli-${process.pid}`);
  const reply = await rpcCall(join(dataDir, 'lightning-rpc'), req);
  const err = extractMember(reply, 'error');
  if (err !== undefined && err !== 'null') {
    process.stdout.write(prettyJson(err) + '\n');
    return 1;
  }
  process.stdout.write(prettyJson(extractMember(reply, 'result') ?? 'null') + '\n');
  return 0;
}
