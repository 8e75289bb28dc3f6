#!/usr/bin/env bash
# RELP ingest through a real rsyslog: loggen -> rsyslog (imptcp) -> omrelp -> kiroku --relp.
# kiroku acknowledges each RELP message only after it is fdatasynced (docs/decisions/relp.md),
# so this measures acknowledged, durable delivery. Prints messages/s from the first message to
# the last one stored in kiroku.
#   bench/relp_throughput.sh [MESSAGES]      (default 50000; BUILD=build)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
n=${1:-50000}
kiroku=${BUILD:-$here/../build}/kiroku
loggen=${LOGGEN:-$here/../../shared/tools/loggen}
work=$(mktemp -d /var/tmp/kiroku-relp-bench.XXXXXX)
trap 'kill $kpid $rpid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
pick_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
relp_port=$(pick_port); http_port=$(pick_port); in_port=$(pick_port)

"$kiroku" serve --data "$work/data" --syslog-udp off --syslog-tcp off --relp 127.0.0.1:$relp_port \
  --http 127.0.0.1:$http_port > "$work/kiroku.log" 2>&1 &
kpid=$!
mkdir -p "$work/rsyslog"
cat > "$work/rsyslog.conf" <<CONF
global(workDirectory="$work/rsyslog")
module(load="imptcp")
module(load="omrelp")
input(type="imptcp" address="127.0.0.1" port="$in_port")
action(type="omrelp" target="127.0.0.1" port="$relp_port")
CONF
until curl -sf "127.0.0.1:$http_port/healthz" >/dev/null; do sleep 0.05; done
rsyslogd -n -f "$work/rsyslog.conf" -i "$work/rsyslog.pid" > "$work/rsyslog.log" 2>&1 &
rpid=$!
until [ -s "$work/rsyslog.pid" ]; do sleep 0.05; done
sleep 0.5
stored() { curl -s "127.0.0.1:$http_port/metrics" | awk '/^kiroku_messages_stored_total /{print $2}'; }
start=$(date +%s.%N)
"$loggen" --quiet --inet --stream --size 300 --rate 1000000000 --interval 3600 --number "$n" \
  127.0.0.1 "$in_port" > "$work/loggen.log" 2>&1
until [ "$(stored)" -ge "$n" ]; do sleep 0.05; done
end=$(date +%s.%N)
fsync=$(curl -s "127.0.0.1:$http_port/metrics" | awk '/^kiroku_fsync_duration_seconds_(sum|count) /{v[$1]=$2} END{printf "%.0f", v["kiroku_fsync_duration_seconds_sum"]/v["kiroku_fsync_duration_seconds_count"]*1e6}')
awk -v n="$n" -v s="$start" -v e="$end" -v f="$fsync" \
  'BEGIN{printf "relp: %d messages acknowledged and durable in %.2f s = %.0f msgs/s (mean fdatasync %s us)\n", n, e-s, n/(e-s), f}'
