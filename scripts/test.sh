#!/usr/bin/env bash
# Installs what kiroku needs, builds it with warnings as errors, and runs the whole test suite:
# unit tests (GoogleTest) and end-to-end tests with real senders (rsyslog, logger, loggen,
# openssl). With --sanitize: every unit test, and the end-to-end files that drive the server's
# main paths (SANITIZE_E2E), on an ASan+UBSan build instead. The other end-to-end files add
# little under the sanitizers that the unit tests do not, and would push CI past 30 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ "${1:-}" = "--sanitize" ]; then
  scripts/build.sh sanitize
  dir=build-asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp"
else
  scripts/build.sh werror
  dir=build
fi
if [ "${1:-}" = "--sanitize" ]; then
  SANITIZE_E2E="${SANITIZE_E2E:-bad_input|serve|tamper|seal|search|clock}"
  ctest --test-dir "$dir" --output-on-failure -j 2 --timeout 900 -E '^e2e_'
  ctest --test-dir "$dir" --output-on-failure -j 2 --timeout 900 -R "^e2e_test_(${SANITIZE_E2E})\$"
else
  ctest --test-dir "$dir" --output-on-failure -j 2 --timeout 900
fi
