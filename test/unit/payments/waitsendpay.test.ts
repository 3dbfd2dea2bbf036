// waitsendpay (W-1…W-4) on the runtime's PaymentsService, and the waiter registry: blocking and
// waking, timeouts (chained beyond setTimeout's limit), polling, many waiters, cancellation that
// leaves the payment alone.
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, scheduleLong, WaitsendpayWaiters } from '../../../src/payments/index.js';
import { RpcError } from '../../../src/rpc/index.js';
import { FakeClock, HASH, SCID1, SECRET, expectErr, expectOk, hop, ids, makePayer } from './helpers.js';

const PEER = ids[5]!;
const route = [hop(PEER, SCID1, 1000, 9)];
const ID1 = { payment_hash: HASH, partid: 0n, groupid: 1n };

describe('waitsendpay parameters and defaults (W-1)', () => {
  it('groupid defaults to the latest group; partid to 0', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    await payer.failLocal(ID1, 4103, 'x');
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    await payer.fulfill({ ...ID1, groupid: 2n }, '66'.repeat(32));
    expect(expectOk(await payer.call('waitsendpay', [HASH]))).toMatchObject({ groupid: 2n, status: 'complete' });
    expectErr(await payer.call('waitsendpay', [HASH, null, null, 1]), 204);
  });

  it('an MPP caller must pass partid: "Never attempted payment part 0"', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH, partid: 3, amount_msat: 3000, payment_secret: SECRET }));
    expectErr(await payer.call('waitsendpay', { payment_hash: HASH, timeout: 0 }), 208, `Never attempted payment part 0 for '${HASH}'`);
    // partid alone is enough (the schema's pairing is not enforced); groupid = latest.
    const p = await payer.waitsendpay({ payment_hash: HASH, partid: 3 });
    await payer.fulfill({ payment_hash: HASH, partid: 3n, groupid: 1n }, '66'.repeat(32));
    expect(expectOk(await p.answer)).toMatchObject({ partid: 3n });
  });

  it('208 for an unknown hash, or a group that was never used', async () => {
    const { payer } = await makePayer();
    expectErr(await payer.call('waitsendpay', [HASH]), 208, `Never attempted payment part 0 for '${HASH}'`);
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    expectErr(await payer.call('waitsendpay', { payment_hash: HASH, groupid: 2 }), 208);
  });

  it('timeout is a u32 with "should be an integer"', async () => {
    const { payer } = await makePayer();
    for (const bad of ['-1', '1.5', '4294967296', '"x"', 'null']) {
      expectErr(
        await payer.call('waitsendpay', JSON.parse(`{"payment_hash":"${HASH}","timeout":${bad}}`)),
        -32602,
        `timeout: should be an integer: invalid token '${bad}'`,
      );
    }
  });
});

describe('waiting (W-2, W-3)', () => {
  it('times out with 200 after exactly `timeout` seconds, leaving the payment pending', async () => {
    const { payer, clock } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    let settled = false;
    const p = (await payer.waitsendpay([HASH, 5])).answer.then((r) => {
      settled = true;
      return r;
    });
    clock.advance(4999);
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    clock.advance(1);
    expectErr(await p, 200, 'Timed out while waiting');
    expect((await payer.rows())[0]!.status).toBe('pending');
    expect(payer.bumps).toHaveLength(1);
    expect(payer.service.waiters.size).toBe(0);
    // The payment goes on and a new wait sees its end.
    const again = await payer.waitsendpay([HASH]);
    await payer.fulfill(ID1, '66'.repeat(32));
    expectOk(await again.answer);
  });

  it('timeout 0 polls: answered on the next timer tick', async () => {
    const { payer, clock } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    const p = await payer.waitsendpay([HASH, 0]);
    clock.advance(0);
    expectErr(await p.answer, 200, 'Timed out while waiting');
  });

  it('several waiters on one part are all answered; the timer is cleared', async () => {
    const { payer, clock } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    const ps = [await payer.waitsendpay([HASH]), await payer.waitsendpay([HASH, 100]), await payer.waitsendpay([HASH, 3])];
    expect(clock.pending).toBe(2);
    await payer.fulfill(ID1, '66'.repeat(32));
    for (const p of ps) expect(expectOk(await p.answer)).toMatchObject({ status: 'complete' });
    expect(clock.pending).toBe(0);
  });

  it('an abort ends only that wait (answered -1 with the reason), payment and others untouched', async () => {
    const { payer, clock } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    const ac = new AbortController();
    const aborted = await payer.waitsendpay([HASH, 60], { signal: ac.signal });
    const other = await payer.waitsendpay([HASH]);
    ac.abort(new Error('page went away'));
    // The registry rejects with the signal's reason; the dispatcher turns that into CLN's -1.
    expectErr(await aborted.answer, -1, 'page went away');
    expect(clock.pending).toBe(0);
    expect(payer.service.waiters.size).toBe(1);
    expect((await payer.rows())[0]!.status).toBe('pending');
    await payer.fulfill(ID1, '66'.repeat(32));
    expectOk(await other.answer);
  });

  it('an already aborted signal rejects at once', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    const ac = new AbortController();
    ac.abort();
    expectErr(await payer.call('waitsendpay', [HASH], { signal: ac.signal }), -1);
    expect(payer.service.waiters.size).toBe(0);
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

  it('answerAll (the node stopping) answers every waiter of every attempt and clears their timers', async () => {
    const clock = new FakeClock();
    const w = new WaitsendpayWaiters(clock);
    const ID2 = { ...ID1, partid: 2n };
    const waits = [w.wait(ID1), w.wait(ID1, 60), w.wait(ID2, 3600)];
    expect(clock.pending).toBe(2);
    const stopped = { ok: false as const, error: new RpcError(-5, 'lightning-worker stopped: closed') };
    expect(w.answerAll(stopped)).toBe(3);
    for (const p of waits) expect(await p).toBe(stopped);
    expect(clock.pending).toBe(0);
    expect(w.size).toBe(0);
  });

  it('settled rows answer without waiting (W-2)', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    await payer.fulfill(ID1, '66'.repeat(32));
    expectOk(await payer.call('waitsendpay', [HASH, 0]));
    expect(payer.service.waiters.size).toBe(0);
  });
});

describe('blocking and waking on the runtime service', () => {
  it('a wait blocks while the attempt is pending and wakes on its resolution', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    let settled = false;
    const w = await payer.waitsendpay([HASH]);
    void w.answer.then(() => (settled = true));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(payer.service.waiters.size).toBe(1);
    await payer.failRemote(ID1, 0, new Uint8Array([0x20, 0x02]));
    const e = expectErr(await w.answer, 204, 'failed: WIRE_TEMPORARY_NODE_FAILURE (reply from remote)');
    // F-7: the live answer shows the row as it was when the wait began.
    expect(e.data).toMatchObject({ status: 'pending', erring_index: 1, erring_node: PEER, raw_message: '2002' });
    expect(settled).toBe(true);
  });

  it('a wait sent right behind its sendpay sees the new row (one mutex, arrival order)', async () => {
    const { payer } = await makePayer();
    const sent = payer.call('sendpay', { route, payment_hash: HASH });
    const waited = payer.call('waitsendpay', [HASH]);
    expectOk(await sent);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(payer.service.waiters.size).toBe(1);
    await payer.fulfill(ID1, '66'.repeat(32));
    expect(expectOk(await waited)).toMatchObject({ status: 'complete', payment_preimage: '66'.repeat(32) });
  });

  it('only the resolved part wakes: a wait on another part of the same group stays', async () => {
    const { payer, clock } = await makePayer();
    const part = (partid: number) => ({ route, payment_hash: HASH, groupid: 1, partid, amount_msat: 2000, payment_secret: SECRET });
    expectOk(await payer.call('sendpay', part(1)));
    expectOk(await payer.call('sendpay', part(2)));
    const w1 = await payer.waitsendpay({ payment_hash: HASH, partid: 1, timeout: 10 });
    const w2 = await payer.waitsendpay({ payment_hash: HASH, partid: 2 });
    await payer.fulfill({ payment_hash: HASH, partid: 2n, groupid: 1n }, '66'.repeat(32));
    expect(expectOk(await w2.answer)).toMatchObject({ partid: 2n, status: 'complete' });
    expect(payer.service.waiters.size).toBe(1);
    clock.advance(10_000);
    expectErr(await w1.answer, 200, 'Timed out while waiting');
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
