// Loads electrum_channel_peer.py's channel fixture (approach (b) in ELECTRUM-CHANNEL.md) as a
// channel of ours: side "client" is us (the funder), side "electrum" the peer.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fromHex } from '../../../src/util/bytes.js';
import { txidFromHex } from '../../../src/channel/bitcoin/tx.js';
import { chainHash } from '../../../src/wire/chains.js';
import { parseScid } from '../../../src/wire/scid.js';
import { importChannel } from '../../../src/channel/state/index.js';
import type { ChannelKeySource, ChannelParams, Step } from '../../../src/channel/state/index.js';
import { INTEROP_DIR, PYTHON } from '../../support/shared.js';
import { FEATURES } from './harness.js';

type BasepointName = 'funding' | 'payment' | 'htlc' | 'delayed_payment' | 'revocation';

export interface FixtureSide {
  node_privkey: string;
  node_id: string;
  basepoint_secrets: Record<BasepointName, string>;
  basepoints: Record<BasepointName, string>;
  per_commitment_secret_seed: string;
  first_per_commitment_point: string;
  second_per_commitment_point: string;
  to_self_delay: number;
  dust_limit_sat: number;
  channel_reserve_sat: number;
  htlc_minimum_msat: number;
  max_accepted_htlcs: number;
  max_htlc_value_in_flight_msat: number;
  upfront_shutdown_script: string;
  initial_msat: number;
  commitment_signature_from_remote: string;
  commitment_0_local_txid: string;
  commitment_0_local_tx_unsigned: string;
}

export interface ChannelFixture {
  network: 'regtest';
  funding: { txid: string; output_index: number; capacity_sat: number; funder: 'client'; minimum_depth: number };
  feerate_per_kw: number;
  block_height: number;
  short_channel_id: string;
  channel_id: string;
  sides: { client: FixtureSide; electrum: FixtureSide };
  invoice: { preimage: string; payment_hash: string; payment_secret: string; amount_msat: number; min_final_cltv_expiry: number; bolt11: string };
}

export function loadChannelFixture(args: string[]): { fixture: ChannelFixture; json: string } {
  const json = execFileSync(PYTHON, [resolve(INTEROP_DIR, 'electrum_channel_peer.py'), 'fixture', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return { fixture: JSON.parse(json) as ChannelFixture, json };
}

/** The client side's secrets, exactly as the fixture gives them (no seed derivation). */
export function fixtureKeys(side: FixtureSide): ChannelKeySource {
  return () => ({
    funding_privkey: fromHex(side.basepoint_secrets.funding),
    revocation_basepoint_secret: fromHex(side.basepoint_secrets.revocation),
    payment_basepoint_secret: fromHex(side.basepoint_secrets.payment),
    delayed_payment_basepoint_secret: fromHex(side.basepoint_secrets.delayed_payment),
    htlc_basepoint_secret: fromHex(side.basepoint_secrets.htlc),
    shachain_seed: fromHex(side.per_commitment_secret_seed),
  });
}

function params(side: FixtureSide): ChannelParams {
  return {
    dust_limit_satoshis: BigInt(side.dust_limit_sat),
    max_htlc_value_in_flight_msat: BigInt(side.max_htlc_value_in_flight_msat),
    channel_reserve_satoshis: BigInt(side.channel_reserve_sat),
    htlc_minimum_msat: BigInt(side.htlc_minimum_msat),
    to_self_delay: side.to_self_delay,
    max_accepted_htlcs: side.max_accepted_htlcs,
    upfront_shutdown_script: fromHex(side.upfront_shutdown_script),
  };
}

/** Our channel for the fixture, as if funding_signed had just been exchanged and the funding confirmed. */
export function importFixture(f: ChannelFixture, remoteFeatures: Uint8Array = new Uint8Array(0)): Step {
  const client = f.sides.client;
  const electrum = f.sides.electrum;
  const scid = parseScid(f.short_channel_id);
  return importChannel({
    keys: fixtureKeys(client),
    key_index: 0,
    peer: { node_id: electrum.node_id, local_features: FEATURES, remote_features: remoteFeatures },
    chain_hash: chainHash(f.network),
    funder: true,
    channel_type: 'static_remotekey',
    funding_txid: txidFromHex(f.funding.txid),
    funding_output_index: f.funding.output_index,
    funding_satoshis: BigInt(f.funding.capacity_sat),
    local_msat: BigInt(client.initial_msat),
    feerate_per_kw: f.feerate_per_kw,
    local_params: params(client),
    remote_params: params(electrum),
    remote_keys: {
      funding_pubkey: fromHex(electrum.basepoints.funding),
      revocation_basepoint: fromHex(electrum.basepoints.revocation),
      payment_basepoint: fromHex(electrum.basepoints.payment),
      delayed_payment_basepoint: fromHex(electrum.basepoints.delayed_payment),
      htlc_basepoint: fromHex(electrum.basepoints.htlc),
    },
    remote_first_per_commitment_point: fromHex(electrum.first_per_commitment_point),
    remote_signature: fromHex(client.commitment_signature_from_remote),
    minimum_depth: f.funding.minimum_depth,
    funding_depth: f.block_height - Number(scid >> 40n) + 1,
    short_channel_id: scid,
  });
}
