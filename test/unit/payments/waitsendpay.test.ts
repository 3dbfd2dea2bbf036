// waitsendpay (W-1…W-4) and the waiter registry: timeouts (chained beyond setTimeout's limit),
// polling, many waiters, cancellation that leaves the payment alone.
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, scheduleLong, WaitsendpayWaiters } from '../../../src/payments/index.js';
import { RpcError } from '../../../src/rpc/index.js';
import { FakeClock, HASH, SCID1, SECRET, expectErr, expectOk, hop, ids, makeEngine } from './helpers.js';

const PEER = ids[5]!;
const route = [hop(PEER, SCID1, 1000, 9)];
const ID1 = { payment_hash: HASH, partid: 0n, groupid: 1n };

describe('waitsendpay parameters and defaults (W-1)', () => {
  it('groupid defaults to the latest group; partid to 0', async () => {
    const { engine } = makeEngine();
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    engine.resolve(ID1, { kind: 'local', failcode: 4103, reason: 'x' });
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    engine.resolve({ ...ID1, groupid: 2n }, { kind: 'fulfilled', preimage: '66'.repeat(32) });
    expect(expectOk(await engine.call('waitsendpay', [HASH]))).toMatchObject({ groupid: 2n, status: 'complete' });
    expectErr(await engine.call('waitsendpay', [HASH, null, null, 1]), 204);
  });

  it('an MPP caller must pass partid: "Never attempted payment part 0"', async () => {
    const { engine } = makeEngine();
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH, partid: 3, amount_msat: 3000, payment_secret: SECRET }));
    expectErr(await engine.call('waitsendpay', { payment_hash: HASH, timeout: 0 }), 208, `Never attempted payment part 0 for '${HASH}'`);
    // partid alone is enough (the schema's pairing is not enforced); groupid = latest.
    const p = engine.call('waitsendpay', { payment_hash: HASH, partid: 3 });
    engine.resolve({ payment_hash: HASH, partid: 3n, groupid: 1n }, { kind: 'fulfilled', preimage: '66'.repeat(32) });
    expect(expectOk(await p)).toMatchObject({ partid: 3n });
  });

  it('208 for an unknown hash, or a group that was never used', async () => {
    const { engine } = makeEngine();
    expectErr(await engine.call('waitsendpay', [HASH]), 208, `Never attempted payment part 0 for '${HASH}'`);
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    expectErr(await engine.call('waitsendpay', { payment_hash: HASH, groupid: 2 }), 208);
  });

  it('timeout is a u32 with "should be an integer"', async () => {
    const { engine } = makeEngine();
    for (const bad of ['-1', '1.5', '4294967296', '"x"', 'null']) {
      expectErr(
        await engine.call('waitsendpay', JSON.parse(`{"payment_hash":"${HASH}","timeout":${bad}}`)),
        -32602,
        `timeout: should be an integer: invalid token '${bad}'`,
      );
    }
  });
});

describe('waiting (W-2, W-3)', () => {
  it('times out with 200 after exactly `timeout` seconds, leaving the payment pending', async () => {
    const { engine, clock } = makeEngine();
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    let settled = false;
    const p = engine.call('waitsendpay', [HASH, 5]).then((r) => {
      settled = true;
      return r;
    });
    clock.advance(4999);
    await Promise.resolve();
    expect(settled).toBe(false);
    clock.advance(1);
    expectErr(await p, 200, 'Timed out while waiting');
    expect(engine.rows[0]!.status).toBe('pending');
    expect(engine.bumps).toHaveLength(1);
  });

  it('timeout 0 polls: answered on the next timer tick', async () => {
    const { engine, clock } = makeEngine();
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    const p = engine.call('waitsendpay', [HASH, 0]);
    clock.advance(0);
    expectErr(await p, 200, 'Timed out while waiting');
  });

  it('several waiters on one part are all answered; the timer is cleared', async () => {
    const { engine, clock } = makeEngine();
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    const ps = [engine.call('waitsendpay', [HASH]), engine.call('waitsendpay', [HASH, 100]), engine.call('waitsendpay', [HASH, 3])];
    expect(clock.pending).toBe(2);
    engine.resolve(ID1, { kind: 'fulfilled', preimage: '66'.repeat(32) });
    for (const p of ps) expect(expectOk(await p)).toMatchObject({ status: 'complete' });
    expect(clock.pending).toBe(0);
  });

  it('an abort ends only that wait (answered -1 with the reason), payment and others untouched', async () => {
    const { engine, clock } = makeEngine();
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    const ac = new AbortController();
    const aborted = engine.call('waitsendpay', [HASH, 60], { signal: ac.signal });
    const other = engine.call('waitsendpay', [HASH]);
    ac.abort(new Error('page went away'));
    // The registry rejects with the signal's reason; the dispatcher turns that into CLN's -1.
    expectErr(await aborted, -1, 'page went away');
    expect(clock.pending).toBe(0);
    expect(engine.waitsendpayWaiters.size).toBe(1);
    expect(engine.rows[0]!.status).toBe('pending');
    engine.resolve(ID1, { kind: 'fulfilled', preimage: '66'.repeat(32) });
    expectOk(await other);
  });

  it('an already aborted signal rejects at once', async () => {
    const { engine } = makeEngine();
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    const ac = new AbortController();
    ac.abort();
    expectErr(await engine.call('waitsendpay', [HASH], { signal: ac.signal }), -1);
    expect(engine.waitsendpayWaiters.size).toBe(0);
  });

  it('the registry itself rejects with the abort reason and clears its timer', async () => {
    const clock = new FakeClock();
    const w = new WaitsendpayWaiters(clock);
    const ac = new AbortController();
    const reason = new Error('bye');
    const p = w.wait(ID1, 10, ac.signal);
    expect(clock.pending).toBe(1);
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
    expect(w.size).toBe(0);
    expect(w.answer(ID1, { ok: false, error: new RpcError(204, 'late') })).toBe(0);
  });

  it('settled rows answer without waiting (W-2)', async () => {
    const { engine } = makeEngine();
    expectOk(await engine.call('sendpay', { route, payment_hash: HASH }));
    engine.resolve(ID1, { kind: 'fulfilled', preimage: '66'.repeat(32) });
    expectOk(await engine.call('waitsendpay', [HASH, 0]));
    expect(engine.waitsendpayWaiters.size).toBe(0);
  });
});

describe('long timers', () => {
  it('u32-second timeouts are chained below setTimeout’s limit and fire exactly on time', async () => {
    const clock = new FakeClock();
    const w = new WaitsendpayWaiters(clock);
    let done = false;
    const p = w.wait(ID1, 4294967295).then((r) => {
      done = true;
      return r;
    });
    const total = 4294967295 * 1000;
    clock.advance(total - 1);
    await Promise.resolve();
    expect(done).toBe(false);
    expect(clock.maxDelay).toBeLessThanOrEqual(MAX_TIMER_MS);
    clock.advance(1);
    expectErr(await p, 200, 'Timed out while waiting');
  });

  it('scheduleLong can be cancelled mid-chain', () => {
    const clock = new FakeClock();
    let fired = false;
    const cancel = scheduleLong(clock, MAX_TIMER_MS * 3, () => {
      fired = true;
    });
    clock.advance(MAX_TIMER_MS + 10);
    expect(clock.pending).toBe(1);
    cancel();
    expect(clock.pending).toBe(0);
    clock.advance(MAX_TIMER_MS * 3);
    expect(fired).toBe(false);
  });
});
