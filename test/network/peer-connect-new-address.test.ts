// `connect id@host:port` with a new address while the node is still retrying the peer's old one:
// a restarted peer listens on a new port, its old port refuses or hangs. The call must dial the
// address it was given, not wait for (and report) the stale attempt. (Found by the daemon crash
// test: reconnecting the payer to a restarted forwarder failed with the old port's ECONNREFUSED.)
import { describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../src/crypto/secp256k1.js';
import { memoryStreamPair } from '../../src/net/memory.js';
import type { DialTarget, Dialer } from '../../src/net/dial.js';
import type { ByteStream } from '../../src/net/byte-stream.js';
import { NetError } from '../../src/net/errors.js';
import { NoiseSession, generateSecret } from '../../src/noise/index.js';
import { PeerManager } from '../../src/peer/index.js';
import { toHex } from '../../src/util/bytes.js';
import { chainHash, decodeMessage, encodeMessage, featureBits, type WireMessage } from '../../src/wire/index.js';

const REGTEST = chainHash('regtest');
const FEATURES = featureBits({ var_onion_optin: 'required', payment_secret: 'required', option_static_remotekey: 'required' });

/** A remote node on a memory stream: answers the handshake and the init. */
function remoteNode(secret: Uint8Array): ByteStream {
  const [ours, theirs] = memoryStreamPair();
  const session = NoiseSession.responder({ localSecret: secret });
  theirs.on('data', (chunk) => {
    session.push(chunk);
    for (let o = session.next(); o; o = session.next()) {
      if (o.type === 'send') theirs.write(o.data);
      else if (o.type === 'message' && decodeMessage(o.data).type === 'init') {
        theirs.write(session.encrypt(encodeMessage({ type: 'init', global_features: new Uint8Array(0), features: FEATURES, tlvs: {} } as WireMessage)));
      }
    }
  });
  return ours;
}

describe('connect with a new address while an attempt to the old one is in flight', () => {
  it('dials the new address and resolves', async () => {
    const remoteSecret = generateSecret();
    const remoteId = toHex(pubkeyCreate(remoteSecret));
    let oldPortDials = 0;
    // Port 1 is the peer's old address: the dial hangs until aborted (a black-holed port), then
    // fails. Port 2 is where it listens now.
    const dialer: Dialer = Object.assign(
      (target: DialTarget, opts: { signal?: AbortSignal }): Promise<ByteStream> => {
        if (target.kind === 'tcp' && target.port === 1) {
          oldPortDials++;
          return new Promise((_, reject) => {
            const fail = () => reject(new NetError('CONNECT_FAILED', 'connect ECONNREFUSED 127.0.0.1:1'));
            if (opts.signal?.aborted) fail();
            opts.signal?.addEventListener('abort', fail);
            setTimeout(fail, 1500);
          });
        }
        return Promise.resolve(remoteNode(remoteSecret));
      },
      { tcp: true },
    );
    const m = new PeerManager({ localSecret: generateSecret(), features: FEATURES, chains: [REGTEST], dialer });
    try {
      const stale = m.connect(`${remoteId}@127.0.0.1:1`).catch((e: unknown) => e);
      expect(oldPortDials).toBe(1);
      const info = await m.connect(`${remoteId}@127.0.0.1:2`);
      expect(info.remoteNodeId).toBe(remoteId);
      expect(m.get(remoteId as never)?.info().connected).toBe(true);
      // The first caller learns how its attempt ended (superseded or connected), either way not hanging.
      await stale;
    } finally {
      await m.close();
    }
  });
});
