#!/usr/bin/env bash
# Builds the libFuzzer targets with clang 14 and runs each for a short while (default 20 s;
# FUZZ_SECONDS=600 for a longer run). Fails on any crash or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-20}"
scripts/build.sh fuzz
mkdir -p build-fuzz/corpus
for f in build-fuzz/fuzz/*_fuzz; do
  name=$(basename "$f")
  mkdir -p "build-fuzz/corpus/$name"
  seeds=()
  [ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
  [ -f "fuzz/$name.dict" ] && seeds=(-dict="fuzz/$name.dict" "${seeds[@]}")
  echo "fuzz: $name for ${seconds}s"
  rc=0
  "$f" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 -artifact_prefix=build-fuzz/ \
       "build-fuzz/corpus/$name" "${seeds[@]}" > "build-fuzz/$name.log" 2>&1 || rc=$?
  grep -E "stat::number_of_executed_units|ERROR|SUMMARY" "build-fuzz/$name.log" || true
  if [ "$rc" -ne 0 ]; then tail -50 "build-fuzz/$name.log"; echo "fuzz: $name FAILED"; exit 1; fi
done
echo "fuzz smoke: all targets ran clean"
