// BOLT 8 benchmark (Node): transport throughput in MB/s of plaintext for 1 KiB and 64 KiB
// messages (encrypt only, decrypt through the frame reader only, and a full round trip), and
// the time of one complete handshake (three acts, both sides). Key rotation happens every 500
// messages, so long runs include it. Measures only; asserts nothing.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measure, round } from '../lib/timing.mjs';

const SIZES = { '1KiB': 1024, '64KiB': 65535 };

export default async function noiseSuite(ctx) {
  const noise = await import(pathToFileURL(join(ctx.dist, 'noise/index.js')).href);
  const crypto = await import(pathToFileURL(join(ctx.dist, 'crypto/index.js')).href);
  const { initCryptoNode } = await import(pathToFileURL(join(ctx.dist, 'crypto/node.js')).href);
  await initCryptoNode();

  // One real handshake gives the keys every measurement below starts from.
  const rSecret = noise.generateSecret();
  const handshake = () => {
    const i = new noise.InitiatorHandshake({ localSecret: iSecret, remoteStatic: rPub });
    const r = new noise.ResponderHandshake({ localSecret: rSecret });
    const act2 = r.actOne(i.actOne());
    const { actThree, result } = i.actTwo(act2);
    r.actThree(actThree);
    return result;
  };
  const iSecret = noise.generateSecret();
  const rPub = crypto.pubkeyCreate(rSecret);
  const keys = handshake();

  const throughput = {};
  for (const [label, size] of Object.entries(SIZES)) {
    ctx.log(`noise: ${label}`);
    const msg = new Uint8Array(size).fill(0x5a);
    const enc = new noise.MessageEncryptor(keys.sk, keys.ck);
    const encT = measure(() => enc.encrypt(msg), { batchMs: 50 });

    // Decryption needs frames produced in order: pre-encrypt a ring of frames long enough to
    // cross rotations, then feed it to a fresh reader whenever it runs out.
    const ringLen = 1200;
    const ringEnc = new noise.MessageEncryptor(keys.sk, keys.ck);
    const ring = Array.from({ length: ringLen }, () => ringEnc.encrypt(msg));
    let reader = new noise.FrameReader(keys.sk, keys.ck);
    let at = 0;
    const decT = measure(
      () => {
        if (at === ringLen) {
          reader = new noise.FrameReader(keys.sk, keys.ck);
          at = 0;
        }
        reader.push(ring[at++]);
        if (reader.next() === null) throw new Error('frame did not decrypt');
      },
      { batchMs: 50 },
    );

    const a = new noise.MessageEncryptor(keys.sk, keys.ck);
    const b = new noise.FrameReader(keys.sk, keys.ck);
    const rtT = measure(
      () => {
        b.push(a.encrypt(msg));
        if (b.next() === null) throw new Error('round trip failed');
      },
      { batchMs: 50 },
    );
    const mbps = (us) => round(size / us, 1); // bytes per µs = MB/s
    throughput[label] = {
      message_bytes: size,
      encrypt_mb_s: mbps(encT.median_us),
      decrypt_mb_s: mbps(decT.median_us),
      encrypt_decrypt_mb_s: mbps(rtT.median_us),
      encrypt_decrypt_us_per_message: round(rtT.median_us, 2),
    };
  }

  ctx.log('noise: handshake');
  const hs = measure(handshake, { batchMs: 50 });
  return {
    backend: crypto.secp256k1BackendName(),
    throughput,
    handshake_both_sides_ms: round(hs.median_us / 1000, 3),
  };
}
