#!/usr/bin/env bash
# Installs what kiroku needs, builds it with warnings as errors, and runs the whole test suite:
# unit tests (GoogleTest) and end-to-end tests with real senders (rsyslog, logger, loggen,
# openssl). With --sanitize: the same tests on an ASan+UBSan build instead.
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
ctest --test-dir "$dir" --output-on-failure -j 2 --timeout 900
