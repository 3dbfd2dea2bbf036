// Our transactions that must reach the chain, offered to the chain source again until it knows
// them: a funding tx (funder, once funding_signed made the channel real), our latest commitment
// after a force-close, the agreed mutual close. A crash between the commit and the broadcast, a
// chain source that was down, a mempool that dropped the tx, or a restart on a fresh source all
// leave the tx unknown; at load and at every block we look again. Idempotent: a tx the source
// already knows (mempool or block) is not sent again.
import type { Store, StoreRecord } from '../store/types.js';
import type { ChainSource } from '../chain/types.js';
import { serializeTx, txidHex } from '../channel/bitcoin/tx.js';
import { parseTx } from '../channel/bitcoin/parse.js';
import { signedLocalCommitment, type Channel } from '../channel/state/index.js';
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

export interface RebroadcastDeps {
  store: Store;
  chain: ChainSource;
  log: Logger;
  /** The channel a funding record belongs to (by temporary or final channel id). */
  channel(ref: string): Channel | undefined;
  channels(): Channel[];
  /** A store write failed: the node stops. */
  fatal(e: unknown): void;
}

export class Rebroadcaster {
  private running: Promise<void> | undefined;
  private again = false;
  /** Txs seen in a block since this process started: not asked about again (one look per start). */
  private readonly confirmed = new Set<string>();

  constructor(private readonly d: RebroadcastDeps) {}

  /** One pass; a call during a pass runs one more pass after it (blocks can come quickly). */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Sends one tx now; true if the source took it. */
  async broadcast(txHex: string, kind: BroadcastKind, channelId: string): Promise<boolean> {
    try {
      const txid = await this.d.chain.broadcast(txHex);
      this.d.log.log('info', 'broadcast', { kind, channel_id: channelId, txid });
      return true;
    } catch (e) {
      this.d.log.log('error', 'broadcast failed (retried at the next block)', { kind, channel_id: channelId, error: errorMessage(e) });
      return false;
    }
  }

  private async pending(): Promise<Pending[]> {
    const out: Pending[] = [];
    const fundings = (await this.d.store.query(FUNDINGS_TABLE.name)) as unknown as FundingRecord[];
    for (const f of fundings) {
      const ch = this.d.channel(f.channel_ref);
      // Before funding_signed the tx must never go out (the peer may not have signed our refund);
      // such a record belongs to an abandoned attempt.
      if (!ch || !ch.persisted || ch.record.state === 'ABORTED') continue;
      out.push({ kind: 'funding', channel_id: ch.record.channel_id, txid: f.txid, tx_hex: f.tx_hex, output_index: f.output_index, funding: f });
    }
    for (const ch of this.d.channels()) {
      const r = ch.record;
      if (r.state === 'FORCE_CLOSED') {
        const tx = signedLocalCommitment(ch);
        if (tx) out.push({ kind: 'commitment', channel_id: r.channel_id, txid: txidHex(tx), tx_hex: toHex(serializeTx(tx)), output_index: 0 });
      } else if (r.state === 'CLOSING_COMPLETE' && r.closing.closing_tx) {
        const hex = toHex(r.closing.closing_tx);
        out.push({ kind: 'closing', channel_id: r.channel_id, txid: txidHex(parseTx(r.closing.closing_tx)), tx_hex: hex, output_index: 0 });
      }
    }
    return out;
  }

  private async pass(): Promise<void> {
    let list: Pending[];
    try {
      list = await this.pending();
    } catch (e) {
      this.d.log.log('error', 'rebroadcast: cannot list pending transactions', { error: errorMessage(e) });
      return;
    }
    for (const p of list) {
      if (this.confirmed.has(p.txid)) continue;
      let known: boolean;
      try {
        const status = await this.d.chain.txStatus(p.txid, p.output_index);
        known = status.confirmations !== null;
        if ((status.confirmations ?? 0) > 0) this.confirmed.add(p.txid);
      } catch (e) {
        this.d.log.log('warn', 'rebroadcast: chain source unreachable', { kind: p.kind, channel_id: p.channel_id, error: errorMessage(e) });
        return;
      }
      if (!known && !(await this.broadcast(p.tx_hex, p.kind, p.channel_id))) continue;
      if (p.funding && !p.funding.broadcast && !(await this.markBroadcast(p.funding))) return;
    }
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
