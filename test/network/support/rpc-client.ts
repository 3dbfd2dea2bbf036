// A JSON-RPC client for a daemon's unix socket (Core Lightning framing: JSON objects on a stream,
// answers carry the request id and may come out of order). One connection carries any number of
// concurrent calls. Results are parsed with src/rpc's token parser, so u64 values above 2^53 come
// back as bigint (smaller integers as number) and are never rounded through a double. Errors
// reject with RpcError { code, message, data } exactly as the daemon sent them.
import { connect, type Socket } from 'node:net';
import { JsonStreamSplitter } from '../../../src/cli/json-stream.js';
import { getMember, parseJson } from '../../../src/rpc/json-parse.js';
import { stringifyUnknown, tokenToValue, type PlainJson } from '../../../src/rpc/json-write.js';
import { RpcError } from '../../../src/rpc/errors.js';

export type Json = PlainJson;
export type JsonObject = { [key: string]: Json };

interface Pending {
  resolve(v: Json): void;
  reject(e: Error): void;
}

/** The daemon went away (killed, stopped) while a call was in flight. */
export class RpcConnectionClosed extends Error {}

export class RpcClient {
  private socket: Socket | undefined;
  private ready: Promise<Socket> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(readonly path: string) {}

  /** Calls `method` with named (object) or positional (array) params. */
  async call<T = JsonObject>(method: string, params: Record<string, unknown> | unknown[] = {}): Promise<T> {
    const sock = await this.connected();
    const id = this.nextId++;
    const text = `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${stringifyUnknown(params)}}`;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: Json) => void, reject });
      sock.write(text);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
    this.ready = undefined;
  }

  private connected(): Promise<Socket> {
    this.ready ??= new Promise<Socket>((resolve, reject) => {
      const sock = connect(this.path);
      const splitter = new JsonStreamSplitter();
      sock.once('connect', () => {
        this.socket = sock;
        resolve(sock);
      });
      sock.on('data', (chunk: Buffer) => {
        for (const text of splitter.push(chunk)) this.onReply(text);
      });
      sock.on('error', (e) => {
        reject(e);
        this.drop(sock, e);
      });
      sock.on('close', () => this.drop(sock, new RpcConnectionClosed(`rpc connection to ${this.path} closed`)));
    });
    return this.ready;
  }

  private drop(sock: Socket, e: Error): void {
    if (this.socket !== undefined && this.socket !== sock) return;
    this.socket = undefined;
    this.ready = undefined;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const p of calls) p.reject(e);
  }

  private onReply(text: string): void {
    const tok = parseJson(text);
    const idTok = getMember(tok, 'id');
    // Notifications carry no id; we never enable them, but ignore them anyway.
    if (idTok === undefined || idTok.type !== 'number') return;
    const p = this.pending.get(Number(idTok.full));
    if (!p) return;
    this.pending.delete(Number(idTok.full));
    const err = getMember(tok, 'error');
    if (err !== undefined && err.type === 'object') {
      const e = tokenToValue(err) as { code: number; message: string; data?: Json };
      p.reject(new RpcError(e.code, e.message, e.data));
      return;
    }
    const res = getMember(tok, 'result');
    p.resolve(res === undefined ? null : tokenToValue(res));
  }
}
