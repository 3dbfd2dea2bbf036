// The page client against the Worker host over a real Comlink channel (stub node behind it).
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../src/rpc/errors.js';
import type { NodeEvent } from '../../../src/runtime/types.js';
import { StoreError } from '../../../src/store/types.js';
import { attachLightningWorker } from '../../../src/worker/attach.js';
import { WorkerHost } from '../../../src/worker/host.js';
import type { SessionEnv } from '../../../src/worker/session.js';
import { WorkerStartError } from '../../../src/worker/start-error.js';
import type { UnloadTarget } from '../../../src/worker/unload-guard.js';
import type { LightningClient } from '../../../src/worker/types.js';
import { START, fakeWorker, pair, tick, until, type Pair } from './pair.js';
import { STUB_ID as ID } from './stub-node.js';

async function client(opts: { readOnly?: boolean; env?: SessionEnv; start?: Partial<typeof START> } = {}): Promise<Pair & { ln: LightningClient }> {
  const p = pair({ ...opts, pollMs: 10 });
  const ln = await attachLightningWorker(p.worker, { ...START, ...opts.start }, opts.env);
  return { ...p, ln };
}

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('resolved');
    },
    (e: unknown) => e,
  );

class FakeUnload implements UnloadTarget {
  armed = 0;
  addEventListener(): void {
    this.armed++;
  }
  removeEventListener(): void {
    this.armed--;
  }
}

describe('the page client', () => {
  it('starts the node and knows its id, read-only state and storage persistence outcome', async () => {
    const { ln } = await client();
    expect(ln.id).toBe(ID);
    expect(ln.readOnly).toBe(false);
    expect(await ln.persistence).toMatchObject({ status: 'unsupported' }); // Node has no navigator.storage
    expect(await ln.getinfo()).toMatchObject({ id: ID, fees_collected_msat: 0n });
  });

  it('maps each method to Core Lightning’s method and params', async () => {
    const { ln, stub } = await client();
    const url = 'ws://127.0.0.1:9736';
    await rejection(ln.connect({ id: ID, url }));
    await rejection(ln.connect(`${ID}@127.0.0.1:9735`));
    await rejection(ln.decode('lnbcrt1'));
    await rejection(ln.decode({ string: 'lnbcrt2' }));
    await ln.listsendpays();
    await ln.listsendpays({ status: 'failed' });
    await rejection(ln.listpeerchannels({ id: ID }));
    await rejection(ln.delpay({ payment_hash: '00'.repeat(32), status: 'failed' }));
    await rejection(ln.invoice({ amount_msat: 1000n, label: 'l', description: 'd' }));
    expect(await ln.call('stub_echo', ['a', 1n])).toEqual({ method: 'stub_echo', params: ['a', 1n] });
    expect(stub().calls.map((c) => [c.method, c.params])).toEqual([
      ['connect', { id: ID, host: url }],
      ['connect', { id: `${ID}@127.0.0.1:9735` }],
      ['decode', { string: 'lnbcrt1' }],
      ['decode', { string: 'lnbcrt2' }],
      ['listsendpays', {}],
      ['listsendpays', { status: 'failed' }],
      ['listpeerchannels', { id: ID }],
      ['delpay', { payment_hash: '00'.repeat(32), status: 'failed' }],
      ['invoice', { amount_msat: 1000n, label: 'l', description: 'd' }],
      ['stub_echo', ['a', 1n]],
    ]);
  });

  it('rejects with RpcError instances carrying code, message and data', async () => {
    const { ln } = await client();
    const bad = await rejection(ln.sendpay({ route: 'x', payment_hash: '00'.repeat(32) }));
    expect(bad).toBeInstanceOf(RpcError);
    expect(bad).toMatchObject({ code: -32602, message: "route: should be an array: invalid token '\"x\"'" });
    const unknown = await rejection(ln.waitsendpay({ payment_hash: 'ff'.repeat(32) }));
    expect(unknown).toMatchObject({ code: 208, message: `Never attempted payment for '${'ff'.repeat(32)}'` });
    const failed = (await rejection(ln.call('stub_fail'))) as RpcError;
    expect(failed.data).toEqual({ erring_index: 1, amount_msat: 1000n, raw_message: '1007' });
    expect(await rejection(ln.call('stub_throw'))).toMatchObject({ code: -1, message: 'a bug in the node' });
  });

  it('params that cannot cross to the Worker are an invalid-params RpcError', async () => {
    const { ln } = await client();
    const e = await rejection(ln.call('listsendpays', { f: () => 1 }));
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).code).toBe(-32602);
  });

  it('an aborted waitsendpay rejects with AbortError, aborts only the wait, and the node keeps working', async () => {
    const { ln, stub } = await client();
    const ctl = new AbortController();
    const wait = rejection(ln.waitsendpay({ payment_hash: '11'.repeat(32), timeout: 3600 }, { signal: ctl.signal }));
    const other = rejection(ln.wait({ subsystem: 'sendpays', indexname: 'created', nextvalue: 5 }, { signal: new AbortController().signal }));
    await until(() => stub().signals.length === 2);
    ctl.abort();
    const e = await wait;
    expect(e).toBeInstanceOf(DOMException);
    expect((e as DOMException).name).toBe('AbortError');
    await until(() => stub().signals[0]!.aborted);
    expect(stub().signals.map((s) => s.aborted)).toEqual([true, false]); // the Worker's wait ended too, not the other one
    expect(await ln.listsendpays()).toHaveProperty('payments');
    void other;
  });

  it('a signal aborted already rejects at once with its reason, without calling the node', async () => {
    const { ln, stub } = await client();
    const ctl = new AbortController();
    ctl.abort(new Error('mine'));
    expect(await rejection(ln.call('waitsendpay', { payment_hash: '11'.repeat(32) }, { signal: ctl.signal }))).toEqual(new Error('mine'));
    expect(stub().calls).toEqual([]);
  });

  it('delivers node events to subscribers until they unsubscribe', async () => {
    const { ln, stub } = await client();
    const got: NodeEvent[] = [];
    const unsubscribe = await ln.subscribe((e) => got.push(e));
    stub().emit({ type: 'peer', id: ID, connected: true });
    stub().emit({ type: 'sendpay_success', payment: { id: 1n, status: 'complete' } });
    await until(() => got.length === 2);
    expect(got).toEqual([
      { type: 'peer', id: ID, connected: true },
      { type: 'sendpay_success', payment: { id: 1n, status: 'complete' } },
    ]);
    unsubscribe();
    stub().emit({ type: 'warning', message: 'later' });
    await tick(10);
    expect(got).toHaveLength(2);
  });

  it('arms beforeunload while HTLCs are in flight and while a sendpay is on its way', async () => {
    const target = new FakeUnload();
    const { ln, stub } = await client({ env: { unloadTarget: target }, start: { warnOnUnload: true } });
    expect(target.armed).toBe(0);
    stub().inFlightCount = 2;
    await until(() => target.armed === 1); // pushed by the Worker's poll, no call needed
    expect(await ln.inFlight()).toBe(2);
    stub().inFlightCount = 0;
    await until(() => target.armed === 0);
    const sent = ln.sendpay({ route: [], payment_hash: '33'.repeat(32) });
    expect(target.armed).toBe(1); // synchronously, before the Worker counted anything
    await sent;
    expect(target.armed).toBe(0);
  });

  it('does not touch beforeunload with warnOnUnload: false', async () => {
    const target = new FakeUnload();
    const { ln, stub } = await client({ env: { unloadTarget: target } });
    stub().inFlightCount = 1;
    expect(await ln.inFlight()).toBe(1);
    await tick(50); // polls and pushes have happened by now
    expect(target.armed).toBe(0);
  });

  it('reconnects peers on online, pageshow and visibilitychange to visible (not when read-only or disabled)', async () => {
    const global = new EventTarget();
    const document = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    const env = { wakeSources: { global, document } };
    const { stub } = await client({ env, start: { pageLifecycle: true } });
    global.dispatchEvent(new Event('online'));
    global.dispatchEvent(new Event('pageshow'));
    document.dispatchEvent(new Event('visibilitychange')); // hidden: no
    document.visibilityState = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await until(() => stub().reconnects === 3);
    await tick(20);
    expect(stub().reconnects).toBe(3);
    const ro = await client({ env, readOnly: true, start: { pageLifecycle: true } });
    const off = await client({ env });
    global.dispatchEvent(new Event('online'));
    await tick(20);
    expect(ro.stub().reconnects).toBe(0);
    expect(off.stub().reconnects).toBe(0);
  });

  it('a read-only client reads and has writes refused with a clear RpcError', async () => {
    const { ln } = await client({ readOnly: true });
    expect(ln.readOnly).toBe(true);
    expect(await ln.listsendpays()).toHaveProperty('payments');
    const e = await rejection(ln.sendpay({ route: [], payment_hash: '33'.repeat(32) }));
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).message).toBe('read-only: database stub is open in another tab');
  });

  it('when the node stops on its own: a warning event, `stopped` resolves, calls reject with -5, the Worker goes', async () => {
    const { ln, terminated } = await client();
    const got: NodeEvent[] = [];
    await ln.subscribe((e) => got.push(e));
    const pending = rejection(ln.call('stub_hang'));
    await ln.call('stub_stop', { reason: 'store write failed, node stopped: QuotaExceededError' });
    expect(await ln.stopped).toBe('store write failed, node stopped: QuotaExceededError');
    const e = await pending;
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: -5, message: 'lightning-worker stopped: store write failed, node stopped: QuotaExceededError' });
    expect(await rejection(ln.getinfo())).toMatchObject({ code: -5 });
    expect(got).toContainEqual({ type: 'warning', message: 'lightning-worker stopped: store write failed, node stopped: QuotaExceededError' });
    expect(terminated()).toBe(true);
    await ln.close(); // closing a stopped client is fine
  });

  it('when the Worker stops answering, pending calls reject instead of hanging', async () => {
    const p = pair();
    const ln = await attachLightningWorker(p.worker, START, { watchdog: { intervalMs: 10, timeoutMs: 100 } });
    const got: NodeEvent[] = [];
    await ln.subscribe((e) => got.push(e));
    p.silence();
    const hang = rejection(ln.listsendpays());
    expect(await Promise.race([hang, tick(50).then(() => 'still pending')])).toBe('still pending');
    const e = await hang;
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: -5, message: 'lightning-worker stopped: the Worker did not answer for 0.1 s' });
    expect(await ln.stopped).toBe('the Worker did not answer for 0.1 s');
    expect(got).toEqual([{ type: 'warning', message: 'lightning-worker stopped: the Worker did not answer for 0.1 s' }]);
    expect(p.terminated()).toBe(true);
  });

  it('close() closes the node, terminates the Worker and refuses later calls', async () => {
    const { ln, stub, terminated } = await client();
    const got: NodeEvent[] = [];
    await ln.subscribe((e) => got.push(e));
    await ln.close();
    expect(stub().closed).toBe(true);
    expect(terminated()).toBe(true);
    expect(await ln.stopped).toBe('closed by the page');
    expect(await rejection(ln.listsendpays())).toMatchObject({ code: -5, message: 'lightning-worker is closed' });
    expect(got).toEqual([]); // closing is not news to the page that closed
    await ln.close();
  });
});

describe('starting', () => {
  it('LOCKED: rejects with WorkerStartError naming the database and the read-only option; the Worker is terminated', async () => {
    const host = new WorkerHost(() => Promise.reject(new StoreError('LOCKED', 'database wallet is open in another tab/worker')));
    const fw = fakeWorker(host.api());
    const e = await rejection(attachLightningWorker(fw.worker, START));
    expect(e).toBeInstanceOf(WorkerStartError);
    expect((e as WorkerStartError).code).toBe('LOCKED');
    expect((e as WorkerStartError).message).toBe(
      'database wallet is open in another tab/worker; only one tab can run a node on a database (pass readOnlyIfLocked: true for a read-only view here)',
    );
    expect(fw.terminated()).toBe(true);
  });

  it('a Worker that fails to load rejects the start instead of hanging', async () => {
    const fw = fakeWorker(undefined); // exposes nothing: start would never be answered
    const started = rejection(attachLightningWorker(fw.worker, START));
    await tick(10);
    fw.fireError('Uncaught SyntaxError: Unexpected token');
    const e = await started;
    expect(e).toBeInstanceOf(WorkerStartError);
    expect(e).toMatchObject({ code: 'WORKER', message: 'the Worker failed: Uncaught SyntaxError: Unexpected token' });
    expect(fw.terminated()).toBe(true);
  });
});

describe('startLightningWorker', () => {
  it('outside a browser, rejects with a WorkerStartError pointing to the in-process API', async () => {
    const { startLightningWorker } = await import('../../../src/worker/client.js');
    const e = await rejection(startLightningWorker({ network: 'regtest' }));
    expect(e).toBeInstanceOf(WorkerStartError);
    expect(e).toMatchObject({ code: 'WORKER', name: 'WorkerStartError' });
    expect((e as Error).message).toContain('lightning-worker/node');
  });
});
