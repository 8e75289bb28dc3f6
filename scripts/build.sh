#!/usr/bin/env bash
# Configures and builds kiroku. Usage: scripts/build.sh [release|werror|sanitize|fuzz]
#   release   build/        optimised, with debug info (what run.sh serves)
#   werror    build/        -O2 without debug info, warnings are errors (what test.sh and CI build)
#   sanitize  build-asan/   clang 14, ASan + UBSan, for the tests
#   fuzz      build-fuzz/   clang 14 libFuzzer targets
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
jobs="${KIROKU_JOBS:-$(nproc)}"
case "$kind" in
  release)  dir=build;      flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  # The test build: optimised like release (same warnings at -O2) but without debug info, which
  # costs a quarter of the compile time on CI's two cores; the ASan build has it for backtraces.
  werror)   dir=build;      flags=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
                                   "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" -DKIROKU_WERROR=ON) ;;
  # Clang 14 with line tables only (-g1): sanitizer reports still name file and line, and clang
  # builds this ASan+UBSan tree in about half GCC's time (docs/decisions/build.md).
  sanitize) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1
                                   -DCMAKE_C_FLAGS_DEBUG=-g1 -DKIROKU_SANITIZE=ON -DKIROKU_BENCH=OFF
                                   -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14) ;;
  fuzz)     dir=build-fuzz; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIROKU_FUZZ=ON -DKIROKU_BENCH=OFF
                                   -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14) ;;
  *) echo "usage: $0 [release|werror|sanitize|fuzz]" >&2; exit 2 ;;
esac
# A tree configured with another compiler (build-asan/ was GCC's before 2026-11-27) cannot switch
# in place: start it again.
if [ "$kind" = sanitize ] && [ -f "$dir/CMakeCache.txt" ] &&
   ! grep -q '^CMAKE_CXX_COMPILER:.*clang++-14' "$dir/CMakeCache.txt"; then
  rm -rf "$dir"
fi
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
targets=()
[ "$kind" = fuzz ] && targets=(--target fuzz_all)  # the fuzzers only: no tests, no CLI
cmake --build "$dir" -j "$jobs" "${targets[@]}"
echo "build: $dir ($kind) ok"
