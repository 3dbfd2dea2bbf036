// The page's side of one Worker: starts the node, sends calls (with their abort signals), fans the
// node's events out to page listeners, keeps the in-flight count for the unload guard, reconnects
// peers on page wake-ups, and turns every way the Worker can end (node stopped, Worker crashed or
// went silent, page closed it) into one state: calls reject, `stopped` resolves, Worker terminated.
import * as Comlink from 'comlink';
import { errorMessage } from '../errors.js';
import { watchWakeEvents, type WakeSources } from '../peer/wake.js';
import { JSONRPC2_INVALID_PARAMS, LIGHTNINGD_SHUTDOWN, RpcError } from '../rpc/errors.js';
import type { BrowserNodeOptions } from '../runtime/node-api.js';
import type { NodeEvent, RpcParams, RpcValue } from '../runtime/types.js';
import { CallGate } from './call-gate.js';
import { installErrorTransfer } from './error-transfer.js';
import type { HostEvent, StartReply, WorkerApi } from './protocol.js';
import { WorkerStartError, startErrorMessage } from './start-error.js';
import { UnloadGuard, startsPayment, type UnloadTarget } from './unload-guard.js';
import { Watchdog, type WatchdogOptions } from './watchdog.js';

export interface SessionEnv {
  /** Where the beforeunload listener goes (default: the page's global object). */
  unloadTarget?: UnloadTarget;
  /** online / pageshow / visibilitychange sources (default: window and document). */
  wakeSources?: WakeSources;
  watchdog?: WatchdogOptions;
}

const CLOSED_BY_PAGE = 'closed by the page';

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function isDataCloneError(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'DataCloneError';
}

export class WorkerSession {
  private readonly remote: Comlink.Remote<WorkerApi>;
  private readonly gate = new CallGate();
  private readonly watchdog: Watchdog;
  private readonly listeners = new Set<(e: NodeEvent) => void>();
  private started = false;
  private closingByPage = false;
  private ended = false;
  private closing: Promise<void> | undefined;
  private nextCallId = 1;
  private inFlightCount = 0;
  private guard: UnloadGuard | undefined;
  private stopWake: (() => void) | undefined;
  private resolveStopped!: (reason: string) => void;
  /** Resolves with the reason once the node is gone (closed by the page, or stopped on its own). */
  readonly stopped = new Promise<string>((resolve) => (this.resolveStopped = resolve));
  id = '';
  readOnly = false;

  constructor(
    private readonly worker: Worker,
    private readonly env: SessionEnv = {},
  ) {
    installErrorTransfer();
    this.remote = Comlink.wrap<WorkerApi>(worker);
    worker.addEventListener('error', (ev: ErrorEvent) => this.onWorkerError(ev));
    this.watchdog = new Watchdog(() => this.remote.ping(), () => this.gate.size > 0, (why) => this.end(why), env.watchdog);
    this.watchdog.start();
  }

  /** Starts the node; rejects with WorkerStartError (the Worker is terminated then). */
  async start(opts: BrowserNodeOptions): Promise<void> {
    try {
      const reply = await this.gate.run<StartReply>(() => this.remote.start(opts));
      if (!reply.ok) throw new WorkerStartError(reply.code, startErrorMessage(reply.code, reply.message));
      this.id = reply.id;
      this.readOnly = reply.readOnly;
      // Before subscribing: the first thing the Worker pushes is the current in-flight count.
      if (opts.warnOnUnload !== false) this.guard = new UnloadGuard(this.env.unloadTarget ?? (globalThis as unknown as UnloadTarget));
      await this.gate.run(() => this.remote.subscribe(Comlink.proxy((ev: HostEvent) => this.onHostEvent(ev))));
    } catch (e) {
      this.end(`start failed: ${errorMessage(e)}`);
      throw e instanceof WorkerStartError ? e : new WorkerStartError('WORKER', `the Worker could not start the node: ${errorMessage(e)}`);
    }
    this.started = true;
    // A read-only view has no peers to wake.
    if (opts.pageLifecycle !== false && !this.readOnly) this.stopWake = watchWakeEvents(() => this.wake(), this.env.wakeSources);
  }

  /** One Core Lightning method; `signal` ends the call (with AbortError), not what it started. */
  call(method: string, params: RpcParams, signal?: AbortSignal): Promise<RpcValue> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const callId = signal === undefined ? undefined : this.nextCallId++;
    const endPayment = startsPayment(method) ? this.guard?.paymentCall() : undefined;
    const sent = this.gate.run<RpcValue>(() => this.remote.rpc(method, params, callId)).catch((e: unknown) => {
      if (isDataCloneError(e)) throw new RpcError(JSONRPC2_INVALID_PARAMS, `Cannot encode params: ${errorMessage(e)}`);
      throw e;
    });
    if (endPayment !== undefined) sent.then(endPayment, endPayment);
    if (signal === undefined || callId === undefined) return sent;
    return new Promise<RpcValue>((resolve, reject) => {
      const onAbort = (): void => {
        reject(abortReason(signal));
        // The Worker's answer (an AbortError too) arrives later and is ignored by the settled promise.
        this.remote.abort(callId).catch((e: unknown) => this.warn(`could not abort call ${callId}: ${errorMessage(e)}`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      sent.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The Worker's count, fetched now (the cached one serves beforeunload). */
  async inFlight(): Promise<number> {
    this.inFlightCount = await this.gate.run(() => this.remote.inFlight());
    this.guard?.setInFlight(this.inFlightCount);
    return this.inFlightCount;
  }

  /** The last count the Worker pushed. */
  get cachedInFlight(): number {
    return this.inFlightCount;
  }

  get unloadArmed(): boolean {
    return this.guard?.isArmed ?? false;
  }

  reconnectAll(): Promise<void> {
    return this.gate.run(() => this.remote.reconnectAll());
  }

  /** Closes the node, then terminates the Worker. Idempotent; a node that already stopped is fine. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closingByPage = true;
      try {
        await this.gate.run(() => this.remote.close());
      } catch (e) {
        // The gate fails when the Worker reports the stop this close caused, or an earlier one.
        if (e !== this.gate.failed) throw e;
      } finally {
        this.end(CLOSED_BY_PAGE);
      }
    })();
    return this.closing;
  }

  private wake(): void {
    if (this.gate.failed !== undefined) return;
    this.reconnectAll().catch((e: unknown) => this.warn(`reconnecting after a wake-up failed: ${errorMessage(e)}`));
  }

  private onHostEvent(ev: HostEvent): void {
    switch (ev.type) {
      case 'node':
        this.emit(ev.event);
        return;
      case 'in_flight':
        this.inFlightCount = ev.count;
        this.guard?.setInFlight(ev.count);
        return;
      case 'stopped':
        this.end(ev.reason);
        return;
    }
  }

  private onWorkerError(ev: ErrorEvent): void {
    const what = ev.message || 'its script could not be loaded';
    if (!this.started) this.gate.fail(new WorkerStartError('WORKER', `the Worker failed: ${what}`));
    else this.warn(`error in the Worker: ${what}`);
  }

  /** Every way of ending comes here once: calls reject, listeners hear why, the Worker goes. */
  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    const byPage = this.closingByPage && reason === CLOSED_BY_PAGE;
    // A no-op if the gate already failed (a Worker error during start): that error stays.
    this.gate.fail(new RpcError(LIGHTNINGD_SHUTDOWN, byPage ? 'lightning-worker is closed' : `lightning-worker stopped: ${reason}`));
    this.watchdog.stop();
    this.stopWake?.();
    this.guard?.dispose();
    if (this.started && !byPage) this.emit({ type: 'warning', message: `lightning-worker stopped: ${reason}` });
    this.worker.terminate();
    this.resolveStopped(reason);
  }

  private warn(message: string): void {
    this.emit({ type: 'warning', message });
  }

  private emit(event: NodeEvent): void {
    for (const l of [...this.listeners]) {
      // One page listener's bug must not hide events from the others.
      try {
        l(event);
      } catch (e) {
        // Rethrown outside this loop: the page's error reporting sees it, the loop goes on.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}
