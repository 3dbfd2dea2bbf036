// The object the module Worker exposes: one node per Worker, created by the first `start`. It
// owns the per-call AbortControllers (so the page can end a wait without touching the payment),
// the page's subscriptions and the "node stopped" state: once the node stops, every pending and
// later call rejects with a clear RpcError instead of hanging. (A read-only node refuses writes
// itself, with its own message.)
import * as Comlink from 'comlink';
import { errorMessage, isLightningError } from '../errors.js';
import { LIGHTNINGD, LIGHTNINGD_SHUTDOWN, RpcError } from '../rpc/errors.js';
import type { BrowserNodeOptions, LightningNodeApi } from '../runtime/node-api.js';
import type { RpcParams, RpcValue } from '../runtime/types.js';
import { HostListeners } from './host-listeners.js';
import { InFlightWatch } from './in-flight-watch.js';
import type { HostListener, NodeInfo, StartReply, WorkerApi } from './protocol.js';

const CLOSED_BY_PAGE = 'closed by the page';

export type CreateNode = (opts: BrowserNodeOptions) => Promise<LightningNodeApi>;

export class WorkerHost implements WorkerApi {
  private node: LightningNodeApi | undefined;
  private starting = false;
  private stopReason: string | undefined;
  private readonly stopListeners = new Set<(e: RpcError) => void>();
  private readonly calls = new Map<number, AbortController>();
  private readonly listeners = new HostListeners();
  private readonly inFlightWatch: InFlightWatch;
  private unsubscribeNode: (() => void) | undefined;
  private closingByPage = false;

  constructor(
    private readonly createNode: CreateNode,
    pollMs?: number,
  ) {
    this.inFlightWatch = new InFlightWatch(
      () => this.node?.inFlight() ?? 0,
      (count) => this.listeners.emit({ type: 'in_flight', count }),
      pollMs,
    );
  }

  async start(opts: BrowserNodeOptions): Promise<StartReply> {
    if (this.starting || this.node !== undefined) return { ok: false, code: 'STARTED', message: 'this Worker already started a node' };
    this.starting = true;
    let node: LightningNodeApi;
    try {
      node = await this.createNode(opts);
    } catch (e) {
      this.starting = false; // nothing was created: a later start may try again
      return { ok: false, code: isLightningError(e) ? e.code : 'START', message: errorMessage(e) };
    }
    this.node = node;
    this.unsubscribeNode = node.subscribe((event) => {
      this.listeners.emit({ type: 'node', event });
      this.inFlightWatch.check();
    });
    return { ok: true, id: node.id, readOnly: node.readOnly };
  }

  async rpc(method: string, params?: RpcParams, callId?: number): Promise<RpcValue> {
    const node = this.live();
    const ctl = new AbortController();
    if (callId !== undefined) {
      if (!Number.isSafeInteger(callId) || this.calls.has(callId)) throw new RpcError(LIGHTNINGD, `bad or duplicate call id ${String(callId)}`);
      this.calls.set(callId, ctl);
    }
    try {
      return await this.untilStopped(node.rpc(method, params, { signal: ctl.signal }));
    } catch (e) {
      // The node's dispatcher reports any non-RpcError as -1; an abort the page asked for stays one.
      throw ctl.signal.aborted ? ctl.signal.reason : e;
    } finally {
      if (callId !== undefined) this.calls.delete(callId);
      this.inFlightWatch.check();
    }
  }

  abort(callId: number): void {
    // Unknown ids are normal: the call may have finished while the abort was on its way.
    this.calls.get(callId)?.abort(new DOMException('The wait was aborted by the page', 'AbortError'));
  }

  subscribe(listener: HostListener): () => void {
    if (this.stopReason !== undefined) {
      this.listeners.send(listener, { type: 'stopped', reason: this.stopReason });
      return Comlink.proxy(() => undefined);
    }
    const unsubscribe = this.listeners.add(listener);
    this.inFlightWatch.check();
    this.listeners.send(listener, { type: 'in_flight', count: this.inFlightWatch.current });
    this.inFlightWatch.start();
    return Comlink.proxy(() => {
      unsubscribe();
      if (this.listeners.size === 0) this.inFlightWatch.stop();
    });
  }

  inFlight(): number {
    return this.live().inFlight();
  }

  reconnectAll(): void {
    this.live().reconnectAll();
  }

  async close(): Promise<void> {
    const node = this.node;
    this.closingByPage = true;
    if (this.stopReason !== undefined || node === undefined) {
      this.stopped(CLOSED_BY_PAGE);
      return;
    }
    try {
      await node.close();
    } finally {
      this.stopped(CLOSED_BY_PAGE);
    }
  }

  info(): NodeInfo {
    const node = this.live();
    return { id: node.id, readOnly: node.readOnly };
  }

  ping(): true {
    return true;
  }

  /** The page's view: WorkerApi's methods only (not `stopped`, which the node's host calls). */
  api(): WorkerApi {
    return {
      start: (opts) => this.start(opts),
      rpc: (method, params, callId) => this.rpc(method, params, callId),
      abort: (callId) => this.abort(callId),
      subscribe: (listener) => this.subscribe(listener),
      inFlight: () => this.inFlight(),
      reconnectAll: () => this.reconnectAll(),
      close: () => this.close(),
      info: () => this.info(),
      ping: () => this.ping(),
    };
  }

  /**
   * The node is gone (closed, or it stopped itself after a store write failure): tell the page,
   * reject pending calls, refuse later ones. Only the first reason counts.
   */
  stopped(reason: string): void {
    if (this.stopReason !== undefined) return;
    // Closing the node makes it report its own stop ('closed', through onStop) before close()
    // returns: while the page closes it, that stop is the page's close.
    this.stopReason = this.closingByPage ? CLOSED_BY_PAGE : reason;
    this.inFlightWatch.stop();
    this.unsubscribeNode?.();
    const err = this.stopError();
    for (const reject of [...this.stopListeners]) reject(err);
    this.listeners.emit({ type: 'stopped', reason: this.stopReason });
    this.listeners.removeAll();
  }

  private stopError(): RpcError {
    return new RpcError(LIGHTNINGD_SHUTDOWN, `lightning-worker stopped: ${this.stopReason ?? 'unknown reason'}`);
  }

  private live(): LightningNodeApi {
    if (this.stopReason !== undefined) throw this.stopError();
    if (this.node === undefined) throw new RpcError(LIGHTNINGD, this.starting ? 'the node is still starting' : 'the node is not started');
    return this.node;
  }

  /** `p`, unless the node stops first (a stopped node may never answer). */
  private untilStopped<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.stopListeners.add(reject);
      p.then(resolve, reject).finally(() => this.stopListeners.delete(reject));
    });
  }
}
