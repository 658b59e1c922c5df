import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { BenchReport } from '../report.js';
import {
  COMMITS_PER_OPERATION,
  NORMAL_BASELINE,
  durabilityRow,
  runDurabilityBench,
} from './durability.js';
import { TEST_MACHINE } from '../testing/test-machine.js';

const machine = TEST_MACHINE;

describe('durability row', () => {
  it('runs the same writes on a FULL and a NORMAL connection of the server storage', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coffer-bench-durability-'));
    try {
      const result = await runDurabilityBench(dir, { operations: 3, runs: 1, warmup: 0 });
      expect(result.operations).toBe(3);
      expect(result.fullMsPerOperation).toBeGreaterThan(0);
      expect(result.normalMsPerOperation).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is informational, FULL over NORMAL, with the per-commit cost in the notes', () => {
    const row = durabilityRow({
      fullMsPerOperation: 8,
      normalMsPerOperation: 2,
      operations: 100,
      runs: 5,
    });
    expect(row.baseline).toBe(NORMAL_BASELINE);
    expect(row.name).toContain(`${COMMITS_PER_OPERATION} commits`);
    expect(row.notes).toContain('2.0 ms per commit; NORMAL 0.5 ms');
    const report = new BenchReport(machine);
    report.addRows('server', [row]);
    expect(report.rows[0]).toMatchObject({
      ours_ms: 8,
      baseline_ms: 2,
      ratio: 4,
      target: 'informational',
      met: null,
    });
  });
});
