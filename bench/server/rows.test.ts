import { describe, expect, it } from 'vitest';
import { ABSOLUTE_BASELINE, BenchReport } from '../report.js';
import type { HttpLoadResult } from './http-load.js';
import type { LoginLoadResult, ProbeResult } from './login-load.js';
import {
  ARGON2_BASELINE,
  HEALTH_BASELINE,
  achievedLoginRate,
  loadAchieved,
  loginLatencyRows,
  sustainableLoginRate,
  sustainedLoginLoadRow,
  throughputRow,
  underLoginLoadRow,
} from './rows.js';
import { summarize } from './stats.js';
import { TEST_MACHINE } from '../testing/test-machine.js';

const machine = TEST_MACHINE;

function load(rps: number, latencies: number[]): HttpLoadResult {
  return {
    requestsPerSecond: rps,
    completed: latencies.length,
    latency: summarize(latencies),
    statusCounts: { '200': latencies.length },
    pinnedHandshakes: 10,
  };
}

function probe(latencies: number[]): ProbeResult {
  return { latencies, fired: latencies.length, statusCounts: { 200: latencies.length }, errors: 0 };
}

function loginLoad(completed: number, probeLatencies: number[]): LoginLoadResult {
  return {
    windowMs: 15_000,
    offered: 300,
    completed,
    refused: 0,
    failed: 0,
    inFlightAtEnd: 300 - completed,
    loginLatencies: Array.from({ length: completed }, () => 400),
    probe: probe(probeLatencies),
    clientDelay: { p99Ms: 3, maxMs: 8 },
  };
}

describe('throughputRow', () => {
  it('compares mean latencies with health and names both rates', () => {
    const row = throughputRow({
      path: '/v1/me/sessions',
      connections: 10,
      durationS: 10,
      accounts: 40,
      addresses: 64,
      ours: load(1800, [4, 6]),
      health: load(3200, [2, 4]),
    });
    expect(row).toMatchObject({ ours_ms: 5, baseline: HEALTH_BASELINE, baseline_ms: 3 });
    expect(row.target).toBe('informational');
    expect(row.notes).toContain('1,800 req/s');
    expect(row.notes).toContain('3,200 req/s');
  });
});

describe('loginLatencyRows', () => {
  it('gives p50 and p99 rows against Argon2 alone', () => {
    const rows = loginLatencyRows({
      logins: Array.from({ length: 100 }, (_unused, i) => 200 + i),
      argon2: [180, 190, 200],
      params: 'argon2id m=64 MiB t=3 p=1',
    });
    expect(rows.map((r) => [r.ours_ms, r.baseline_ms])).toEqual([
      [249, 190],
      [298, 200],
    ]);
    expect(rows.every((r) => r.baseline === ARGON2_BASELINE && r.target === 'informational')).toBe(
      true,
    );
  });
});

describe('login load rows', () => {
  const idle = probe([2, 2, 3]);

  it('the offered-rate row is judged against the budget and says when the load fell short', () => {
    const row = underLoginLoadRow({
      path: '/v1/me/sessions',
      loginRatePerS: 20,
      probeIntervalMs: 10,
      budgetMs: 50,
      idle,
      load: loginLoad(150, [5, 10, 40]),
    });
    expect(row).toMatchObject({ ours_ms: 40, baseline: ABSOLUTE_BASELINE, target: '50 ms' });
    expect(row.notes).toMatch(/^Load NOT achieved: 10\.0 of 20 logins\/s completed/);
    const report = new BenchReport(machine);
    report.addRows('server', [row]);
    expect(report.rows[0]?.met).toBe(true);
  });

  it('the sustained row is informational, against the probe with no logins', () => {
    const row = sustainedLoginLoadRow({
      path: '/v1/me/sessions',
      loginRatePerS: 5,
      probeIntervalMs: 10,
      idle,
      load: { ...loginLoad(75, [3, 4, 6]) },
    });
    expect(row).toMatchObject({ ours_ms: 6, baseline_ms: 3, target: 'informational' });
    expect(row.notes).toMatch(/^Load achieved\./);
  });

  it('achieved rate counts completed logins over the window', () => {
    expect(achievedLoginRate({ completed: 300, windowMs: 15_000 })).toBe(20);
    expect(loadAchieved({ completed: 270, windowMs: 15_000 }, 20)).toBe(true);
    expect(loadAchieved({ completed: 269, windowMs: 15_000 }, 20)).toBe(false);
  });
});

describe('sustainableLoginRate', () => {
  it('is a share of what the Argon2 threads verify per second, at least 1', () => {
    expect(sustainableLoginRate({ cores: 2, argon2Ms: 200, share: 0.5 })).toBe(5);
    expect(sustainableLoginRate({ cores: 16, argon2Ms: 200, share: 0.5 })).toBe(10);
    expect(sustainableLoginRate({ cores: 1, argon2Ms: 5000, share: 0.5 })).toBe(1);
  });
});
