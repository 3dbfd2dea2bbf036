// Our transactions that must reach the chain, offered to the chain source again until it knows
// them: a funding tx (funder, once funding_signed made the channel real), our latest commitment
// after a force-close, the agreed mutual close. A crash between the commit and the broadcast, a
// chain source that was down, a mempool that dropped the tx, or a restart on a fresh source all
// leave the tx unknown; at load and at every block we look again. Idempotent: a tx the source
// already knows (mempool or block) is not sent again.
//
// Each block costs only what is still open: a funding the depth check saw confirm (funding_depth
// > 0) is done, and one the depth check looked at in this block is not asked about again; a closed
// channel's tx is built once (it cannot change), and once it confirms — or the funding output
// turns out spent by another tx (the peer's commitment) — the channel goes ONCHAIN and leaves the
// list for good. A refusal is logged once per reason, not at every block.
import type { Store, StoreRecord } from '../store/types.js';
import { ChainError, type ChainSource, type TxStatus } from '../chain/types.js';
import { serializeTx, txidHex } from '../channel/bitcoin/tx.js';
import { parseTx } from '../channel/bitcoin/parse.js';
import { fundingWatch, signedLocalCommitment, type Channel } from '../channel/state/index.js';
import { toHex } from '../util/bytes.js';
import { errorMessage } from '../errors.js';
import type { Logger } from './log.js';
import { FUNDINGS_TABLE, type FundingRecord } from './tables.js';

export type BroadcastKind = 'funding' | 'commitment' | 'closing';

interface Pending {
  kind: BroadcastKind;
  channel_id: string;
  txid: string;
  tx_hex: string;
  /** An output of the tx, for sources that find confirmed txs only through an unspent output. */
  output_index: number;
  /** The funding record to mark broadcast once the source has the tx. */
  funding?: FundingRecord;
}

/** What one broadcast came to. */
type Offer = 'sent' | 'in_chain' | 'inputs_gone' | 'refused';

export interface RebroadcastDeps {
  store: Store;
  chain: ChainSource;
  log: Logger;
  /** The channel a funding record belongs to (by temporary or final channel id). */
  channel(ref: string): Channel | undefined;
  channels(): Channel[];
  /** The channel's funding output is spent for good (our close confirmed, or another tx spent it). */
  fundingSpent(channelId: string): Promise<void>;
  /** A store write failed: the node stops. */
  fatal(e: unknown): void;
}

export class Rebroadcaster {
  private running: Promise<void> | undefined;
  private again = false;
  /** Txs seen in a block since this process started: not asked about again. */
  private readonly confirmed = new Set<string>();
  /** Txs that can never confirm (an input is spent for good): not offered again. */
  private readonly abandoned = new Set<string>();
  /** The commitment or closing tx of each closed channel, built once. */
  private readonly closingTxs = new Map<string, Pending | null>();
  /** Per txid, the last refusal logged: the same reason is not logged again at every block. */
  private readonly lastRefusal = new Map<string, string>();
  /** Statuses the caller already asked the source for in this block (the funding depth check). */
  private known = new Map<string, TxStatus>();

  constructor(private readonly d: RebroadcastDeps) {}

  /**
   * One pass; a call during a pass runs one more pass after it (blocks can come quickly).
   * `known`: txStatus answers of this block, not asked again.
   */
  run(known?: ReadonlyMap<string, TxStatus>): Promise<void> {
    if (known) for (const [txid, s] of known) this.known.set(txid, s);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          const statuses = this.known;
          this.known = new Map();
          await this.pass(statuses);
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Sends one tx now; true if the source has it (took it, or it is already in a block). */
  async broadcast(txHex: string, kind: BroadcastKind, channelId: string, txid?: string): Promise<boolean> {
    const o = await this.offer(txHex, kind, channelId, txid);
    return o === 'sent' || o === 'in_chain';
  }

  private async offer(txHex: string, kind: BroadcastKind, channelId: string, txid?: string): Promise<Offer> {
    try {
      const sent = await this.d.chain.broadcast(txHex);
      this.d.log.log('info', 'broadcast', { kind, channel_id: channelId, txid: sent });
      return 'sent';
    } catch (e) {
      if (e instanceof ChainError && e.code === 'ALREADY_IN_CHAIN') return 'in_chain';
      if (e instanceof ChainError && e.code === 'INPUTS_MISSING_OR_SPENT') return 'inputs_gone';
      const reason = errorMessage(e);
      const key = txid ?? `${kind}:${channelId}`;
      const repeat = this.lastRefusal.get(key) === reason;
      this.lastRefusal.set(key, reason);
      this.d.log.log(repeat ? 'debug' : 'error', 'broadcast failed (retried at the next block)', { kind, channel_id: channelId, error: reason });
      return 'refused';
    }
  }

  private async pending(): Promise<Pending[]> {
    const out: Pending[] = [];
    const fundings = (await this.d.store.query(FUNDINGS_TABLE.name)) as unknown as FundingRecord[];
    for (const f of fundings) {
      if (this.confirmed.has(f.txid) || this.abandoned.has(f.txid)) continue;
      const ch = this.d.channel(f.channel_ref);
      // Before funding_signed the tx must never go out (the peer may not have signed our refund);
      // such a record belongs to an abandoned attempt.
      if (!ch || !ch.persisted || ch.record.state === 'ABORTED' || ch.record.state === 'ONCHAIN') continue;
      // The depth check saw it in a block: the chain has it.
      if (ch.record.funding_depth > 0) continue;
      out.push({ kind: 'funding', channel_id: ch.record.channel_id, txid: f.txid, tx_hex: f.tx_hex, output_index: f.output_index, funding: f });
    }
    for (const ch of this.d.channels()) {
      const p = this.closingTx(ch);
      if (p && !this.confirmed.has(p.txid) && !this.abandoned.has(p.txid)) out.push(p);
    }
    return out;
  }

  /** The tx a closed channel waits on; built (and signed) once, since it can no longer change. */
  private closingTx(ch: Channel): Pending | null {
    const r = ch.record;
    if (r.state !== 'FORCE_CLOSED' && r.state !== 'CLOSING_COMPLETE') return null;
    const cached = this.closingTxs.get(r.channel_id);
    if (cached !== undefined) return cached;
    let p: Pending | null = null;
    if (r.state === 'FORCE_CLOSED') {
      const tx = signedLocalCommitment(ch);
      if (tx) p = { kind: 'commitment', channel_id: r.channel_id, txid: txidHex(tx), tx_hex: toHex(serializeTx(tx)), output_index: 0 };
    } else if (r.closing.closing_tx) {
      p = { kind: 'closing', channel_id: r.channel_id, txid: txidHex(parseTx(r.closing.closing_tx)), tx_hex: toHex(r.closing.closing_tx), output_index: 0 };
    }
    this.closingTxs.set(r.channel_id, p);
    return p;
  }

  private async pass(known: ReadonlyMap<string, TxStatus>): Promise<void> {
    let list: Pending[];
    try {
      list = await this.pending();
    } catch (e) {
      this.d.log.log('error', 'rebroadcast: cannot list pending transactions', { error: errorMessage(e) });
      return;
    }
    for (const p of list) {
      let status = known.get(p.txid);
      try {
        status ??= await this.d.chain.txStatus(p.txid, p.output_index);
      } catch (e) {
        this.d.log.log('warn', 'rebroadcast: chain source unreachable', { kind: p.kind, channel_id: p.channel_id, error: errorMessage(e) });
        return;
      }
      if ((status.confirmations ?? 0) > 0) {
        if (!(await this.inBlock(p))) return;
        continue;
      }
      if (status.confirmations === null) {
        const o = await this.offer(p.tx_hex, p.kind, p.channel_id, p.txid);
        if (o === 'refused') continue;
        if (o === 'in_chain') {
          if (!(await this.inBlock(p))) return;
          continue;
        }
        if (o === 'inputs_gone') {
          await this.inputsGone(p);
          continue;
        }
      }
      if (p.funding && !p.funding.broadcast && !(await this.markBroadcast(p.funding))) return;
    }
  }

  /** `p` is in a block: done for this process; a close moves its channel ONCHAIN. False: the store failed. */
  private async inBlock(p: Pending): Promise<boolean> {
    this.confirmed.add(p.txid);
    if (p.funding && !p.funding.broadcast && !(await this.markBroadcast(p.funding))) return false;
    if (p.kind === 'funding') return true;
    this.d.log.log('info', 'closing transaction confirmed', { kind: p.kind, channel_id: p.channel_id, txid: p.txid });
    return this.toOnchain(p.channel_id);
  }

  /**
   * The source refused `p` because an input is spent or unknown. For a close, that is final once
   * the funding output is known to have confirmed: something else (the peer's commitment, another
   * close) spent it. A funding tx whose wallet inputs went elsewhere can never confirm either.
   */
  private async inputsGone(p: Pending): Promise<void> {
    if (p.kind !== 'funding' && !(await this.fundingConfirmed(p.channel_id))) {
      // Most likely the funding tx is not in the source's mempool yet: retried at each block.
      this.logOnce(p.txid, 'info', 'closing transaction waits for its funding transaction (retried at each block)', p);
      return;
    }
    this.abandoned.add(p.txid);
    this.logOnce(p.txid, 'warn', 'not offered again: an input is already spent by another transaction', p);
    if (p.kind !== 'funding') await this.toOnchain(p.channel_id);
  }

  private async fundingConfirmed(channelId: string): Promise<boolean> {
    const ch = this.d.channel(channelId);
    if (!ch) return false;
    if (ch.record.funding_depth > 0) return true;
    const watch = fundingWatch(ch);
    if (!watch) return false;
    try {
      const s = await this.d.chain.txStatus(toHex(watch.txid.slice().reverse()), watch.output_index);
      return (s.confirmations ?? 0) > 0;
    } catch (e) {
      this.d.log.log('warn', 'rebroadcast: chain source unreachable', { channel_id: channelId, error: errorMessage(e) });
      return false;
    }
  }

  private async toOnchain(channelId: string): Promise<boolean> {
    try {
      await this.d.fundingSpent(channelId);
      return true;
    } catch (e) {
      // A store failure already stopped the node.
      this.d.log.log('error', 'rebroadcast: cannot record the channel on chain', { channel_id: channelId, error: errorMessage(e) });
      return false;
    }
  }

  private logOnce(txid: string, level: 'info' | 'warn', msg: string, p: Pending): void {
    if (this.lastRefusal.get(txid) === msg) return;
    this.lastRefusal.set(txid, msg);
    this.d.log.log(level, msg, { kind: p.kind, channel_id: p.channel_id, txid: p.txid });
  }

  /** Records that a funding tx reached the chain source; false if the store failed (node stops). */
  async markBroadcast(f: FundingRecord): Promise<boolean> {
    try {
      await this.d.store.commit([{ table: FUNDINGS_TABLE.name, put: { ...f, broadcast: true } as unknown as StoreRecord }]);
      return true;
    } catch (e) {
      this.d.fatal(e);
      return false;
    }
  }
}
