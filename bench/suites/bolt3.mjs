// BOLT 3 benchmark: building and signing a commitment transaction with 0, 10 and 483 HTLCs
// (483 = BOLT 2's max_accepted_htlcs ceiling), in µs per operation on Node. The commitment
// signature and the per-HTLC signatures are reported separately, because commitment_signed for a
// full channel is dominated by the 483 HTLC-tx signatures.
//
// Contract (bench/run.mjs): `export default async function (ctx)` returning figures; compiled code
// comes from `${ctx.dist}` (tsc output of src/).

function nowUs() {
  return performance.now() * 1000;
}

/** Runs `fn` repeatedly for about `budgetMs` (at least `minRuns` times) and returns µs per run. */
function measure(fn, { budgetMs = 400, minRuns = 3, warmup = 1 } = {}) {
  // Warm up for a few runs and ~100 ms so the JIT has compiled the hot paths.
  const warmStart = nowUs();
  for (let i = 0; i < warmup || (i < 1000 && nowUs() - warmStart < 100_000); i++) fn();
  let runs = 0;
  const start = nowUs();
  let elapsed = 0;
  while (runs < minRuns || elapsed < budgetMs * 1000) {
    fn();
    runs++;
    elapsed = nowUs() - start;
  }
  return Math.round((elapsed / runs) * 10) / 10;
}

async function loadCrypto(ctx) {
  const crypto = await import(`${ctx.dist}/crypto/index.js`);
  // The project's production backend (the WASM build): Node reads the module from disk.
  if (typeof ctx.initCrypto === 'function') await ctx.initCrypto(crypto);
  else {
    const node = await import(`${ctx.dist}/crypto/node.js`).catch(() => undefined);
    if (typeof node?.initCryptoNode === 'function') await node.initCryptoNode();
    else if (typeof crypto.initCrypto === 'function') await crypto.initCrypto();
  }
  if (!crypto.hasSecp256k1Backend()) throw new Error('bolt3 bench: no secp256k1 backend could be initialised');
  return crypto;
}

export default async function bolt3(ctx) {
  const crypto = await loadCrypto(ctx);
  const ch = await import(`${ctx.dist}/channel/index.js`);

  const secret = (b) => new Uint8Array(32).fill(b);
  const secrets = (first) => ({
    funding_privkey: secret(first),
    revocation_basepoint_secret: secret(first + 1),
    payment_basepoint_secret: secret(first + 2),
    delayed_payment_basepoint_secret: secret(first + 3),
    htlc_basepoint_secret: secret(first + 4),
  });
  const ours = secrets(1);
  const theirs = secrets(11);
  const ourPoints = ch.basepointsFromSecrets(ours);
  const theirPoints = ch.basepointsFromSecrets(theirs);
  const commitmentNumber = 1000n;
  // The peer's commitment, as built for commitment_signed: we sign as its "remote".
  const theirPcp = ch.perCommitmentPoint(secret(0x43), commitmentNumber);
  const keys = ch.deriveCommitmentKeys(theirPoints, ourPoints, theirPcp);
  const ourHtlcPrivkey = ch.derivePrivkey(ours.htlc_basepoint_secret, theirPcp);

  const fundingSat = 16_777_215n;
  function spec(nHtlcs) {
    const htlcs = [];
    let inHtlcs = 0n;
    for (let i = 0; i < nHtlcs; i++) {
      const amount = 5_000_000n + BigInt(i) * 1000n; // all well above dust, all distinct
      const hash = crypto.sha256(Uint8Array.of(i & 0xff, i >> 8));
      htlcs.push({ id: BigInt(i), direction: i % 2 ? 'offered' : 'received', amount_msat: amount, payment_hash: hash, cltv_expiry: 800_000 + i });
      inHtlcs += amount;
    }
    const toRemote = 4_000_000_000n;
    return {
      channel_type: 'anchors_zero_fee_htlc_tx',
      commitment_number: commitmentNumber,
      obscuring_factor: ch.obscuringFactor(ourPoints.payment_basepoint, theirPoints.payment_basepoint),
      local_is_funder: false,
      to_local_msat: fundingSat * 1000n - toRemote - inHtlcs,
      to_remote_msat: toRemote,
      htlcs,
      feerate_per_kw: 2500,
      dust_limit_satoshis: 546n,
      to_self_delay: 144,
      funding: {
        txid: secret(0x77),
        output_index: 0,
        amount_sat: fundingSat,
        local_funding_pubkey: theirPoints.funding_pubkey,
        remote_funding_pubkey: ourPoints.funding_pubkey,
      },
      keys,
    };
  }

  const figures = { secp256k1_backend: crypto.secp256k1BackendName() ?? 'unknown', channel_type: 'anchors_zero_fee_htlc_tx' };
  for (const n of [0, 10, 483]) {
    const s = spec(n);
    const built = ch.buildCommitmentTx(s);
    if (built.htlc_outputs.length !== n) throw new Error(`expected ${n} HTLC outputs, got ${built.htlc_outputs.length}`);
    const slow = n === 483;
    const opts = slow ? { budgetMs: 1500, minRuns: 2, warmup: 1 } : {};
    figures[`commitment_build_us_${n}_htlcs`] = measure(() => ch.buildCommitmentTx(s), opts);
    figures[`commitment_sign_us_${n}_htlcs`] = measure(() => ch.signCommitmentTx(built, ours.funding_privkey), opts);
    figures[`commitment_build_sign_us_${n}_htlcs`] = measure(() => ch.signCommitmentTx(ch.buildCommitmentTx(s), ours.funding_privkey), opts);
    if (n > 0) {
      const htlcTxs = ch.buildHtlcTxs(built);
      figures[`htlc_txs_build_us_${n}_htlcs`] = measure(() => ch.buildHtlcTxs(built), opts);
      figures[`htlc_signatures_us_${n}_htlcs`] = measure(() => htlcTxs.map((h) => ch.signHtlcTx(h, ourHtlcPrivkey, 'remote')), opts);
      figures[`htlc_signature_us_each_${n}_htlcs`] = Math.round((figures[`htlc_signatures_us_${n}_htlcs`] / n) * 10) / 10;
      // Everything commitment_signed needs: build, commitment signature, HTLC txs and their signatures.
      figures[`commitment_signed_total_us_${n}_htlcs`] = measure(() => {
        const c = ch.buildCommitmentTx(s);
        ch.signCounterpartyCommitment(c, ch.buildHtlcTxs(c), ours.funding_privkey, ourHtlcPrivkey);
      }, opts);
    }
  }
  return figures;
}
