import os from 'node:os';
import type { Machine } from './report.js';

/** The machine a run was measured on, for bench/results.json. */
export function describeMachine(now: Date = new Date()): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: now.toISOString(),
  };
}
