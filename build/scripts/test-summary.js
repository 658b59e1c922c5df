// The end of `npm test`: reads Vitest's JSON report, and Playwright's when the UI specs
// ran, and prints the suites skipped for want of a Secret Service (and why) and the UI
// specs that skipped themselves (with their reasons), then the line CI reads:
//   coffer: N passed, M failed
//   coffer: N passed, M failed, K skipped (S suites need a Secret Service)   when some were
// N and M count both runners' tests.
//
// Usage: node build/scripts/test-summary.js REPORT.json VITEST_EXIT_STATUS [SKIP_REASON]
//          [PLAYWRIGHT_REPORT.json PLAYWRIGHT_EXIT_STATUS]
// The skipped suites and the counts go to stdout, failure notes to stderr. Exits 0 when
// nothing failed, 1 otherwise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const SECRET_SERVICE_TAG = 'secret-service';

/**
 * @typedef {{ status: string, tags?: string[] }} AssertionResult
 * @typedef {{ name: string, status: string, assertionResults?: AssertionResult[] }} FileResult
 * @typedef {{ numPassedTests?: number, numFailedTests?: number, testResults?: FileResult[] }} VitestReport
 * @typedef {{ file: string, tests: number }} SkippedSuite
 * @typedef {{ passed: number, failed: number, skipped: SkippedSuite[], notes: string[], lines: string[] }} Summary
 *   notes: failure notes (stderr); lines: what the run skipped, then the counts (stdout)
 * @typedef {{ type: string, description?: string }} PlaywrightAnnotation
 * @typedef {{ status?: string, projectName?: string, annotations?: PlaywrightAnnotation[] }} PlaywrightTest
 * @typedef {{ title: string, file?: string, tests?: PlaywrightTest[] }} PlaywrightSpec
 * @typedef {{ title?: string, file?: string, specs?: PlaywrightSpec[], suites?: PlaywrightSuite[] }} PlaywrightSuite
 * @typedef {{ stats?: { expected?: number, unexpected?: number, flaky?: number, skipped?: number }, suites?: PlaywrightSuite[], errors?: unknown[] }} PlaywrightReport
 * @typedef {{ spec: string, reason: string }} SkippedSpec
 * @typedef {{ passed: number, failed: number, skipped: SkippedSpec[], notes: string[] }} UiSummary
 */

/**
 * The UI specs' outcome from Playwright's JSON report. A spec that passed only on a retry
 * counts as failed: a flaky proof proves nothing.
 * @param {PlaywrightReport | null} report null when Playwright wrote none
 * @param {number} exitStatus
 * @returns {UiSummary}
 */
export function summarizeUi(report, exitStatus) {
  if (report === null) {
    return {
      passed: 0,
      failed: 1,
      skipped: [],
      notes: [
        `coffer: playwright wrote no report (exit ${exitStatus}); counting it as one failure`,
      ],
    };
  }
  const stats = report.stats ?? {};
  const passed = stats.expected ?? 0;
  let failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0);
  const notes = [];
  if (exitStatus !== 0 && failed === 0) {
    notes.push(
      `coffer: playwright exited ${exitStatus} with no failed test; counting the run as one failure`,
    );
    failed = 1;
  }
  /** @type {SkippedSpec[]} */
  const skipped = [];
  /** @param {PlaywrightSuite} suite @param {string} file */
  const walk = (suite, file) => {
    const here = suite.file ?? file;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue;
        const why = (test.annotations ?? []).find((a) => a.type === 'skip')?.description;
        skipped.push({
          spec: `${spec.file ?? here} › ${spec.title}`,
          reason: why ?? 'no reason given',
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.file ?? suite.title ?? '');
  return { passed, failed, skipped, notes };
}

/**
 * @param {VitestReport} report
 * @param {{ exitStatus: number, skipReason?: string | undefined, cwd?: string, ui?: UiSummary }} run
 * @returns {Summary}
 */
export function summarize(report, run) {
  const files = report.testResults ?? [];
  // A test file that fails to load has no failed test in it: it counts as one failure.
  const brokenFiles = files.filter(
    (file) =>
      file.status === 'failed' &&
      !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  const passed = report.numPassedTests ?? 0;
  let failed = (report.numFailedTests ?? 0) + brokenFiles;
  const notes = [];
  const lines = [];
  if (run.exitStatus !== 0 && failed === 0) {
    // Vitest failed the run without failing a test (an unhandled error, say): still a failure.
    notes.push(
      `coffer: vitest exited ${run.exitStatus} with no failed test; counting the run as one failure`,
    );
    failed = 1;
  }

  const skipped =
    run.skipReason === undefined ? [] : skippedSuites(files, run.cwd ?? process.cwd());
  const skippedTests = skipped.reduce((sum, suite) => sum + suite.tests, 0);
  if (run.skipReason !== undefined) {
    lines.push(
      skipped.length === 0
        ? `coffer: no suite needed a Secret Service (there is ${run.skipReason})`
        : `coffer: skipped ${plural(skippedTests, 'test')} in ${plural(skipped.length, 'suite')} ` +
            `that need a Secret Service; there is ${run.skipReason}:`,
      ...skipped.map((suite) => `  ${suite.file} (${plural(suite.tests, 'test')})`),
    );
  }
  if (failed !== 0) notes.push('coffer: step "tests" failed');
  const ui = run.ui ?? { passed: 0, failed: 0, skipped: [], notes: [] };
  notes.push(...ui.notes);
  if (ui.failed !== 0) notes.push('coffer: step "UI tests" failed');
  if (ui.skipped.length > 0) {
    lines.push(
      `coffer: ${plural(ui.skipped.length, 'UI spec')} skipped ` +
        `${ui.skipped.length === 1 ? 'itself' : 'themselves'}:`,
      ...ui.skipped.map((s) => `  ${s.spec}: ${s.reason}`),
    );
  }
  const why = [];
  if (skipped.length > 0) why.push(`${plural(skipped.length, 'suite')} need a Secret Service`);
  if (ui.skipped.length > 0) why.push(`${plural(ui.skipped.length, 'UI spec')} said why above`);
  const counts = `coffer: ${passed + ui.passed} passed, ${failed + ui.failed} failed`;
  lines.push(
    why.length === 0
      ? counts
      : `${counts}, ${skippedTests + ui.skipped.length} skipped (${why.join('; ')})`,
  );
  return { passed: passed + ui.passed, failed: failed + ui.failed, skipped, notes, lines };
}

/**
 * @param {FileResult[]} files
 * @param {string} cwd
 * @returns {SkippedSuite[]}
 */
function skippedSuites(files, cwd) {
  return files
    .map((file) => ({
      file: path.relative(cwd, file.name).split(path.sep).join('/'),
      tests: (file.assertionResults ?? []).filter(
        (test) =>
          (test.status === 'skipped' || test.status === 'pending') &&
          (test.tags ?? []).includes(SECRET_SERVICE_TAG),
      ).length,
    }))
    .filter((suite) => suite.tests > 0)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** @param {number} n @param {string} noun */
function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function main() {
  const [reportFile, status, skipReason, uiReportFile, uiStatus] = process.argv.slice(2);
  const exitStatus = Number(status);
  const uiExitStatus = Number(uiStatus);
  if (
    reportFile === undefined ||
    !Number.isInteger(exitStatus) ||
    (uiReportFile !== undefined && !Number.isInteger(uiExitStatus))
  ) {
    console.error(
      'usage: test-summary.js REPORT.json VITEST_EXIT_STATUS [SKIP_REASON] ' +
        '[PLAYWRIGHT_REPORT.json PLAYWRIGHT_EXIT_STATUS]',
    );
    return 2;
  }
  /** @type {UiSummary | undefined} */
  let ui;
  if (uiReportFile !== undefined) {
    /** @type {PlaywrightReport | null} */
    let uiReport = null;
    try {
      uiReport = JSON.parse(readFileSync(uiReportFile, 'utf8'));
    } catch {
      uiReport = null;
    }
    ui = summarizeUi(uiReport, uiExitStatus);
  }
  /** @type {VitestReport} */
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    console.error(`\ncoffer: step "tests" failed (vitest wrote no report, exit ${exitStatus})`);
    return 1;
  }
  const summary = summarize(report, {
    exitStatus,
    skipReason: skipReason || undefined,
    ...(ui === undefined ? {} : { ui }),
  });
  if (summary.notes.length > 0) console.error(`\n${summary.notes.join('\n')}`);
  console.log(`\n${summary.lines.join('\n')}`);
  return summary.failed === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
