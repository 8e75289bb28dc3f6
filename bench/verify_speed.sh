#!/usr/bin/env bash
# Speed of `kiroku verify` on a data directory of >= 1 GB of journal, against sha256sum of the
# same files run side by side (a floor for "read every byte and hash it once").
#
#   bench/verify_speed.sh [BUILD_DIR] [WORK_DIR] [RECORDS] [RAW_SIZE]
#
# BUILD_DIR needs `kiroku` and `kiroku_verify_gen` (a Release build: cmake -DCMAKE_BUILD_TYPE=
# Release; ninja kiroku kiroku_verify_gen). The data directory is generated with the store and
# integrity libraries (journal segments, tiles, keys, a signed head every 100,000 records), not
# through the network, so it takes seconds; it is kept in WORK_DIR for reruns. Both runs read
# from the page cache after a warm-up read, so the numbers are CPU speed, one core (verify is
# single-threaded), not disk speed. The target (issue 3) is >= 500 MB of raw log per second
# per core.
set -euo pipefail
BUILD=${1:-build}
WORK=${2:-/tmp/kiroku-verify-bench}
N=${3:-3500000}
SIZE=${4:-300}
DATA=$WORK/data
mkdir -p "$WORK"
if [ ! -d "$DATA/journal" ]; then
  echo "generating $N records of $SIZE bytes in $DATA ..."
  "$BUILD/kiroku_verify_gen" "$DATA" "$N" "$SIZE"
fi
cp "$DATA/keys/anchor.json" "$WORK/anchor.json"
cat "$DATA"/journal/*.journal > /dev/null  # warm the page cache for both runs
bytes=$(cat "$DATA"/journal/*.journal | wc -c)

t0=$(date +%s.%N)
"$BUILD/kiroku" verify --data "$DATA" --anchor "$WORK/anchor.json" --format json > "$WORK/report.json" || true
t1=$(date +%s.%N)
sha_t0=$(date +%s.%N)
sha256sum "$DATA"/journal/*.journal > /dev/null
sha_t1=$(date +%s.%N)

python3 - "$WORK/report.json" "$bytes" "$t0" "$t1" "$sha_t0" "$sha_t1" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
nbytes = int(sys.argv[2])
t = float(sys.argv[4]) - float(sys.argv[3])
sha = float(sys.argv[6]) - float(sys.argv[5])
st = report["stats"]
print(f"result: {report['result']} (exit {report['exit_code']})")
print(f"journal: {nbytes/1e6:.0f} MB, {st['records']} records, {st['raw_bytes']/1e6:.0f} MB of raw messages")
print(f"kiroku verify: {t:.2f} s wall ({st['seconds']:.2f} s in the verifier): "
      f"{nbytes/1e6/t:.0f} MB/s of journal, {st['raw_bytes']/1e6/t:.0f} MB/s of raw messages, "
      f"{st['records']/t/1e6:.2f} M records/s")
print(f"sha256sum:     {sha:.2f} s: {nbytes/1e6/sha:.0f} MB/s")
print(f"ratio verify/sha256sum throughput: {sha/t:.2f}")
PY
