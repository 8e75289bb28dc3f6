#!/usr/bin/env bash
# Installs what kiroku needs, builds it, and starts `kiroku serve` on the embedded default store
# (./kiroku-data; syslog UDP+TCP on 127.0.0.1:5514, HTTP on 127.0.0.1:8514). Extra arguments go
# to `kiroku serve`, e.g. scripts/run.sh --syslog-tcp 0.0.0.0:514
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release
exec ./build/kiroku serve "$@"
