// A peer's first message right behind its init, in the same chunk: what a node sends as soon as
// it sees our init (channel_reestablish, after a restart) often arrives glued to that init. The
// peer manager must hand it on, both for a connection it accepted and for one it dialed. (Found
// by the daemon restart test: a lost channel_reestablish left the channel waiting forever.)
import { describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../src/crypto/secp256k1.js';
import { memoryStreamPair, type MemoryStream } from '../../src/net/memory.js';
import { NoiseSession, generateSecret } from '../../src/noise/index.js';
import { PeerManager, type PeerManagerOptions } from '../../src/peer/index.js';
import type { NodeId } from '../../src/types.js';
import { toHex } from '../../src/util/bytes.js';
import { chainHash, decodeMessage, encodeMessage, featureBits, type WireMessage } from '../../src/wire/index.js';

const REGTEST = chainHash('regtest');
const FEATURES = featureBits({ var_onion_optin: 'required', payment_secret: 'required', option_static_remotekey: 'required' });
const INIT = (): WireMessage => ({ type: 'init', global_features: new Uint8Array(0), features: FEATURES, tlvs: {} }) as WireMessage;
const STFU: WireMessage = { type: 'stfu', channel_id: new Uint8Array(32).fill(7), initiator: 1 } as WireMessage;

function manager(extra: Partial<PeerManagerOptions> = {}): { m: PeerManager; pub: Uint8Array } {
  const localSecret = generateSecret();
  return { m: new PeerManager({ localSecret, features: FEATURES, chains: [REGTEST], reconnect: false, ...extra }), pub: pubkeyCreate(localSecret) };
}

/** A scripted remote over `stream`: once it has the manager's init, it writes init + STFU as ONE chunk. */
function scriptedRemote(stream: MemoryStream, session: NoiseSession): void {
  let sentInit = false;
  stream.on('data', (chunk) => {
    session.push(chunk);
    for (let o = session.next(); o; o = session.next()) {
      if (o.type === 'send') stream.write(o.data);
      else if (o.type === 'message' && decodeMessage(o.data).type === 'init' && !sentInit) {
        sentInit = true;
        const a = session.encrypt(encodeMessage(INIT()));
        const b = session.encrypt(encodeMessage(STFU));
        const both = new Uint8Array(a.length + b.length);
        both.set(a);
        both.set(b, a.length);
        stream.write(both);
      }
    }
  });
}

function firstMessage(m: PeerManager): Promise<WireMessage> {
  return new Promise((resolve) => {
    const off = m.on('message', (_id, msg) => {
      off();
      resolve(msg);
    });
  });
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(t);
  }
}

describe('a message glued to the init', () => {
  it('reaches the node on a connection it accepted', async () => {
    const { m, pub } = manager();
    const [ours, theirs] = memoryStreamPair();
    const remote = NoiseSession.initiator({ localSecret: generateSecret(), remoteStatic: pub });
    scriptedRemote(theirs, remote);
    const got = firstMessage(m);
    m.accept(ours);
    theirs.write(remote.start()!);
    expect(await within(got, 2000, 'inbound')).toMatchObject({ type: 'stfu', initiator: 1 });
    await m.close();
  });

  it('reaches the node on a connection it dialed', async () => {
    const remoteSecret = generateSecret();
    const [ours, theirs] = memoryStreamPair();
    scriptedRemote(theirs, NoiseSession.responder({ localSecret: remoteSecret }));
    const { m } = manager({ dialer: async () => ours });
    const got = firstMessage(m);
    await m.connect(`${toHex(pubkeyCreate(remoteSecret)) as NodeId}@127.0.0.1:9735`);
    expect(await within(got, 2000, 'outbound')).toMatchObject({ type: 'stfu', initiator: 1 });
    await m.close();
  });
});
