#!/usr/bin/env bash
# How `npm test` treats the suites that need the OS keychain (Vitest tag `secret-service`).
# Prints one line:
#   run <how>    a Secret Service can be had (with-keyring.sh --check): everything runs
#   skip <why>   none can be had on this machine: npm test runs everything else and lists
#                the suites it skipped, with <why>
# Under CI nothing may be skipped: there, no Secret Service is an error (exit 1), so a CI
# image that lost gnome-keyring fails instead of passing with fewer tests.
#
# Usage: bash build/scripts/secret-service-plan.sh
set -euo pipefail

here=${BASH_SOURCE[0]%/*}
status=0
found=$("$BASH" "$here/with-keyring.sh" --check) || status=$?

case $status in
  0)
    printf 'run %s\n' "$found"
    ;;
  1)
    why=${found#none: }
    case ${CI:-} in
      '' | false | 0)
        printf 'skip %s\n' "$why"
        ;;
      *)
        printf 'secret-service-plan: CI=%s runs every suite, and here there is %s\n' \
          "$CI" "$why" >&2
        exit 1
        ;;
    esac
    ;;
  *)
    exit "$status"
    ;;
esac
