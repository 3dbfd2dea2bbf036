// Per-channel secrets, derived from the node seed and a channel key index so that a channel record
// stores only the index. The secrets live inside a ChannelSigner (private fields: they do not show
// up in logs, JSON or structured clones) which exposes only what the state machine needs: points,
// the per-commitment secret it deliberately reveals in revoke_and_ack, and signatures.
import type { Bytes } from '../../util/bytes.js';
import { concatBytes, u32be, utf8 } from '../../util/bytes.js';
import { hmacSha256, isValidSecret } from '../../crypto/secp256k1.js';
import type { ChannelBasepoints } from '../keys.js';
import { basepointsFromSecrets, derivePrivkey } from '../keys.js';
import { perCommitmentPoint, perCommitmentSecret } from '../shachain.js';
import type { CommitmentTx } from '../commitment.js';
import type { HtlcTx } from '../htlc-tx.js';
import type { CommitmentSignatures } from '../signatures.js';
import { signCommitmentTx, signCounterpartyCommitment } from '../signatures.js';
import type { ClosingTx } from '../closing.js';
import { signClosingTx } from '../closing.js';
import { badCommand } from './errors.js';

/** Everything secret about one channel: five basepoint secrets and the shachain seed. */
export interface ChannelSecrets {
  readonly funding_privkey: Bytes;
  readonly revocation_basepoint_secret: Bytes;
  readonly payment_basepoint_secret: Bytes;
  readonly delayed_payment_basepoint_secret: Bytes;
  readonly htlc_basepoint_secret: Bytes;
  readonly shachain_seed: Bytes;
}

/** Where a channel's secrets come from: normally `channelKeysFromSeed`; tests may load fixtures. */
export type ChannelKeySource = (keyIndex: number) => ChannelSecrets;

const DOMAIN = utf8('lightning-worker/channel-keys/v1');
const LABELS = ['funding', 'revocation', 'payment', 'delayed_payment', 'htlc', 'shachain'] as const;

function checkIndex(keyIndex: number): void {
  if (!Number.isInteger(keyIndex) || keyIndex < 0 || keyIndex > 0xffffffff) throw badCommand('channel key index must be a u32');
}

/**
 * HMAC-SHA256(node_seed, domain || u32 key_index || label || counter): independent 32-byte values
 * per channel and purpose. The counter only moves past the (2^-128 likely) invalid scalar.
 */
function deriveSecret(nodeSeed: Bytes, keyIndex: number, label: string, scalar: boolean): Bytes {
  for (let counter = 0; counter < 256; counter++) {
    const s = hmacSha256(nodeSeed, concatBytes(DOMAIN, u32be(keyIndex), utf8(label), Uint8Array.of(counter)));
    if (!scalar || isValidSecret(s)) return s;
  }
  throw badCommand('could not derive a valid secret');
}

/** The deterministic key source of a node: every channel's secrets from the 32-byte node seed. */
export function channelKeysFromSeed(nodeSeed: Bytes): ChannelKeySource {
  if (!(nodeSeed instanceof Uint8Array) || nodeSeed.length !== 32) throw badCommand('node seed must be 32 bytes');
  const seed = nodeSeed.slice();
  return (keyIndex: number): ChannelSecrets => {
    checkIndex(keyIndex);
    const [funding, revocation, payment, delayed, htlc, shachain] = LABELS.map((l) => deriveSecret(seed, keyIndex, l, l !== 'shachain'));
    return {
      funding_privkey: funding!,
      revocation_basepoint_secret: revocation!,
      payment_basepoint_secret: payment!,
      delayed_payment_basepoint_secret: delayed!,
      htlc_basepoint_secret: htlc!,
      shachain_seed: shachain!,
    };
  };
}

/** Holds one channel's secrets and does the signing; the state machine never sees a private key. */
export class ChannelSigner {
  readonly #s: ChannelSecrets;
  readonly basepoints: ChannelBasepoints;
  readonly #points = new Map<number, Bytes>();

  constructor(secrets: ChannelSecrets) {
    for (const [k, v] of Object.entries(secrets)) {
      if (!(v instanceof Uint8Array) || v.length !== 32) throw badCommand(`channel secret ${k} must be 32 bytes`);
    }
    this.#s = secrets;
    this.basepoints = basepointsFromSecrets(secrets);
  }

  /** Our per_commitment_point of commitment `n` (cached: reestablish and signing ask repeatedly). */
  point(n: number): Bytes {
    let p = this.#points.get(n);
    if (!p) {
      p = perCommitmentPoint(this.#s.shachain_seed, BigInt(n));
      if (this.#points.size > 16) this.#points.clear();
      this.#points.set(n, p);
    }
    return p;
  }

  /** Our per_commitment_secret of commitment `n`: only ever revealed for revoked commitments. */
  revealSecret(n: number): Bytes {
    return perCommitmentSecret(this.#s.shachain_seed, BigInt(n));
  }

  /** commitment_signed content for the peer's commitment (built for its `remotePoint`). */
  signCounterparty(c: CommitmentTx, htlcTxs: readonly HtlcTx[], remotePoint: Bytes): CommitmentSignatures {
    const htlcKey = derivePrivkey(this.#s.htlc_basepoint_secret, remotePoint);
    return signCounterpartyCommitment(c, htlcTxs, this.#s.funding_privkey, htlcKey);
  }

  /** Our own signature on our commitment, for a unilateral close. */
  signHolderCommitment(c: CommitmentTx): Bytes {
    return signCommitmentTx(c, this.#s.funding_privkey);
  }

  signClosing(c: ClosingTx): Bytes {
    return signClosingTx(c, this.#s.funding_privkey);
  }

  toJSON(): { basepoints: ChannelBasepoints } {
    return { basepoints: this.basepoints };
  }
}
