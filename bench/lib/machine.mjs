// The machine block of a benchmark report: what the figures were measured on.
import { cpus, totalmem } from 'node:os';

export function machineInfo(chromiumVersion) {
  const list = cpus();
  return {
    cpus: { model: list[0]?.model ?? 'unknown', count: list.length },
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    chromium: chromiumVersion,
    date: new Date().toISOString(),
  };
}
