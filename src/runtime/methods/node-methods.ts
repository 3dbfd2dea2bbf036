// getinfo and stop, with Core Lightning's result shapes.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { ok } from '../../rpc/errors.js';
import { toHex } from '../../util/bytes.js';
import type { CallContext, NodeServices } from '../services.js';
import { NODE_VERSION, invoiceFeatures, nodeFeatures } from '../features.js';
import { FORWARDS_TABLE, type ForwardRecord } from '../../forwarding/index.js';
import type { Store, StoreRecord } from '../../store/types.js';

/**
 * What forwarding earned: in_msat − out_msat over settled forwards (lightningd's
 * wallet_total_forward_fees). Read from the store, so it survives restarts and needs no counter.
 */
async function feesCollected(store: Store): Promise<bigint> {
  // by_status is keyed [status, created_key]; created_key is a 20-digit decimal string.
  const settled = await store.query<ForwardRecord & StoreRecord>(FORWARDS_TABLE.name, { index: 'by_status', range: { lower: ['settled'], upper: ['settled', '\uffff'] } });
  let fees = 0n;
  for (const f of settled) if (f.status === 'settled' && f.out_msat !== undefined) fees += f.in_msat - f.out_msat;
  return fees;
}

export function nodeMethods(n: NodeServices): TableMethod<CallContext>[] {
  return [
    defineMethod({
      name: 'getinfo',
      params: [] as const,
      handler: async () => {
        const chans = n.channels.all().filter((c) => c.persisted);
        const active = chans.filter((c) => c.record.state === 'NORMAL' && c.connection === 'active').length;
        const pending = chans.filter((c) => c.record.state === 'AWAITING_LOCKIN').length;
        return ok({
          id: n.id,
          alias: n.alias,
          color: n.color,
          num_peers: n.peers.list().filter((p) => p.connected).length,
          num_pending_channels: pending,
          num_active_channels: active,
          num_inactive_channels: chans.length - active - pending,
          address: [],
          binding: n.bindings().map((b) => ({ type: b.type, address: b.address, ...(b.port !== undefined ? { port: b.port } : {}) })),
          version: NODE_VERSION,
          blockheight: await n.blockHeight(),
          network: n.network,
          fees_collected_msat: await feesCollected(n.store),
          ...(n.lightningDir !== undefined ? { 'lightning-dir': n.lightningDir } : {}),
          our_features: {
            init: toHex(n.localFeatures),
            node: toHex(nodeFeatures()),
            channel: '',
            invoice: toHex(invoiceFeatures()),
          },
        });
      },
    }),
    defineMethod({
      name: 'stop',
      params: [] as const,
      handler: () => {
        // Answer first (lightningd does too), then shut down.
        setTimeout(() => void n.stop(), 0);
        return ok('Shutdown complete');
      },
    }),
  ];
}
