import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { SECRET_SERVICE_TAG, summarize, summarizeUi } from './test-summary.js';
import type { PlaywrightReport, VitestReport } from './test-summary.js';

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

/** A Playwright JSON report as its json reporter writes it (the fields the summary reads). */
const uiRun: PlaywrightReport = {
  stats: { expected: 3, unexpected: 0, flaky: 0, skipped: 1 },
  suites: [
    {
      title: 'web-mode.spec.ts',
      file: 'web-mode.spec.ts',
      specs: [{ title: 'opens', file: 'web-mode.spec.ts', tests: [{ status: 'expected' }] }],
    },
    {
      title: 'electron/electron-app.spec.ts',
      file: 'electron/electron-app.spec.ts',
      suites: [
        {
          title: 'desktop app',
          specs: [
            {
              title: 'first run',
              tests: [
                {
                  status: 'skipped',
                  annotations: [{ type: 'skip', description: 'no Electron binary here' }],
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('test summary with the UI specs', () => {
  it('adds the UI specs to the counts and lists those that skipped themselves, with why', () => {
    const summary = summarize(
      { numPassedTests: 7, numFailedTests: 0, testResults: [] },
      { exitStatus: 0, cwd: CWD, ui: summarizeUi(uiRun, 0) },
    );
    expect(summary.lines).toEqual([
      'coffer: 1 UI spec skipped itself:',
      '  electron/electron-app.spec.ts › first run: no Electron binary here',
      'coffer: 10 passed, 0 failed, 1 skipped (1 UI spec said why above)',
    ]);
    expect(summary.failed).toBe(0);
  });

  it('counts failed and flaky UI specs, a failed run with neither, and a missing report', () => {
    const failing = summarizeUi({ stats: { expected: 1, unexpected: 2, flaky: 1 } }, 1);
    expect(failing).toMatchObject({ passed: 1, failed: 3 });
    const summary = summarize(
      { numPassedTests: 7, numFailedTests: 0, testResults: [] },
      { exitStatus: 0, cwd: CWD, ui: failing },
    );
    expect(summary.lines).toEqual(['coffer: 8 passed, 3 failed']);
    expect(summary.notes).toContain('coffer: step "UI tests" failed');
    expect(summarizeUi({ stats: { expected: 2 } }, 1)).toMatchObject({ passed: 2, failed: 1 });
    expect(summarizeUi(null, 1)).toMatchObject({ passed: 0, failed: 1 });
  });

  it('keeps both kinds of skip in one counts line', () => {
    const summary = summarize(skippedRun, {
      exitStatus: 0,
      skipReason: WHY,
      cwd: CWD,
      ui: summarizeUi(uiRun, 0),
    });
    expect(summary.lines.at(-1)).toBe(
      'coffer: 8 passed, 0 failed, 5 skipped (2 suites need a Secret Service; 1 UI spec said why above)',
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

  it('adds the Playwright report when given, and fails without one', () => {
    const file = path.join(dir, 'vitest.json');
    writeFileSync(file, JSON.stringify({ numPassedTests: 5, numFailedTests: 0, testResults: [] }));
    const ui = path.join(dir, 'playwright.json');
    writeFileSync(ui, JSON.stringify(uiRun));
    const ok = run(file, '0', '', ui, '0');
    expect(ok.status).toBe(0);
    expect(ok.stdout.trimEnd().split('\n').pop()).toBe(
      'coffer: 8 passed, 0 failed, 1 skipped (1 UI spec said why above)',
    );
    const missing = run(file, '0', '', path.join(dir, 'none.json'), '1');
    expect(missing.status).toBe(1);
    expect(missing.stdout.trimEnd().split('\n').pop()).toBe('coffer: 5 passed, 1 failed');
    expect(missing.stderr).toContain('playwright wrote no report (exit 1)');
  });

  it('fails when Vitest wrote no report', () => {
    const missing = run(path.join(dir, 'none.json'), '1');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('vitest wrote no report, exit 1');
  });
});
