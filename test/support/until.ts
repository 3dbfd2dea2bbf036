// Polling and rejection helpers shared by the tests that drive real nodes.
import { RpcError } from '../../src/rpc/errors.js';

/** Polls `f` until it gives a value (not undefined); fails with `what` after `ms`. */
export async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000, everyMs = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The RpcError `p` rejects with, as {code, message}; fails if it resolves or throws anything else. */
export async function rpcRejection(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an RpcError');
}

/** until() for a plain condition, polled often (in-process tests of timers and pollers). */
export async function untilTrue(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  await until(what, async () => (cond() ? true : undefined), ms, 10);
}
