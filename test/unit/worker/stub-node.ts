// A stand-in for the runtime's node behind the LightningNodeApi contract, for testing the Worker
// host and the page client without a network: it records calls, answers a few methods like the
// runtime does (RpcError with CLN's codes, waits that end only by their AbortSignal) and lets a
// test drive the in-flight count, events and a self-stop through `stub_*` methods.
import { JSONRPC2_INVALID_PARAMS, JSONRPC2_METHOD_NOT_FOUND, PAY_NO_SUCH_PAYMENT, PAY_TRY_OTHER_ROUTE, RpcError } from '../../../src/rpc/errors.js';
import type { LightningNodeApi } from '../../../src/runtime/node-api.js';
import type { NodeEvent, RpcParams, RpcValue } from '../../../src/runtime/types.js';

export const STUB_ID = `02${'ab'.repeat(32)}`;

export interface StubOptions {
  readOnly?: boolean;
  /** The runtime's onStop: the node stopped on its own. */
  onStop?: (reason: string) => void;
}

export class StubNode implements LightningNodeApi {
  readonly id = STUB_ID;
  readonly readOnly: boolean;
  readonly calls: { method: string; params: RpcParams | undefined }[] = [];
  /** Signals of the calls still running, by method. */
  readonly signals: AbortSignal[] = [];
  inFlightCount = 0;
  reconnects = 0;
  closed = false;
  private readonly listeners = new Set<(e: NodeEvent) => void>();

  constructor(private readonly opts: StubOptions = {}) {
    this.readOnly = opts.readOnly ?? false;
  }

  emit(event: NodeEvent): void {
    for (const l of this.listeners) l(event);
  }

  async rpc(method: string, params?: RpcParams, opts: { signal?: AbortSignal } = {}): Promise<RpcValue> {
    this.calls.push({ method, params });
    // Like the runtime's read-only node: listings only, everything else refused.
    if (this.readOnly && !['getinfo', 'listsendpays', 'listpays', 'listinvoices'].includes(method)) {
      throw new RpcError(-1, 'read-only: database stub is open in another tab');
    }
    const p = (params ?? {}) as Record<string, unknown>;
    switch (method) {
      case 'getinfo':
        return { id: this.id, alias: 'stub', blockheight: 110, fees_collected_msat: 0n };
      case 'listsendpays':
        return { payments: [{ created_index: 1n, id: 1n, payment_hash: '00'.repeat(32), amount_msat: 2n ** 64n - 1n, status: 'pending' }] };
      case 'sendpay':
        if (!Array.isArray(p.route)) throw new RpcError(JSONRPC2_INVALID_PARAMS, "route: should be an array: invalid token '\"x\"'");
        return { id: 1n, payment_hash: p.payment_hash as string, status: 'pending', message: 'Monitor status with listpays or waitsendpay' };
      case 'waitsendpay':
      case 'wait':
        return this.waitForAbort(p, opts.signal);
      case 'stub_fail':
        throw new RpcError(PAY_TRY_OTHER_ROUTE, 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (reply from remote)', {
          erring_index: 1,
          amount_msat: 1000n,
          raw_message: '1007',
        });
      case 'stub_throw':
        throw new TypeError('a bug in the node');
      case 'stub_set_in_flight':
        this.inFlightCount = Number(p.count);
        return {};
      case 'stub_emit':
        this.emit(p.event as NodeEvent);
        return {};
      case 'stub_stop':
        // Like the runtime's fatal(): the node stops and tells its host, after answering.
        setTimeout(() => this.opts.onStop?.(String(p.reason)), 0);
        return {};
      case 'stub_hang':
        return new Promise<RpcValue>(() => undefined);
      case 'stub_state':
        return { reconnects: this.reconnects, in_flight: this.inFlightCount };
      case 'stub_echo':
        return { method, params: (params ?? null) as RpcValue };
      default:
        throw new RpcError(JSONRPC2_METHOD_NOT_FOUND, `Unknown command '${method}'`);
    }
  }

  /** A waitsendpay for an unknown hash fails at once (208); otherwise it waits for the signal. */
  private waitForAbort(p: Record<string, unknown>, signal: AbortSignal | undefined): Promise<RpcValue> {
    if (p.payment_hash === 'ff'.repeat(32)) return Promise.reject(new RpcError(PAY_NO_SUCH_PAYMENT, `Never attempted payment for '${'ff'.repeat(32)}'`));
    return new Promise((_resolve, reject) => {
      if (signal === undefined) return;
      this.signals.push(signal);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  inFlight(): number {
    return this.inFlightCount;
  }

  reconnectAll(): void {
    this.reconnects++;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
