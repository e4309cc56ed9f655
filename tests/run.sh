#!/usr/bin/env bash
# `make test`: unit tests, then the black-box API tests against the real server and a real
# PostgreSQL started here (var/test), then the API tests once more against the server built with
# AddressSanitizer + UBSan. Ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

work=var/test
pg_stop() { scripts/pg.sh stop "$work/pg"; }
pg_stop 2>/dev/null
rm -rf "$work"
mkdir -p "$work"
results="$work/results"
: >"$results"
servers=()

cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  servers=()
  pg_stop
}
trap cleanup EXIT

scripts/pg.sh start "$work/pg" || { echo "0 passed, 1 failed"; exit 1; }
app_url=$(scripts/pg.sh url "$work/pg")
admin_url=$(scripts/pg.sh admin-url "$work/pg")
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rs.key" 2>/dev/null
openssl pkey -in "$work/rs.key" -pubout -out "$work/rs.pub"

. scripts/ports.sh

# start_server BINARY LOG [extra env...]: starts the server in the background on a free port,
# which it puts in $started_port. Another process may take the port first: then it tries again.
start_server() {
  local binary=$1 log=$2 attempt pid
  shift 2
  for attempt in 1 2 3 4 5; do
    started_port=$(free_port)
    env DATABASE_URL="$app_url" PERMANENCE_PORT="$started_port" \
      PERMANENCE_JWT_ISSUER=permanence-test PERMANENCE_JWT_AUDIENCE=permanence-api \
      PERMANENCE_LOG_LEVEL=warning PERMANENCE_CORS_ORIGINS="https://front.example.org" \
      PERMANENCE_WEBHOOK_ALLOWLIST="http://127.0.0.1:" \
      PERMANENCE_RATE_LIMIT_PER_MINUTE=1000000 PERMANENCE_RATE_LIMIT_BURST=100000 \
      "$@" "$binary" serve 2>"$log" &
    pid=$!
    if wait_listening "$started_port" && kill -0 "$pid" 2>/dev/null; then
      servers+=("$pid")
      return 0
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  echo "server $binary did not start:"
  cat "$log"
  return 1
}

# start_prism UPSTREAM LOG: starts the Prism proxy (tools/openapi) in front of UPSTREAM on a free
# port, which it puts in $started_port. Prism forwards every request and names in an
# `sl-violations` header where the request or the answer breaks openapi.yaml (not --errors, which
# would answer an invalid request itself instead of letting the server's own validation answer).
# It reads a copy of the contract: Prism restarts whenever the file it reads changes.
start_prism() {
  local upstream=$1 log=$2 attempt pid
  cp openapi.yaml "$work/openapi.yaml"
  for attempt in 1 2 3 4 5; do
    started_port=$(free_port)
    tools/openapi/node_modules/.bin/prism proxy "$work/openapi.yaml" "$upstream" --host 127.0.0.1 \
      --port "$started_port" --cors=false --errors=false -v error >"$log" 2>&1 &
    pid=$!
    if wait_listening "$started_port" && kill -0 "$pid" 2>/dev/null; then
      servers+=("$pid")
      return 0
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  echo "prism did not start:"
  cat "$log"
  return 1
}

# run_api_suite BINARY LABEL [contract]: the API tests against two servers (HS256 and RS256) of
# BINARY; with "contract", the HS256 server is reached through Prism (see start_prism).
run_api_suite() {
  local binary=$1 label=$2 contract=${3:-} hs_port rs_port test_url
  start_server "$binary" "$work/$label-hs.log" PERMANENCE_JWT_SECRET="$secret" ||
    { echo "0 1" >>"$results"; return; }
  hs_port=$started_port
  start_server "$binary" "$work/$label-rs.log" PERMANENCE_JWT_ALG=RS256 \
    PERMANENCE_JWT_PUBLIC_KEY_FILE="$work/rs.pub" || { echo "0 1" >>"$results"; return; }
  rs_port=$started_port
  test_url="http://127.0.0.1:$hs_port"
  if [ -n "$contract" ]; then
    start_prism "$test_url" "$work/$label-prism.log" || { echo "0 1" >>"$results"; return; }
    test_url="http://127.0.0.1:$started_port"
  fi
  echo "== API tests ($label)"
  PERMANENCE_TEST_URL="$test_url" \
  PERMANENCE_TEST_DIRECT_URL="http://127.0.0.1:$hs_port" \
  PERMANENCE_TEST_CONTRACT="$contract" \
  PERMANENCE_TEST_RS_URL="http://127.0.0.1:$rs_port" \
  PERMANENCE_TEST_JWT_SECRET="$secret" \
  PERMANENCE_TEST_JWT_ISSUER=permanence-test \
  PERMANENCE_TEST_JWT_AUDIENCE=permanence-api \
  PERMANENCE_TEST_RS_PRIVATE_KEY="$work/rs.key" \
  PERMANENCE_TEST_RS_PUBLIC_KEY="$work/rs.pub" \
  PERMANENCE_TEST_DB_URL="$admin_url" \
  PERMANENCE_TEST_PG_STOP="scripts/pg.sh stop $work/pg" \
  PERMANENCE_TEST_PG_START="scripts/pg.sh start $work/pg" \
  PERMANENCE_TEST_RESULT_FILE="$results" \
  PERMANENCE_TEST_SERVER_BINARY="$binary" \
  PERMANENCE_TEST_APP_DB_URL="$app_url" \
  PERMANENCE_TEST_WORK_DIR="$work" \
    build/api_tests 2>&1 | tee "$work/$label-tests.log"
  for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  servers=()
}

echo "== unit tests"
PERMANENCE_TEST_RESULT_FILE="$results" build/unit_tests 2>&1 | tee "$work/unit-tests.log"

echo "== fuzz harnesses replayed over their corpus and regressions (tests/fuzz)"
for corpus in tests/fuzz/corpus/*; do
  name=$(basename "$corpus")
  if [ -x "build/fuzz-replay/$name" ]; then
    PERMANENCE_TEST_RESULT_FILE="$results" "build/fuzz-replay/$name" "$corpus" \
      "tests/fuzz/regressions/$name"
  else
    echo "build/fuzz-replay/$name:0:F: not built"
    echo "0 1" >>"$results"
  fi
done 2>&1 | tee "$work/fuzz-replay-tests.log"

run_api_suite build/permanenced plain
scripts/contract-tools.sh || echo "0 1" >>"$results"
run_api_suite build/permanenced contract contract

# LeakSanitizer reports at the server's exit (it stops cleanly on SIGTERM) into $work/asan.*;
# tests/lsan.supp names the libraries' own one-time allocations it may ignore.
export ASAN_OPTIONS="detect_leaks=1:log_path=$PWD/$work/asan"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$PWD/$work/ubsan"
run_api_suite build/permanenced-asan sanitized
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
# (either kind alone is a failure: ls fails when one of its patterns matches nothing)
if [ -n "$(ls "$work"/asan.* "$work"/ubsan.* 2>/dev/null)" ]; then
  echo "== sanitizer reports"
  cat "$work"/asan.* "$work"/ubsan.* 2>/dev/null
  echo "0 1" >>"$results"
fi

# Check prints each failure where it happens; the recap repeats them above the last line.
if grep -h ':[FE]:' "$work"/*-tests.log >"$work/failures" 2>/dev/null; then
  echo "== failures"
  cat "$work/failures"
fi
passed=$(awk '{p += $1} END {print p + 0}' "$results")
failed=$(awk '{f += $2} END {print f + 0}' "$results")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
