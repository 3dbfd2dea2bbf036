import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../src/rpc/errors.js';
import { StoreError } from '../../../src/store/types.js';
import { WorkerHost } from '../../../src/worker/host.js';
import type { HostEvent } from '../../../src/worker/protocol.js';
import { STUB_ID, StubNode } from './stub-node.js';
import { START, tick } from './pair.js';

function started(opts: { readOnly?: boolean } = {}): Promise<{ host: WorkerHost; stub: StubNode }> {
  let stub: StubNode | undefined;
  const host: WorkerHost = new WorkerHost(async () => (stub = new StubNode({ ...opts, onStop: (r) => host.stopped(r) })), 10);
  return host.start(START).then((reply) => {
    expect(reply).toEqual({ ok: true, id: STUB_ID, readOnly: opts.readOnly ?? false });
    return { host, stub: stub! };
  });
}

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('resolved');
    },
    (e: unknown) => e,
  );

describe('WorkerHost', () => {
  it('starts once, and reports a failed start with the runtime’s code instead of throwing', async () => {
    const { host } = await started();
    expect(await host.start(START)).toMatchObject({ ok: false, code: 'STARTED' });
    const locked = new WorkerHost(() => Promise.reject(new StoreError('LOCKED', 'database wallet is open in another tab/worker')));
    expect(await locked.start(START)).toEqual({ ok: false, code: 'LOCKED', message: 'database wallet is open in another tab/worker' });
    const broken = new WorkerHost(() => Promise.reject(new Error('fetch failed')));
    expect(await broken.start(START)).toEqual({ ok: false, code: 'START', message: 'fetch failed' });
  });

  it('refuses calls before start with a clear RpcError', async () => {
    const host = new WorkerHost(async () => new StubNode());
    const e = await rejection(host.rpc('getinfo'));
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: -1, message: 'the node is not started' });
  });

  it('passes calls and their RpcErrors through', async () => {
    const { host, stub } = await started();
    expect(await host.rpc('getinfo', {})).toMatchObject({ id: STUB_ID });
    expect(stub.calls).toEqual([{ method: 'getinfo', params: {} }]);
    expect(await rejection(host.rpc('stub_fail', {}))).toMatchObject({ code: 204, data: { erring_index: 1 } });
  });

  it('abort(callId) ends that call’s wait with AbortError and leaves other calls alone', async () => {
    const { host, stub } = await started();
    const a = host.rpc('waitsendpay', { payment_hash: '11'.repeat(32) }, 1);
    const b = host.rpc('waitsendpay', { payment_hash: '22'.repeat(32) }, 2);
    await tick();
    host.abort(1);
    host.abort(99); // unknown: ignored
    const e = await rejection(a);
    expect(e).toBeInstanceOf(DOMException);
    expect((e as DOMException).name).toBe('AbortError');
    expect(stub.signals.map((s) => s.aborted)).toEqual([true, false]);
    host.abort(2);
    await rejection(b);
  });

  it('an aborted call stays an AbortError although the node’s dispatcher reports it as -1', async () => {
    const node = new StubNode();
    // Like the runtime: its dispatcher turns the waiter's AbortError into RpcError -1.
    node.rpc = (_m, _p, opts) =>
      new Promise((_resolve, reject) => opts?.signal?.addEventListener('abort', () => reject(new RpcError(-1, 'The wait was aborted by the page'))));
    const host = new WorkerHost(async () => node);
    await host.start(START);
    const call = rejection(host.rpc('waitsendpay', { payment_hash: '11'.repeat(32) }, 3));
    host.abort(3);
    const e = await call;
    expect(e).toBeInstanceOf(DOMException);
    expect(e).toMatchObject({ name: 'AbortError', message: 'The wait was aborted by the page' });
  });

  it('refuses a duplicate call id', async () => {
    const { host } = await started();
    void host.rpc('waitsendpay', { payment_hash: '11'.repeat(32) }, 7).catch(() => undefined);
    expect(await rejection(host.rpc('getinfo', {}, 7))).toMatchObject({ code: -1, message: 'bad or duplicate call id 7' });
    host.abort(7);
  });

  it('reports a read-only node as such and passes its refusals through', async () => {
    const { host } = await started({ readOnly: true });
    expect(host.info()).toEqual({ id: STUB_ID, readOnly: true });
    expect(await host.rpc('listsendpays', {})).toHaveProperty('payments');
    const e = await rejection(host.rpc('sendpay', { route: [] }));
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: -1, message: 'read-only: database stub is open in another tab' });
  });

  it('sends a subscriber the in-flight count, node events and count changes', async () => {
    const { host, stub } = await started();
    const got: HostEvent[] = [];
    const unsubscribe = host.subscribe((ev) => got.push(ev));
    expect(got).toEqual([{ type: 'in_flight', count: 0 }]);
    stub.emit({ type: 'peer', id: STUB_ID, connected: true });
    stub.inFlightCount = 2;
    await tick(30); // the poll notices
    stub.inFlightCount = 0;
    stub.emit({ type: 'warning', message: 'w' }); // an event samples at once
    expect(got).toEqual([
      { type: 'in_flight', count: 0 },
      { type: 'node', event: { type: 'peer', id: STUB_ID, connected: true } },
      { type: 'in_flight', count: 2 },
      { type: 'node', event: { type: 'warning', message: 'w' } },
      { type: 'in_flight', count: 0 },
    ]);
    unsubscribe();
    stub.emit({ type: 'warning', message: 'after' });
    expect(got).toHaveLength(5);
  });

  it('drops a subscriber whose page is gone', async () => {
    const { host, stub } = await started();
    let calls = 0;
    host.subscribe(() => {
      calls++;
      return Promise.reject(new Error('port closed'));
    });
    await tick();
    stub.emit({ type: 'warning', message: 'x' });
    expect(calls).toBe(1);
  });

  it('when the node stops on its own: tells subscribers, rejects pending and later calls with -5', async () => {
    const { host, stub } = await started();
    const got: HostEvent[] = [];
    host.subscribe((ev) => got.push(ev));
    const pending = rejection(host.rpc('stub_hang', {}));
    await host.rpc('stub_stop', { reason: 'store write failed, node stopped: QuotaExceededError' });
    await tick(5);
    const e = await pending;
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: -5, message: 'lightning-worker stopped: store write failed, node stopped: QuotaExceededError' });
    expect(await rejection(host.rpc('getinfo'))).toMatchObject({ code: -5 });
    expect(() => host.inFlight()).toThrow(RpcError);
    expect(got.at(-1)).toEqual({ type: 'stopped', reason: 'store write failed, node stopped: QuotaExceededError' });
    const late: HostEvent[] = [];
    host.subscribe((ev) => late.push(ev));
    expect(late).toEqual([{ type: 'stopped', reason: 'store write failed, node stopped: QuotaExceededError' }]);
    expect(stub.closed).toBe(false);
  });

  it('close() closes the node and stops the host', async () => {
    const { host, stub } = await started();
    await host.close();
    expect(stub.closed).toBe(true);
    expect(await rejection(host.rpc('getinfo'))).toMatchObject({ code: -5, message: 'lightning-worker stopped: closed by the page' });
    await host.close(); // again: fine
  });
});
