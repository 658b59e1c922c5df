import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { SECRET_SERVICE_TAG, summarize } from './test-summary.js';
import type { VitestReport } from './test-summary.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-summary.js');
const CWD = '/repo';
const WHY = 'no Secret Service: gnome-keyring-daemon not installed and this session has none';

const passed = { status: 'passed' };
const keychainSkipped = { status: 'skipped', tags: [SECRET_SERVICE_TAG] };

/** A report as Vitest writes it after `--tags-filter='!secret-service'`. */
const skippedRun: VitestReport = {
  numPassedTests: 5,
  numFailedTests: 0,
  testResults: [
    { name: '/repo/shared/money/money.test.ts', status: 'passed', assertionResults: [passed] },
    {
      name: '/repo/electron/cli/cli.e2e.test.ts',
      status: 'skipped',
      assertionResults: [keychainSkipped, keychainSkipped, keychainSkipped],
    },
    {
      name: '/repo/build/install/production-install.test.ts',
      status: 'passed',
      assertionResults: [passed, passed, passed, keychainSkipped],
    },
  ],
};

describe('test summary', () => {
  it('keeps the plain counts line when nothing was skipped', () => {
    const summary = summarize(
      { numPassedTests: 7, numFailedTests: 0, testResults: [] },
      { exitStatus: 0, cwd: CWD },
    );
    expect(summary.lines).toEqual(['coffer: 7 passed, 0 failed']);
    expect(summary.notes).toEqual([]);
  });

  it('lists the suites skipped for want of a Secret Service, with why, and counts them', () => {
    const summary = summarize(skippedRun, { exitStatus: 0, skipReason: WHY, cwd: CWD });
    expect(summary.lines).toEqual([
      `coffer: skipped 4 tests in 2 suites that need a Secret Service; there is ${WHY}:`,
      '  build/install/production-install.test.ts (1 test)',
      '  electron/cli/cli.e2e.test.ts (3 tests)',
      'coffer: 5 passed, 0 failed, 4 skipped (2 suites need a Secret Service)',
    ]);
    expect(summary.failed).toBe(0);
  });

  it('does not blame the keychain for tests skipped for another reason', () => {
    const report: VitestReport = {
      numPassedTests: 1,
      numFailedTests: 0,
      testResults: [
        {
          name: '/repo/shared/x.test.ts',
          status: 'passed',
          assertionResults: [passed, { status: 'skipped', tags: [] }],
        },
      ],
    };
    expect(summarize(report, { exitStatus: 0, skipReason: WHY, cwd: CWD }).lines).toEqual([
      `coffer: no suite needed a Secret Service (there is ${WHY})`,
      'coffer: 1 passed, 0 failed',
    ]);
  });

  it('counts failed tests, files that failed to load, and a failed run with neither', () => {
    const report: VitestReport = {
      numPassedTests: 3,
      numFailedTests: 2,
      testResults: [
        { name: '/repo/a.test.ts', status: 'failed', assertionResults: [{ status: 'failed' }] },
        { name: '/repo/b.test.ts', status: 'failed', assertionResults: [] },
      ],
    };
    const summary = summarize(report, { exitStatus: 1, cwd: CWD });
    expect(summary.failed).toBe(3);
    expect(summary.notes).toEqual(['coffer: step "tests" failed']);
    expect(summary.lines).toEqual(['coffer: 3 passed, 3 failed']);

    const crashed = summarize(
      { numPassedTests: 4, numFailedTests: 0, testResults: [] },
      { exitStatus: 1, cwd: CWD },
    );
    expect(crashed.failed).toBe(1);
    expect(crashed.notes[0]).toBe(
      'coffer: vitest exited 1 with no failed test; counting the run as one failure',
    );
  });
});

describe('test-summary.js as npm test runs it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coffer-summary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [SCRIPT, ...args], { cwd: dir, encoding: 'utf8' });

  it('ends stdout with the counts line and exits by the outcome', () => {
    const file = path.join(dir, 'report.json');
    writeFileSync(file, JSON.stringify({ ...skippedRun, testResults: [] }));
    const ok = run(file, '0');
    expect(ok.status).toBe(0);
    expect(ok.stdout.trimEnd().split('\n').pop()).toBe('coffer: 5 passed, 0 failed');
    const failed = run(file, '1');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('counting the run as one failure');
  });

  it('fails when Vitest wrote no report', () => {
    const missing = run(path.join(dir, 'none.json'), '1');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('vitest wrote no report, exit 1');
  });
});
