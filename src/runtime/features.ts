// The feature bits this node advertises (BOLT 9), in one place.
import { featureBits } from '../wire/features.js';

export const NODE_VERSION = 'lightning-worker-0.1.0';

/** init features: what we require from peers and what we offer. */
export function initFeatures(): Uint8Array {
  return featureBits({
    option_data_loss_protect: 'required',
    // Electrum 4.3.4 refuses peers without it; we answer no gossip queries (we keep no gossip map).
    gossip_queries: 'optional',
    var_onion_optin: 'required',
    option_static_remotekey: 'required',
    payment_secret: 'required',
    basic_mpp: 'optional',
    option_upfront_shutdown_script: 'optional',
    option_anchors: 'optional',
    option_shutdown_anysegwit: 'optional',
    // Electrum 4.3.4 drops peers that do not offer it.
    option_channel_type: 'optional',
    option_scid_alias: 'optional',
    option_zeroconf: 'optional',
    option_payment_metadata: 'optional',
  });
}

/** node_announcement features (we do not gossip, but getinfo reports them like CLN). */
export function nodeFeatures(): Uint8Array {
  return initFeatures();
}

/** Features our BOLT 11 invoices carry. */
export function invoiceFeatures(): Uint8Array {
  return featureBits({ var_onion_optin: 'required', payment_secret: 'required', basic_mpp: 'optional' });
}
