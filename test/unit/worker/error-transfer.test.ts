import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcError } from '../../../src/rpc/errors.js';
import { StoreError } from '../../../src/store/types.js';
import { deserializeThrown, installErrorTransfer, serializeThrown } from '../../../src/worker/error-transfer.js';

/** serialize → structured clone (what postMessage does) → deserialize. */
function roundTrip(thrown: unknown): unknown {
  return deserializeThrown(structuredClone(serializeThrown(thrown)));
}

describe('error serialization', () => {
  it('keeps an RpcError whole: instance, code, message and data (bigint included)', () => {
    const data = { erring_index: 1, amount_msat: 2n ** 64n - 1n, raw_message: '1007', nested: [null, true] };
    const back = roundTrip(new RpcError(204, 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (reply from remote)', data));
    expect(back).toBeInstanceOf(RpcError);
    const e = back as RpcError;
    expect(e.code).toBe(204);
    expect(e.message).toBe('failed: WIRE_TEMPORARY_CHANNEL_FAILURE (reply from remote)');
    expect(e.data).toEqual(data);
    expect(e.toJSON()).toEqual({ code: 204, message: 'failed: WIRE_TEMPORARY_CHANNEL_FAILURE (reply from remote)', data });
  });

  it('leaves data absent when the error had none', () => {
    const e = roundTrip(new RpcError(-32602, 'payment_hash: should be a 32 byte hex value')) as RpcError;
    expect(e.code).toBe(-32602);
    expect('data' in e).toBe(false);
  });

  it('drops data that cannot be cloned but keeps the error', () => {
    const e = roundTrip(new RpcError(209, 'odd', { f: () => 1 })) as RpcError;
    expect(e).toBeInstanceOf(RpcError);
    expect(e.code).toBe(209);
    expect(e.data).toBeUndefined();
  });

  it('maps other LightningErrors and plain errors to -1 with their message, without the stack', () => {
    const store = roundTrip(new StoreError('FAILED', 'IndexedDB store wallet failed: quota exceeded')) as RpcError;
    expect(store).toBeInstanceOf(RpcError);
    expect(store.code).toBe(-1);
    expect(store.message).toBe('IndexedDB store wallet failed: quota exceeded');
    const bug = serializeThrown(new TypeError('x is undefined'));
    expect(bug).toEqual({ kind: 'rpc', code: -1, message: 'x is undefined' });
  });

  it('keeps an abort an AbortError', () => {
    const e = roundTrip(new DOMException('The wait was aborted by the page', 'AbortError'));
    expect(e).toBeInstanceOf(DOMException);
    expect((e as DOMException).name).toBe('AbortError');
    expect((e as DOMException).message).toBe('The wait was aborted by the page');
  });

  it('passes other thrown values through as they are', () => {
    expect(roundTrip('just a string')).toBe('just a string');
    expect(roundTrip({ why: 1n })).toEqual({ why: 1n });
    expect(roundTrip(Symbol.iterator)).toEqual(new RpcError(-1, 'Symbol(Symbol.iterator)'));
  });
});

describe('the Comlink transfer handler', () => {
  const ports: MessagePort[] = [];
  afterEach(() => {
    for (const p of ports.splice(0)) p.close();
  });

  it('delivers a rejection from the exposing side as an RpcError on the calling side', async () => {
    installErrorTransfer();
    installErrorTransfer(); // idempotent
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    Comlink.expose(
      {
        fail: () => Promise.reject(new RpcError(208, "Never attempted payment for 'ff'", { payment_hash: 'ff' })),
        store: () => {
          throw new StoreError('LOCKED', 'database w is open in another tab/worker');
        },
      },
      port1,
    );
    const remote = Comlink.wrap<{ fail(): Promise<void>; store(): void }>(port2);
    const e = await remote.fail().then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: 208, message: "Never attempted payment for 'ff'", data: { payment_hash: 'ff' } });
    await expect(remote.store()).rejects.toMatchObject({ code: -1, message: 'database w is open in another tab/worker' });
    await expect(remote.store()).rejects.toBeInstanceOf(RpcError);
  });
});
