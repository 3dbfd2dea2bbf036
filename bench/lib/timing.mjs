// Timing shared by benchmark suites in Node and in Chromium workers (plain JS, so both can load
// it; types in timing.d.mts). A figure is the median per-operation time over several batches,
// after a warm-up long enough for the JIT and WebAssembly tier-up to finish. Batches are sized to
// run for at least `batchMs`, which also keeps coarse timers (100 µs in non-isolated workers) from
// dominating.

/** Median of a non-empty list. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Times `fn` and returns microseconds per call: { median_us, min_us, batches, ops_per_batch }.
 * Options: warmupMs (default 300), batches (default 15), batchMs (default 25).
 */
export function measure(fn, opts = {}) {
  const warmupMs = opts.warmupMs ?? 300;
  const batches = opts.batches ?? 15;
  const batchMs = opts.batchMs ?? 25;
  let calls = 0;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd || calls < 3) {
    fn();
    calls++;
  }
  // Calibrate: enough calls per batch to last batchMs.
  let perBatch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= batchMs || perBatch >= 1 << 20) break;
    perBatch = Math.max(perBatch * 2, Math.ceil((perBatch * batchMs) / Math.max(dt, 0.1)));
  }
  const perCallUs = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    perCallUs.push(((performance.now() - t0) * 1000) / perBatch);
  }
  return {
    median_us: round(median(perCallUs)),
    min_us: round(Math.min(...perCallUs)),
    batches,
    ops_per_batch: perBatch,
  };
}

/** Times single runs of a slower `fn` (milliseconds each): { median_ms, min_ms, runs }. */
export function measureRuns(fn, opts = {}) {
  const runs = opts.runs ?? 50;
  const warmup = opts.warmup ?? 10;
  for (let i = 0; i < warmup; i++) fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return { median_ms: round(median(ms), 3), min_ms: round(Math.min(...ms), 3), runs };
}

export function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
