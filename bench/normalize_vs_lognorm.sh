#!/usr/bin/env bash
# Normaliser throughput, kiroku vs liblognorm (rsyslog's mmnormalize engine), side by side on
# the same generated lines, one core each (issue 4).
#   bench/normalize_vs_lognorm.sh [--count N] [--reps R]
# kiroku: build/bench/normalize_throughput (cmake -DKIROKU_BENCH=ON); it times only the
# normaliser (headers are parsed before the clock starts, as the sealer gets them from the
# journal) and reports CPU time. liblognorm: `lognormalizer -r bench/lognorm.rulebase -e json`
# on the message parts of the same records (mmnormalize runs after rsyslog parsed the header),
# output to /dev/null, CPU time (user+sys) from /usr/bin/time. Its JSON output costs it
# something kiroku's run does not pay; `-e xml`/cee are no cheaper. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
count=1000000
reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    *) echo "usage: $0 [--count N] [--reps R]" >&2; exit 2 ;;
  esac
done
BUILD="${BUILD:-build}"
bin="$BUILD/bench/normalize_throughput"
[ -x "$bin" ] || { echo "missing $bin: cmake -S . -B $BUILD -DKIROKU_BENCH=ON && ninja -C $BUILD normalize_throughput" >&2; exit 2; }
command -v lognormalizer >/dev/null || { echo "missing lognormalizer (apt install liblognorm-utils)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| corpus | records | kiroku records/s | lognormalizer records/s | ratio |"
echo "|---|---:|---:|---:|---:|"
for kind in netfilter postfix mixed; do
  python3 bench/gen_normalize_corpus.py --kind "$kind" --count "$count" --seed 42 \
    --out "$work/$kind.log" --messages-out "$work/$kind.msg"
  k=$("$bin" "$work/$kind.log" --reps "$reps" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records_per_s"])')
  if [ "$kind" = mixed ]; then
    echo "| $kind | $count | $k | n/a (one rulebase per device family would be needed) | |"
    continue
  fi
  best=""
  for _ in $(seq "$reps"); do
    t=$( { /usr/bin/time -f '%U %S' lognormalizer -r bench/lognorm.rulebase -e json \
           < "$work/$kind.msg" > /dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  l=$(awk "BEGIN{printf \"%.0f\", $count / $best}")
  ratio=$(awk "BEGIN{printf \"%.2f\", $k / $l}")
  echo "| $kind | $count | $k | $l | ${ratio}x |"
done
