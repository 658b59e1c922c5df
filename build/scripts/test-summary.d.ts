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

export interface PlaywrightSuite {
  title?: string;
  file?: string;
  specs?: {
    title: string;
    file?: string;
    tests?: {
      status?: string;
      projectName?: string;
      annotations?: { type: string; description?: string }[];
    }[];
  }[];
  suites?: PlaywrightSuite[];
}

export interface PlaywrightReport {
  stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number };
  suites?: PlaywrightSuite[];
  errors?: unknown[];
}

export interface UiSummary {
  passed: number;
  failed: number;
  /** UI specs that skipped themselves, each with the reason it gave. */
  skipped: { spec: string; reason: string }[];
  notes: string[];
}

export function summarizeUi(report: PlaywrightReport | null, exitStatus: number): UiSummary;

export function summarize(
  report: VitestReport,
  run: { exitStatus: number; skipReason?: string | undefined; cwd?: string; ui?: UiSummary },
): Summary;
