// Types of timing.mjs, for TypeScript callers (Chromium benchmark workers).
export interface Measurement {
  median_us: number;
  min_us: number;
  batches: number;
  ops_per_batch: number;
}
export interface RunsMeasurement {
  median_ms: number;
  min_ms: number;
  runs: number;
}
export function median(xs: number[]): number;
export function measure(fn: () => unknown, opts?: { warmupMs?: number; batches?: number; batchMs?: number }): Measurement;
export function measureRuns(fn: () => unknown, opts?: { runs?: number; warmup?: number }): RunsMeasurement;
export function round(x: number, digits?: number): number;
