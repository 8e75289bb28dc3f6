#!/usr/bin/env bash
# Sustained TCP ingest into a durable store: kiroku vs rsyslog, same machine, one run, same
# load generator (syslog-ng's loggen), same message set and count.  See bench/README.md.
#
# Usage: bench/ingest_vs_rsyslog.sh [options]
#   --messages N     messages per run (default 1000000)
#   --reps R         repetitions per peer; the medians are reported (default 3)
#   --conns C        loggen connections, one loggen process each (default 2)
#   --peers LIST     any of rsyslog,rsyslog-sync,rsyslog-sync-batch,rsyslog-sync-4k,kiroku
#                    (default: rsyslog,rsyslog-sync,rsyslog-sync-batch,kiroku)
#   --kiroku PATH    kiroku binary (default $BUILD/kiroku, BUILD defaults to <repo>/build)
#   --seed S         gen_mixed.py seed (default 42)
#   --workdir DIR    parent of the temporary work dir (default /var/tmp; must be on the disk to test)
#   --json FILE      write every run's numbers as JSON
#   --markdown FILE  write the summary (as printed) to FILE
#   --keep           keep the temporary work dir
#   --msgfile FILE   reuse a message file (one message per line) instead of generating one
#   --perf DIR       after the measured runs, one extra (uncounted) run of kiroku under
#                    `perf record`; the report goes to DIR/perf-kiroku.txt (--perf-peers LIST)
#   --rsyslog-template T   omfile template (default bench_raw = "%rawmsg%\n")
#   --kiroku-args "ARGS"   extra `kiroku serve` flags for experiments (e.g. "--fsync false")
# Environment: LOGGEN (default ../shared/tools/loggen beside the repository), BUILD.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${BUILD:-$repo/build}
loggen=${LOGGEN:-$here/../../shared/tools/loggen}

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

for tool in rsyslogd python3; do
  command -v "$tool" >/dev/null || { echo "ingest_vs_rsyslog: $tool not found (apt-get install rsyslog python3)" >&2; exit 2; }
done
[ -x "$loggen" ] || { echo "ingest_vs_rsyslog: loggen not found at $loggen (set LOGGEN=)" >&2; exit 2; }
if [ ! -x "$kiroku" ]; then
  echo "ingest_vs_rsyslog: note: $kiroku not built; kiroku's row will be 'pending'" >&2
fi

exec python3 "$here/ingest_driver.py" --loggen "$loggen" --kiroku "$kiroku" "${args[@]}"
