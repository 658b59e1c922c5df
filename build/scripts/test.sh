#!/usr/bin/env bash
# `npm test`: everything CI checks, in order, stopping at the first step that fails.
#   1. system packages npm cannot install (only the missing ones)
#   2. typecheck   3. lint   4. formatting
#   5. keychain: can the suites tagged `secret-service` have a Secret Service here?
#   6. every Vitest test, under a throwaway keyring
# Where no Secret Service can be had (no gnome-keyring/dbus, no apt to install them) and
# CI is not set, step 6 runs everything else and lists the suites it skipped and why;
# under CI that is a failure instead (secret-service-plan.sh).
# The last line is `coffer: N passed, M failed` (with `, K skipped (…)` when suites were
# skipped), which CI reads.
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

printf '\n==> keychain\n'
plan=$(bash "$scripts/secret-service-plan.sh") || {
  printf '\ncoffer: step "keychain" failed (bash %s/secret-service-plan.sh)\n' "$scripts" >&2
  exit 1
}
vitest=(npx --no-install vitest run --reporter=default --reporter=json
  --outputFile.json="$vitest_json")
skip_reason=''
case $plan in
  'run '*)
    printf 'Secret Service: %s\n' "${plan#run }"
    vitest=(bash "$scripts/with-keyring.sh" "${vitest[@]}")
    ;;
  'skip '*)
    skip_reason=${plan#skip }
    printf 'skipping the suites tagged secret-service: there is %s\n' "$skip_reason"
    vitest+=(--tags-filter='!secret-service')
    ;;
  *)
    printf '\ncoffer: step "keychain" failed (unexpected plan: %s)\n' "$plan" >&2
    exit 1
    ;;
esac

printf '\n==> tests\n'
tests_status=0
"${vitest[@]}" || tests_status=$?
node "$scripts/test-summary.js" "$vitest_json" "$tests_status" "$skip_reason"
