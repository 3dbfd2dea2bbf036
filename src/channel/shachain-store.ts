// The receiver's compact storage of the counterparty's revealed per-commitment secrets (BOLT 3
// "Efficient Per-commitment Secret Storage"): at most 49 secrets, each checked against the ones
// it can derive when inserted, so a peer that reveals a secret not produced by its shachain is
// caught at once. The state is plain data (numbers and hex strings) so the channel state machine
// can persist it as is; every operation returns a new value and never mutates its input.
import type { Bytes } from '../util/bytes.js';
import { equalBytes, fromHex, isHex, toHex } from '../util/bytes.js';
import { ChannelError } from './errors.js';
import { SHACHAIN_MAX_INDEX, checkShachainIndex, commitmentIndex, shachainDerive } from './shachain.js';

/** One stored secret. `index` < 2^48 is exact as a JS number. */
export type StoredSecret = { index: number; secret: string };

/**
 * `known[b]` holds the secret whose index has its lowest set bit at b (b = 48: index 0).
 * `next_index` is the index the next revealed secret must have (they arrive in decreasing order).
 */
export type ShachainStore = { next_index: number; known: (StoredSecret | null)[] };

const SLOTS = 49;

export function emptyShachainStore(): ShachainStore {
  return { next_index: Number(SHACHAIN_MAX_INDEX), known: Array.from({ length: SLOTS }, () => null) };
}

/** Position of the lowest set bit of `index` (48 for index 0). */
function slotOf(index: bigint): number {
  for (let b = 0; b < 48; b++) if ((index >> BigInt(b)) & 1n) return b;
  return 48;
}

/**
 * Stores `secret` as the secret of `index`, after checking that it derives every stored secret it
 * should (a SECRET_MISMATCH ChannelError otherwise). `index` must be the store's `next_index`.
 */
export function insertSecret(store: ShachainStore, index: bigint, secret: Bytes): ShachainStore {
  checkShachainIndex(index);
  if (!(secret instanceof Uint8Array) || secret.length !== 32) throw new ChannelError('BAD_KEY', 'per-commitment secret must be 32 bytes');
  if (store.next_index < 0 || index !== BigInt(store.next_index)) {
    throw new ChannelError('BAD_INDEX', `expected the secret for index ${store.next_index}, got ${index}`);
  }
  const slot = slotOf(index);
  for (let b = 0; b < slot; b++) {
    const known = store.known[b];
    // Secrets arrive in decreasing order, so every lower slot is filled once the first index passed.
    if (!known) throw new ChannelError('BAD_STORE_DATA', `shachain slot ${b} unexpectedly empty`);
    if (!equalBytes(shachainDerive(secret, slot, BigInt(known.index)), fromHex(known.secret))) {
      throw new ChannelError('SECRET_MISMATCH', `per-commitment secret for index ${index} does not derive the secret for index ${known.index}`);
    }
  }
  const known = store.known.slice();
  known[slot] = { index: Number(index), secret: toHex(secret) };
  return { next_index: Number(index) - 1, known };
}

/** The secret of `index` if the stored secrets can derive it, else undefined. */
export function lookupSecret(store: ShachainStore, index: bigint): Bytes | undefined {
  checkShachainIndex(index);
  for (let b = 0; b < store.known.length; b++) {
    const known = store.known[b];
    if (!known) continue;
    // The stored secret covers every index that agrees with it above bit b.
    const mask = ~((1n << BigInt(b)) - 1n) & SHACHAIN_MAX_INDEX;
    if ((index & mask) === BigInt(known.index)) return shachainDerive(fromHex(known.secret), b, index);
  }
  return undefined;
}

/** Inserts the counterparty's secret for commitment number `commitmentNumber`. */
export function insertCommitmentSecret(store: ShachainStore, commitmentNumber: bigint, secret: Bytes): ShachainStore {
  return insertSecret(store, commitmentIndex(commitmentNumber), secret);
}

export function lookupCommitmentSecret(store: ShachainStore, commitmentNumber: bigint): Bytes | undefined {
  return lookupSecret(store, commitmentIndex(commitmentNumber));
}

/** Commitment number whose secret the store expects next (= how many secrets it holds). */
export function nextRevocationNumber(store: ShachainStore): bigint {
  return SHACHAIN_MAX_INDEX - BigInt(store.next_index);
}

/** Validates data read back from storage (it is ours, but a corrupt record must not go unnoticed). */
export function parseShachainStore(data: unknown): ShachainStore {
  const bad = (why: string): never => {
    throw new ChannelError('BAD_STORE_DATA', `shachain store: ${why}`);
  };
  if (typeof data !== 'object' || data === null) return bad('not an object');
  const { next_index, known } = data as { next_index?: unknown; known?: unknown };
  if (typeof next_index !== 'number' || !Number.isInteger(next_index) || next_index < -1 || next_index > Number(SHACHAIN_MAX_INDEX)) {
    return bad('bad next_index');
  }
  if (!Array.isArray(known) || known.length !== SLOTS) return bad('known must have 49 slots');
  const slots = known.map((k: unknown, b): StoredSecret | null => {
    if (k === null) return null;
    const { index, secret } = (typeof k === 'object' ? k : {}) as { index?: unknown; secret?: unknown };
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > Number(SHACHAIN_MAX_INDEX)) return bad(`slot ${b}: bad index`);
    if (slotOf(BigInt(index)) !== b) return bad(`slot ${b}: index ${index} belongs elsewhere`);
    if (!isHex(secret, 32)) return bad(`slot ${b}: bad secret`);
    return { index, secret: secret.toLowerCase() };
  });
  return { next_index, known: slots };
}
