#!/usr/bin/env bash
# Installs the Debian packages the build, the server and the tests need, when any is missing,
# and any further packages named as arguments (the benchmark's). Idempotent and quick when
# everything is there. Run as root (or with sudo available).
set -euo pipefail
packages=(build-essential pkg-config libulfius-dev libjansson-dev libpq-dev libjwt-dev
          liborcania-dev libyder-dev libmicrohttpd-dev libcurl4-gnutls-dev libical-dev libssl-dev libcsv-dev check
          clang-14 libfuzzer-14-dev
          postgresql-15 postgresql-client-15 openssl "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
