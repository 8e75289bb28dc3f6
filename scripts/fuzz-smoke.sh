#!/usr/bin/env bash
# Builds the libFuzzer targets with clang 14 and runs each for a short while (default 20 s;
# FUZZ_SECONDS=600 for a longer run), FUZZ_JOBS (default: the number of cores) at a time, each
# target on one core. Fails on any crash or sanitizer report, and prints the failing target's log.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-20}"
jobs="${FUZZ_JOBS:-$(nproc)}"
scripts/build.sh fuzz
mkdir -p build-fuzz/corpus

run_one() {  # NAME: fuzzes one target, writes build-fuzz/NAME.log, returns its exit status
  local name=$1 f="build-fuzz/fuzz/$1"
  mkdir -p "build-fuzz/corpus/$name"
  local seeds=()
  [ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
  [ -f "fuzz/$name.dict" ] && seeds=(-dict="fuzz/$name.dict" "${seeds[@]}")
  "$f" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 -artifact_prefix=build-fuzz/ \
       "build-fuzz/corpus/$name" "${seeds[@]}" > "build-fuzz/$name.log" 2>&1
}

report() {  # NAME RC
  local name=$1 rc=$2
  echo "fuzz: $name for ${seconds}s"
  grep -E "stat::number_of_executed_units|ERROR|SUMMARY" "build-fuzz/$name.log" || true
  if [ "$rc" -ne 0 ]; then tail -50 "build-fuzz/$name.log"; echo "fuzz: $name FAILED"; return 1; fi
}

names=()
for f in build-fuzz/fuzz/*_fuzz; do names+=("$(basename "$f")"); done
failed=0
for ((i = 0; i < ${#names[@]}; i += jobs)); do
  batch=("${names[@]:i:jobs}")
  pids=()
  for name in "${batch[@]}"; do
    run_one "$name" &
    pids+=($!)
  done
  for k in "${!batch[@]}"; do
    rc=0
    wait "${pids[$k]}" || rc=$?
    report "${batch[$k]}" "$rc" || failed=1
  done
  [ "$failed" -eq 0 ] || exit 1
done
echo "fuzz smoke: all targets ran clean"
