// getinfo and stop, with Core Lightning's result shapes.
import { defineMethod, type TableMethod } from '../../rpc/dispatch.js';
import { ok } from '../../rpc/errors.js';
import { toHex } from '../../util/bytes.js';
import type { CallContext, NodeServices } from '../services.js';
import { NODE_VERSION, invoiceFeatures, nodeFeatures } from '../features.js';
import type { ForwardsService } from '../forwards-service.js';

export function nodeMethods(n: NodeServices & { readonly forwards: Pick<ForwardsService, 'feesCollectedMsat'> }): TableMethod<CallContext>[] {
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
          fees_collected_msat: n.forwards.feesCollectedMsat,
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
