// The HTLC switch: the follow-up work of channel events, read from the outbox.
// - incoming (an HTLC irrevocably committed to us): peel its onion and forward it, receive it, or
//   fail it with the BOLT 4 failure the forwarder/payee rules give;
// - preimage (the peer revealed the preimage of an HTLC we offered): complete the payment, or
//   settle the incoming HTLC we forwarded;
// - resolved (an HTLC's removal is irrevocably committed): fail the payment, or fail the incoming
//   HTLC we forwarded with the wrapped failure onion; clean up.
// Each step deletes its outbox record in the same commit that carries its effect.
import type { Store, WriteOp } from '../store/types.js';
import type { Network } from '../chain/types.js';
import { fromHex } from '../util/bytes.js';
import { scid as asScid, type Scid } from '../types.js';
import { balances, type Channel, type HtlcRecord } from '../channel/state/index.js';
import { peelOnion } from '../onion/peel.js';
import { buildFailurePacket, failureFromMalformed, wrapFailurePacket } from '../onion/failure-packet.js';
import { encodeFailureMessage } from '../onion/index.js';
import { OnionError } from '../onion/errors.js';
import { checkForward, channelUpdateFor, forwardInKey, htlcFailure, type HtlcFailure, type OutgoingChannel, type RelayPolicy, type IncomingSide } from '../forwarding/index.js';
import type { ChannelFollowUps, ChannelManager } from './channels.js';
import type { PaymentsService } from './payments-service.js';
import type { ForwardsService } from './forwards-service.js';
import type { InvoicesService, PayeeActions } from './invoices-service.js';
import { ORIGINS_TABLE, OUTBOX_TABLE, outboxKey, type OriginRecord, type OutboxRecord } from './tables.js';
import type { Logger } from './log.js';

export interface HtlcSwitchDeps {
  store: Store;
  network: Network;
  nodeSecret: Uint8Array;
  relay: RelayPolicy;
  channels: ChannelManager;
  payments: PaymentsService;
  forwards: ForwardsService;
  /** Set after construction (the invoices service needs the switch's PayeeActions). */
  invoices?: InvoicesService;
  now(): number;
  nowMs(): number;
  blockHeight(): Promise<number>;
  log: Logger;
  /**
   * DEV-ONLY (tests of Core Lightning's 202 "Malformed error reply"): corrupt every failure onion
   * this node originates, so the payer cannot decode it. Never set in production.
   */
  garbleFailures?: boolean;
}

function htlcOf(ch: Channel, offerer: 'local' | 'remote', id: number): HtlcRecord | undefined {
  for (const h of ch.htlcs.values()) if (h.offerer === offerer && h.id === id) return h;
  return undefined;
}

/** How a channel is named in forward records: its real scid, else our alias. */
function nameOf(ch: Channel): Scid {
  return asScid(ch.record.short_channel_id ?? ch.record.local_alias);
}

export class HtlcSwitch implements ChannelFollowUps {
  /** Incoming final-hop HTLCs carry their shared secret here until settled (for failures). */
  private readonly finalSecrets = new Map<string, Uint8Array>();

  constructor(private readonly d: HtlcSwitchDeps) {}

  setInvoices(invoices: InvoicesService): void {
    this.d.invoices = invoices;
  }

  handle(rec: OutboxRecord): Promise<void> {
    switch (rec.kind) {
      case 'incoming':
        return this.onIncoming(rec);
      case 'preimage':
        return this.onPreimage(rec);
      case 'resolved':
        return this.onResolved(rec);
    }
  }

  private done(rec: OutboxRecord): WriteOp {
    return { table: OUTBOX_TABLE.name, delete: rec.key };
  }

  /** update_fail_htlc.reason of a failure this node originates (see garbleFailures). */
  private failureReason(sharedSecret: Uint8Array, message: Uint8Array): Uint8Array {
    const reason = buildFailurePacket(sharedSecret, message).reason;
    if (this.d.garbleFailures) for (let i = 0; i < reason.length; i++) reason[i] = reason[i]! ^ 0xff;
    return reason;
  }

  private async origin(channelId: string, htlcId: number): Promise<OriginRecord | undefined> {
    return (await this.d.store.get(ORIGINS_TABLE.name, [channelId, htlcId])) as OriginRecord | undefined;
  }

  // ---------------------------------------------------------------- incoming HTLCs

  private async onIncoming(rec: Extract<OutboxRecord, { kind: 'incoming' }>): Promise<void> {
    const ch = this.d.channels.get(rec.channel_id);
    const h = ch && htlcOf(ch, 'remote', rec.htlc_id);
    if (!ch || !h || h.removal) {
      await this.d.store.commit([this.done(rec)]);
      return;
    }
    const failWith = (failure: HtlcFailure | Uint8Array, ss: Uint8Array, extra: WriteOp[] = []) =>
      this.d.channels.fail(ch.record.channel_id, h.id, this.failureReason(ss, failure instanceof Uint8Array ? failure : failure.message), [this.done(rec), ...extra]);

    if (h.fail_on_commit) {
      // Over our dust-exposure cap (BOLT 2), or added while the channel shuts down: refuse it.
      const ctx = { now: this.d.now(), network: this.d.network, node_secret: this.d.nodeSecret };
      const incoming = this.describe(ch, nameOf(ch));
      const failure =
        h.fail_on_commit === 'dust_exposure' && incoming.found
          ? htlcFailure('temporary_channel_failure', { channel_update: channelUpdateFor(incoming, nameOf(ch), ctx) })
          : htlcFailure('permanent_channel_failure');
      const ss = this.resecret(ch.record.channel_id, h.id);
      if (ss) await failWith(failure, ss);
      else await this.d.store.commit([this.done(rec)]);
      return;
    }
    let peel: ReturnType<typeof peelOnion>;
    try {
      peel = peelOnion(h.onion, this.d.nodeSecret, fromHex(h.payment_hash, 32));
    } catch (e) {
      if (!(e instanceof OnionError)) throw e;
      this.d.log.log('warn', 'unreadable onion', { channel_id: ch.record.channel_id, htlc_id: h.id, error: e.message });
      await this.d.store.commit([this.done(rec)]);
      return;
    }
    switch (peel.kind) {
      case 'malformed':
        await this.d.channels.failMalformed(ch.record.channel_id, h.id, peel.sha256_of_onion, peel.failcode, [this.done(rec)]);
        return;
      case 'invalid_payload':
        await failWith(encodeFailureMessage({ code: 'invalid_onion_payload', fields: { type: peel.tlvType, offset: peel.offset } }), peel.sharedSecret);
        return;
      case 'final': {
        const inv = this.d.invoices;
        if (!inv) throw new Error('invoices service not wired');
        this.finalSecrets.set(`${ch.record.channel_id}/${h.id}`, peel.sharedSecret);
        await inv.onFinalHtlc({
          channel_id: ch.record.channel_id,
          htlc_id: h.id,
          amount_msat: h.amount_msat,
          cltv_expiry: h.cltv_expiry,
          payment_hash: h.payment_hash,
          payload: {
            amt_to_forward: peel.payload.amt_to_forward,
            outgoing_cltv_value: peel.payload.outgoing_cltv_value,
            ...(peel.payload.payment_data
              ? { payment_secret: peel.payload.payment_data.payment_secret, total_msat: peel.payload.payment_data.total_msat }
              : {}),
            ...(peel.payload.payment_metadata ? { payment_metadata: peel.payload.payment_metadata } : {}),
          },
        });
        return;
      }
      case 'forward':
        await this.forward(rec, ch, h, peel);
        return;
    }
  }

  private async forward(
    rec: Extract<OutboxRecord, { kind: 'incoming' }>,
    ch: Channel,
    h: HtlcRecord,
    peel: Extract<ReturnType<typeof peelOnion>, { kind: 'forward' }>,
  ): Promise<void> {
    const asked = peel.payload.short_channel_id;
    if (asked === undefined) throw new Error('forward payload without short_channel_id');
    const out = this.d.channels.byScid(asked);
    const outgoing = this.describe(out, asked);
    const ctx = { block_height: await this.d.blockHeight(), now: this.d.now(), network: this.d.network, node_secret: this.d.nodeSecret };
    const decision = checkForward(
      { amount_msat: h.amount_msat, cltv_expiry: h.cltv_expiry },
      { amt_to_forward: peel.payload.amt_to_forward, outgoing_cltv_value: peel.payload.outgoing_cltv_value, short_channel_id: asked },
      outgoing,
      ctx,
    );
    const incoming: IncomingSide = {
      in_channel: nameOf(ch),
      in_htlc_id: BigInt(h.id),
      in_msat: h.amount_msat,
      payment_hash: h.payment_hash,
      received_ms: this.d.nowMs(),
    };
    const failUpstream = (failure: HtlcFailure, outChannel: Scid | undefined) =>
      this.d.channels.fail(ch.record.channel_id, h.id, this.failureReason(peel.sharedSecret, failure.message), [
        this.done(rec),
        ...this.d.forwards.localFailed(incoming, failure.failcode, outChannel),
      ]);
    if (!decision.ok || !out) {
      if (!decision.ok) await failUpstream(decision.failure, decision.out_channel);
      return;
    }
    const offered = await this.d.channels.offerHtlc(
      {
        channel_id: out.record.channel_id,
        amount_msat: decision.amount_msat,
        payment_hash: fromHex(h.payment_hash, 32),
        cltv_expiry: decision.cltv_expiry,
        onion: peel.nextPacket,
        origin: {
          kind: 'forward',
          in_channel_id: ch.record.channel_id,
          in_htlc_id: BigInt(h.id),
          in_shared_secret: peel.sharedSecret,
          forward_key: forwardInKey(incoming.in_channel, incoming.in_htlc_id),
        },
      },
      (outHtlcId) => {
        const f = this.d.forwards.offered(incoming, { out_channel: nameOf(out), out_htlc_id: BigInt(outHtlcId), out_msat: decision.amount_msat });
        return [this.done(rec), ...f.writes];
      },
    );
    if (!offered.ok) {
      // Our outgoing channel refused it (capacity, too many HTLCs...): temporary_channel_failure
      // with the channel's update, as a forwarder's own failure.
      const upd = outgoing.found ? channelUpdateFor(outgoing, asked, ctx) : undefined;
      const failure = upd ? htlcFailure('temporary_channel_failure', { channel_update: upd }) : htlcFailure('temporary_node_failure');
      await failUpstream(failure, nameOf(out));
    }
  }

  private describe(out: Channel | undefined, asked: Scid): OutgoingChannel {
    if (!out) return { found: false };
    const s = out.record.state;
    return {
      found: true,
      state: s === 'NORMAL' ? 'normal' : s === 'AWAITING_LOCKIN' ? 'awaiting_lockin' : s === 'SHUTDOWN' || s === 'NEGOTIATING' ? 'shutting_down' : 'closed',
      enabled: true,
      peer_connected: out.connection === 'active',
      spendable_msat: balances(out).spendable_msat,
      peer_htlc_minimum_msat: out.record.remote_params?.htlc_minimum_msat ?? 0n,
      policy: this.d.relay,
      short_channel_id: asked,
      peer_node_id: out.record.peer_id,
      announced: out.record.announce,
    };
  }

  // ---------------------------------------------------------------- payee actions (invoices)

  readonly payee: PayeeActions = {
    fulfill: async (part, preimage, extra) => {
      const rec = outboxKey('incoming', part.channel_id, 'remote', part.htlc_id);
      this.finalSecrets.delete(`${part.channel_id}/${part.htlc_id}`);
      await this.d.channels.fulfill(part.channel_id, part.htlc_id, preimage, [{ table: OUTBOX_TABLE.name, delete: rec }, ...extra]);
    },
    fail: async (part, failure) => {
      const key = `${part.channel_id}/${part.htlc_id}`;
      const ss = this.finalSecrets.get(key) ?? this.resecret(part.channel_id, part.htlc_id);
      this.finalSecrets.delete(key);
      const rec = outboxKey('incoming', part.channel_id, 'remote', part.htlc_id);
      if (!ss) return;
      await this.d.channels.fail(part.channel_id, part.htlc_id, this.failureReason(ss, failure.message), [{ table: OUTBOX_TABLE.name, delete: rec }]);
    },
  };

  /** The shared secret of an incoming HTLC's onion, peeled again (after a restart). */
  private resecret(channelId: string, htlcId: number): Uint8Array | undefined {
    const ch = this.d.channels.get(channelId);
    const h = ch && htlcOf(ch, 'remote', htlcId);
    if (!h) return undefined;
    const p = peelOnion(h.onion, this.d.nodeSecret, fromHex(h.payment_hash, 32));
    return p.kind === 'final' || p.kind === 'forward' || p.kind === 'invalid_payload' ? p.sharedSecret : undefined;
  }

  // ---------------------------------------------------------------- our HTLCs ending

  private async onPreimage(rec: Extract<OutboxRecord, { kind: 'preimage' }>): Promise<void> {
    const o = await this.origin(rec.channel_id, rec.htlc_id);
    if (!o) {
      await this.d.store.commit([this.done(rec)]);
      return;
    }
    if (o.kind === 'payment') {
      await this.d.payments.resolveOffered(o, { kind: 'fulfilled', preimage: rec.preimage }, [this.done(rec)]);
      return;
    }
    const settled = await this.d.forwards.resolved(o.forward_key, 'settled');
    await this.d.channels.fulfill(o.in_channel_id, o.in_htlc_id, rec.preimage, [this.done(rec), ...settled]);
  }

  private async onResolved(rec: Extract<OutboxRecord, { kind: 'resolved' }>): Promise<void> {
    if (rec.offerer === 'remote') {
      await this.d.invoices?.forgetPart(rec.channel_id, rec.htlc_id);
      await this.d.store.commit([this.done(rec)]);
      return;
    }
    const o = await this.origin(rec.channel_id, rec.htlc_id);
    const cleanup: WriteOp[] = [this.done(rec), { table: ORIGINS_TABLE.name, delete: [rec.channel_id, rec.htlc_id] }];
    if (!o) {
      await this.d.store.commit(cleanup);
      return;
    }
    if (o.kind === 'payment') {
      const end =
        rec.result === 'fulfill' && rec.preimage
          ? ({ kind: 'fulfilled', preimage: rec.preimage } as const)
          : rec.result === 'fail_malformed'
            ? ({ kind: 'malformed', failure_code: rec.failure_code ?? 0, sha256_of_onion: rec.sha256_of_onion ?? new Uint8Array(32) } as const)
            : ({ kind: 'failed', reason: rec.reason ?? new Uint8Array(0) } as const);
      await this.d.payments.resolveOffered(o, end, cleanup);
      return;
    }
    if (rec.result === 'fulfill') {
      await this.d.store.commit(cleanup);
      return;
    }
    const packet =
      rec.result === 'fail_malformed'
        ? failureFromMalformed(o.in_shared_secret, { failure_code: rec.failure_code ?? 0, sha256_of_onion: rec.sha256_of_onion ?? new Uint8Array(32) })
        : wrapFailurePacket(o.in_shared_secret, { reason: rec.reason ?? new Uint8Array(0) });
    const failed = await this.d.forwards.resolved(o.forward_key, 'failed');
    await this.d.channels.fail(o.in_channel_id, o.in_htlc_id, packet.reason, [...cleanup, ...failed]);
  }
}

