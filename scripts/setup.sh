#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and benchmarking kiroku need.
# Idempotent: run it as often as you like (as root, or with sudo available).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang-14 libclang-rt-14-dev git
  # libraries (see docs/decisions/dependencies.md)
  libssl-dev libasio-dev libboost-dev librelp-dev libfmt-dev libspdlog-dev libcli11-dev
  libtomlplusplus-dev nlohmann-json3-dev libhowardhinnant-date-dev libcpp-httplib-dev
  libzstd-dev zlib1g-dev libroaring-dev libre2-dev tzdata
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  rsyslog rsyslog-relp rsyslog-openssl bsdutils util-linux openssl procps iproute2 curl
  python3 python3-pytest time hyperfine liblognorm-utils
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  # policy-rc.d keeps the rsyslog package from starting a system daemon we do not want.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
