#!/usr/bin/env bash
# Installs the contract tools pinned in tools/openapi/package-lock.json (Spectral and its OWASP
# ruleset, Redocly CLI, the Prism proxy) into tools/openapi/node_modules, when they are missing
# or the lock file changed; quick when they are there. No package's install script runs (none is
# needed). Needs Node.js and npm (Debian's packages nodejs and npm are installed when npm is
# missing) and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/../tools/openapi"
if ! command -v npm >/dev/null; then
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
cmp -s package-lock.json node_modules/.installed-lock 2>/dev/null && exit 0
echo "installing the contract tools (tools/openapi)"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
cp package-lock.json node_modules/.installed-lock
