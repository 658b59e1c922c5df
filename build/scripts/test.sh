#!/usr/bin/env bash
# `npm test`: everything CI checks, in order, stopping at the first step that fails.
#   1. system packages npm cannot install (only the missing ones)
#   2. typecheck   3. lint   4. formatting   5. every Vitest test under a throwaway keyring
# The last line is `coffer: N passed, M failed`, which CI reads.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scripts=build/scripts

report_dir=$(mktemp -d "${TMPDIR:-/tmp}/coffer-test.XXXXXX")
trap 'rm -rf -- "$report_dir"' EXIT
vitest_json=$report_dir/vitest.json

step() {
  local name=$1
  shift
  printf '\n==> %s\n' "$name"
  if ! "$@"; then
    printf '\ncoffer: step "%s" failed (%s)\n' "$name" "$*" >&2
    exit 1
  fi
}

step 'system packages' bash "$scripts/install-system-deps.sh"
step 'typecheck' npx --no-install tsc -b
step 'lint' npx --no-install eslint . --max-warnings 0
step 'format' npx --no-install prettier --check .

printf '\n==> tests\n'
tests_status=0
bash "$scripts/with-keyring.sh" npx --no-install vitest run \
  --reporter=default --reporter=json --outputFile.json="$vitest_json" || tests_status=$?

# Counts come from Vitest's JSON report. A test file that fails to load has no failed
# test in it, so it is counted as one failure of its own.
summary=$(node -e '
  const fs = require("node:fs");
  let report;
  try {
    report = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  } catch {
    process.exit(3);
  }
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === "failed" &&
      !(file.assertionResults ?? []).some((test) => test.status === "failed"),
  ).length;
  const failed = (report.numFailedTests ?? 0) + brokenFiles;
  console.log(`${report.numPassedTests ?? 0} ${failed}`);
' "$vitest_json") || summary=''

if [[ -z $summary ]]; then
  printf '\ncoffer: step "tests" failed (vitest wrote no report, exit %s)\n' "$tests_status" >&2
  exit 1
fi
read -r passed failed <<<"$summary"
if ((tests_status != 0 && failed == 0)); then
  # Vitest failed the run without failing a test (an unhandled error, say): still a failure.
  printf '\ncoffer: vitest exited %s with no failed test; counting the run as one failure\n' \
    "$tests_status" >&2
  failed=1
fi
if ((tests_status != 0 || failed != 0)); then
  printf '\ncoffer: step "tests" failed\n' >&2
  printf 'coffer: %s passed, %s failed\n' "$passed" "$failed"
  exit 1
fi
printf '\ncoffer: %s passed, %s failed\n' "$passed" "$failed"
