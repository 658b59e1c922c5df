import { describe, expect, it } from 'vitest';
import { BenchReport } from '../report.js';
import { summarize } from '../server/stats.js';
import type { BackupRestoreTiming } from './backup-restore.js';
import type { PushLoadResult } from './push-load.js';
import {
  FULL_BACKUP_CHANGES,
  TARGET_P99_MS,
  backupRestoreRows,
  oneInstanceRows,
  twoInstanceRows,
} from './scale-rows.js';
import { TEST_MACHINE } from '../testing/test-machine.js';

const machine = TEST_MACHINE;
const config = { workspaces: 100, devicesPerWorkspace: 10, pushesPerSecond: 50, seconds: 30 };

function load(latencies: number[], crossShare = 0): PushLoadResult {
  return {
    latency: summarize(latencies),
    pushLatency: summarize(latencies.map((ms) => ms / 2)),
    pushes: latencies.length,
    crossShare,
    idleRssMiB: 100,
    peakRssMiB: 180,
  };
}

/** 100 latencies: p50 is `p50`, p99 is `p99`, the max one above. */
function latencies(p50: number, p99: number): number[] {
  return [
    ...Array.from({ length: 49 }, () => p50 - 1),
    p50,
    ...Array.from({ length: 48 }, () => p50 + 1),
    p99,
    p99 + 5,
  ];
}

function report(rows: ReturnType<typeof oneInstanceRows>): BenchReport {
  const result = new BenchReport(machine);
  result.addRows('scale', rows);
  return result;
}

describe('twoInstanceRows', () => {
  const sqlite = load(latencies(20, 80));

  it('puts the PostgreSQL p50 and p99 over the SQLite figures of the same run', () => {
    const rows = report(twoInstanceRows(config, load(latencies(30, 200), 0.5), sqlite, 2)).rows;
    expect(rows.map((row) => [row.ours_ms, row.baseline_ms, row.ratio])).toEqual([
      [30, 20, 1.5],
      [200, 80, 2.5],
    ]);
    expect(rows[0]!.name).toContain('1000 sockets over 2 instances on one PostgreSQL, p50');
    expect(rows[1]!.name).toMatch(/, p99$/);
    expect(rows[0]!.met).toBeNull();
    expect(rows[1]!.notes).toContain('50 % of the 100 push → socket pairs cross instances');
  });

  it('judges the p99 against the 250 ms bound, not against the ratio', () => {
    const within = report(twoInstanceRows(config, load(latencies(30, 249)), sqlite, 2)).rows[1]!;
    expect(within.target).toBe(`${TARGET_P99_MS} ms`);
    expect(within.ratio).toBeGreaterThan(1);
    expect(within.met).toBe(true);
    const over = report(twoInstanceRows(config, load(latencies(30, 251)), sqlite, 2)).rows[1]!;
    expect(over.met).toBe(false);
  });
});

describe('oneInstanceRows', () => {
  it('keeps the one-instance p99 against the absolute bound and memory informational', () => {
    const rows = report(oneInstanceRows(config, load(latencies(20, 260)))).rows;
    expect(rows.map((row) => row.met)).toEqual([null, false, null]);
    expect(rows[2]!.ours_ms).toBe(180);
    expect(rows[2]!.baseline_ms).toBe(100);
  });
});

describe('backupRestoreRows', () => {
  const timing = (changes: number): BackupRestoreTiming => ({
    storage: 'SQLite',
    changes,
    fillMs: 12_000,
    backupMs: 3_000,
    restoreMs: 4_000,
    backupBytes: 300 * 2 ** 20,
    plainBackupMs: 600,
    plainRestoreMs: 500,
    plainBackupBytes: 290 * 2 ** 20,
  });

  it('compares backup and restore with the plain copy, informational, the size in the notes', () => {
    const rows = report(backupRestoreRows(timing(FULL_BACKUP_CHANGES), 900)).rows;
    expect(rows.map((row) => [row.ours_ms, row.baseline_ms, row.ratio, row.met])).toEqual([
      [3_000, 600, 5, null],
      [4_000, 500, 8, null],
    ]);
    expect(rows[0]!.name).toContain('1,000,000 changes (SQLite)');
    expect(rows[0]!.notes).toContain('Backup file 300 MiB');
    expect(rows[0]!.notes).toContain('alone takes 900 ms');
    expect(rows[0]!.notes).not.toContain('Quick run');
  });

  it('says so in the notes when the log was scaled down', () => {
    const rows = backupRestoreRows(timing(20_000), 900);
    for (const row of rows) {
      expect(row.name).toContain('20,000 changes');
      expect(row.notes).toContain('Quick run: 20,000 changes, not 1,000,000.');
    }
  });

  it('names the PostgreSQL tools as the baseline there', () => {
    const rows = backupRestoreRows({ ...timing(FULL_BACKUP_CHANGES), storage: 'PostgreSQL' }, 900);
    expect(rows.map((row) => row.baseline)).toEqual([
      'pg_dump --format=plain to a file',
      'psql --single-transaction of that dump into an empty database',
    ]);
  });
});
