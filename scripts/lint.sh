#!/usr/bin/env bash
# Style checks CI runs: clang-format (Google base, .clang-format) must leave every C++ file as it
# is, and clang-tidy (.clang-tidy) must report nothing on the sources it checks.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.cc' 'src/*.h' 'fuzz/*.cc' 'fuzz/*.h' 'bench/*.cc')
clang-format --dry-run --Werror $files
echo "lint: clang-format clean"
if [ "${1:-}" = "--tidy" ]; then
  test -f build/compile_commands.json || scripts/build.sh release
  srcs=$(git ls-files 'src/*.cc' | grep -v '_test\.cc$')
  run-clang-tidy-14 -p build -quiet $srcs 2>&1 | tee build/clang-tidy.log | grep -E "warning:|error:" && exit 1
  echo "lint: clang-tidy clean"
fi
