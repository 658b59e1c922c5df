// The end of `npm test`: reads Vitest's JSON report and prints the suites skipped for want
// of a Secret Service (and why), then the line CI reads:
//   coffer: N passed, M failed
//   coffer: N passed, M failed, K skipped (S suites need a Secret Service)   when some were
//
// Usage: node build/scripts/test-summary.js REPORT.json VITEST_EXIT_STATUS [SKIP_REASON]
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
 */

/**
 * @param {VitestReport} report
 * @param {{ exitStatus: number, skipReason?: string | undefined, cwd?: string }} run
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
  const counts = `coffer: ${passed} passed, ${failed} failed`;
  lines.push(
    skipped.length === 0
      ? counts
      : `${counts}, ${skippedTests} skipped (${plural(skipped.length, 'suite')} need a Secret Service)`,
  );
  return { passed, failed, skipped, notes, lines };
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
  const [reportFile, status, skipReason] = process.argv.slice(2);
  const exitStatus = Number(status);
  if (reportFile === undefined || !Number.isInteger(exitStatus)) {
    console.error('usage: test-summary.js REPORT.json VITEST_EXIT_STATUS [SKIP_REASON]');
    return 2;
  }
  /** @type {VitestReport} */
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    console.error(`\ncoffer: step "tests" failed (vitest wrote no report, exit ${exitStatus})`);
    return 1;
  }
  const summary = summarize(report, { exitStatus, skipReason: skipReason || undefined });
  if (summary.notes.length > 0) console.error(`\n${summary.notes.join('\n')}`);
  console.log(`\n${summary.lines.join('\n')}`);
  return summary.failed === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
