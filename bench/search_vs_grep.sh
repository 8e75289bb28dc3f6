#!/usr/bin/env bash
# Issue 5's performance targets in one run (bench/README.md): a generated 30-day corpus
# (bench/gen_corpus.py, 20M records by default) imported with `kiroku import`, then, side by
# side: needle queries with `kiroku search` (a fresh process each, warm cache, 1 warm-up + N
# timed: p50/p90 and peak RSS) vs `grep -F` over the plain files vs ClickHouse 18.16 from Debian
# (MergeTree, LIKE and column equality); a --stats query over one day; disk used vs raw bytes.
# Prints the results and ratios, and writes them as Markdown for docs/performance.md.
#
# Usage: bench/search_vs_grep.sh [options]
#   --records N       corpus size (default 20000000)
#   --corpus DIR      reuse a corpus made by gen_corpus.py (it has manifest.json)
#   --workdir DIR     where the corpus, data directory and ClickHouse live (default /var/tmp/kiroku-bench)
#   --reps N          timed runs per query (default 11); grep gets --grep-reps (default 3)
#   --no-clickhouse   skip ClickHouse (otherwise: apt-get install it if missing, as root)
#   --markdown FILE   write the summary table to FILE
#   --json FILE       every measurement as JSON
#   --kiroku PATH     binary (default $BUILD/kiroku; BUILD defaults to <repo>/build); use a Release build
#   --keep            keep the data directory and ClickHouse data (the corpus is always kept)
#   --reuse           use what an earlier --keep run left for the same corpus (no import, no load)
#   --load-only       import and load ClickHouse, then stop; query later with --reuse (quiet machine)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${BUILD:-$repo/build}
args=()
kiroku="$build/kiroku"
while [ $# -gt 0 ]; do
  case "$1" in
    --kiroku) kiroku=$2; shift 2 ;;
    --kiroku=*) kiroku=${1#*=}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
for tool in python3 grep du; do
  command -v "$tool" >/dev/null || { echo "search_vs_grep: $tool not found" >&2; exit 2; }
done
[ -x "$kiroku" ] || { echo "search_vs_grep: $kiroku not built (ninja -C build kiroku)" >&2; exit 2; }
exec python3 "$here/search_driver.py" --kiroku "$kiroku" "${args[@]}"
