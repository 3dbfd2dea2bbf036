// The state machine loaded with Electrum 4.3.4's fixture channel (its own Channel made both
// commitments #0 and signed them): the commitments we build from the channel state must be
// Electrum's bytes, and our first channel_reestablish must be what Electrum expects.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { serializeTx, txidHex } from '../../../src/channel/bitcoin/tx.js';
import { signedCommitmentTx } from '../../../src/channel/signatures.js';
import { peerConnected, restoreChannel, signedLocalCommitment } from '../../../src/channel/state/index.js';
import { buildCommitment } from '../../../src/channel/state/commitments.js';
import { fixtureKeys, importFixture, loadChannelFixture } from './electrum-fixture.js';

for (const args of [['--seed', '00'], ['--seed', '07', '--push-msat', '250000000']]) {
  describe(`Electrum fixture ${args.join(' ')}`, () => {
    const { fixture: f } = loadChannelFixture(args);
    const step = importFixture(f);
    const ch = step.channel;

    it('builds commitment_0_local_tx_unsigned for both sides', () => {
      expect(ch.record.channel_id).toBe(f.channel_id);
      const ours = buildCommitment(ch, 'local', 0).tx;
      expect(toHex(serializeTx(signedCommitmentTx(ours, {})))).toBe(f.sides.client.commitment_0_local_tx_unsigned);
      expect(txidHex(ours.tx)).toBe(f.sides.client.commitment_0_local_txid);
      const theirs = buildCommitment(ch, 'remote', 0).tx;
      expect(toHex(serializeTx(signedCommitmentTx(theirs, {})))).toBe(f.sides.electrum.commitment_0_local_tx_unsigned);
      // Our unilateral close of commitment 0 carries Electrum's signature and ours.
      const signed = signedLocalCommitment(ch)!;
      expect(txidHex(signed)).toBe(f.sides.client.commitment_0_local_txid);
    });

    it('persists the whole channel and restores it', () => {
      expect(step.persist.channel).toBe(ch.record);
      const r = restoreChannel(fixtureKeys(f.sides.client), step.persist.channel, []);
      expect(r.record).toEqual(ch.record);
      expect(ch.record.ready_sent).toBe(true);
      expect(ch.record.state).toBe('AWAITING_LOCKIN');
    });

    it('sends the channel_reestablish Electrum expects at commitment 1', () => {
      const s = peerConnected(ch);
      expect(s.send).toHaveLength(1);
      const m = s.send[0]!;
      if (m.type !== 'channel_reestablish') throw new Error('expected channel_reestablish');
      expect(m.next_commitment_number).toBe(1n);
      expect(m.next_revocation_number).toBe(0n);
      expect(m.your_last_per_commitment_secret).toEqual(new Uint8Array(32));
      expect(toHex(m.my_current_per_commitment_point)).toBe(f.sides.client.first_per_commitment_point);
      expect(toHex(m.channel_id)).toBe(f.channel_id);
      expect(fromHex(f.channel_id)).toHaveLength(32);
    });
  });
}
