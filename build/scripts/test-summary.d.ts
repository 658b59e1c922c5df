// Types for test-summary.js, so the TypeScript tests can import it.
export const SECRET_SERVICE_TAG: string;

export interface VitestReport {
  numPassedTests?: number;
  numFailedTests?: number;
  testResults?: {
    name: string;
    status: string;
    assertionResults?: { status: string; tags?: string[] }[];
  }[];
}

export interface SkippedSuite {
  file: string;
  tests: number;
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: SkippedSuite[];
  /** Failure notes, for stderr. */
  notes: string[];
  /** What the run skipped, then the counts line: for stdout. */
  lines: string[];
}

export function summarize(
  report: VitestReport,
  run: { exitStatus: number; skipReason?: string | undefined; cwd?: string },
): Summary;
