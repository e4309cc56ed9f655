#!/usr/bin/env bash
# `make soak`: SOAK_SECONDS (600) of steady mixed traffic against the real server on a database of
# its own (var/soak, seeded small-to-medium with bench/seed.sql), sampling the server every
# SOAK_SAMPLE_SECONDS (10): resident memory, threads, open file descriptors, the service's
# database connections, and its request counters (/metrics). Fails (exit 1, with the reasons) on
# any 5xx or socket error, any request the mix did not expect to succeed, a failed sweep, a
# server that died, or growth (soak/growth.awk). Writes var/soak/samples.tsv and
# var/soak/summary.md; a run of 10 minutes or more also writes bench/results/soak-latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${SOAK_SECONDS:-600}
rate=${SOAK_RATE:-150}                 # requests a second, the whole mix
sample_every=${SOAK_SAMPLE_SECONDS:-10}
sweep_every=5                          # an administrator's S7 sweep, beside the mix
connections=16                         # wrk's; the pool is as large (see "warm-up" below)
warmup=$((seconds / 10 > sample_every ? seconds / 10 : sample_every))
work=var/soak
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  scripts/pg.sh stop "$work/pg" || true
}
trap cleanup EXIT

scripts/pg.sh stop "$work/pg" 2>/dev/null || true
rm -rf "$work"
mkdir -p "$work"
scripts/pg.sh start "$work/pg"
app_url=$(scripts/pg.sh url "$work/pg")
admin_url=$(scripts/pg.sh admin-url "$work/pg")
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
export PERMANENCE_JWT_SECRET=$secret PERMANENCE_ENVIRONMENT=development

. scripts/ports.sh
now() { date +%s.%N; }

DATABASE_URL=$app_url PERMANENCE_LOG_LEVEL=warning build/permanenced migrate 2>"$work/migrate.log"
echo "== seeding var/soak"
psql -X -q "$app_url" -v children=5000 -v carers=2000 -v placements=6000 -v actions=30000 \
  -v audit_rows=100000 -v csws=200 -f bench/seed.sql >/dev/null

port=$(free_port)
base="http://127.0.0.1:$port"
# The warm-up and the mix come from a few subjects, far above a person's rate: not throttled.
DATABASE_URL=$app_url PERMANENCE_PORT=$port PERMANENCE_LOG_LEVEL=warning \
  PERMANENCE_RATE_LIMIT_PER_MINUTE=100000000 PERMANENCE_RATE_LIMIT_BURST=1000000 \
  PERMANENCE_DB_POOL_SIZE=$connections build/permanenced serve 2>"$work/server.log" &
server=$!
pids+=("$server")
wait_listening "$port" 60 || { echo "soak: nothing listens on port $port" >&2; exit 1; }
for _ in $(seq 1 1200); do # the sealer links the seeded audit rows first
  [ "$(psql -X -At "$app_url" -c "SELECT count(*) FROM audit_pending")" = 0 ] && break
  sleep 0.5
done

token() { build/permanenced token --sub "$1" --roles "$2"; }
export SOAK_CSW=bench-csw-1 SOAK_CSW_TOKEN=$(token bench-csw-1 csw) SOAK_TM_TOKEN=$(token bench-tm team_manager)
admin_token=$(token bench-admin admin)
psql -X -At "$app_url" -c "SELECT child_id FROM allocations WHERE person_id = 'bench-csw-1' ORDER BY 1" \
  >"$work/child-ids"
# The team manager's page cursors: the key of every 50th child, as the service encodes it.
psql -X -At "$app_url" -c "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM children) c
                           WHERE n % 50 = 0 ORDER BY id" |
  while read -r key; do printf '%s' "$key" | base64 -w0 | tr '+/' '-_' | tr -d '='; echo; done \
  >"$work/cursors"

# Warm-up: a few seconds of twice as many connections as the pool, flat out, so that every pooled
# connection is open before the first sample (the pool opens them as it needs them and keeps
# them: growth up to its size would not be a leak, and would hide one).
wrk -t1 -c$((2 * connections)) -d5s -s soak/traffic.lua "$base" -- 100000 "$work/child-ids" \
  "$work/cursors" >"$work/warmup.json" 2>&1

# sweeps: an administrator's S7 sweep as of now every $sweep_every s; one line a sweep.
sweeps() {
  local status
  while :; do
    status=$(curl -s -o "$work/sweep.json" -w '%{http_code}' --max-time 60 \
      -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
      -d "{\"as_of\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}" "$base/v1/actions/sweep") || status=000
    printf '%s\t%s\t%s\n' "$(date -u +%H:%M:%S)" "$status" "$(cat "$work/sweep.json" 2>/dev/null)"
    sleep "$sweep_every"
  done
}

# sample ELAPSED: one line of samples.tsv. Returns 1 when the server has gone.
sample() {
  local status rss threads fds db metrics requests errors in_use
  status=$(cat "/proc/$server/status" 2>/dev/null) || return 1
  rss=$(awk '/^VmRSS/ {print $2}' <<<"$status")
  threads=$(awk '/^Threads/ {print $2}' <<<"$status")
  fds=$(find "/proc/$server/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  db=$(psql -X -At "$admin_url" -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'permanence'")
  metrics=$(curl -s --max-time 10 "$base/metrics") || metrics=
  requests=$(awk '/^permanence_http_requests_total/ {n += $NF} END {print n + 0}' <<<"$metrics")
  errors=$(awk '/^permanence_http_requests_total.*status="5/ {n += $NF} END {print n + 0}' <<<"$metrics")
  in_use=$(awk '/^permanence_db_pool_in_use/ {print $2}' <<<"$metrics")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$rss" "$threads" "$fds" "$db" "${in_use:-?}" \
    "$requests" "$errors" >>"$work/samples.tsv"
}

echo "== soak: ${seconds}s at $rate requests/s ($connections connections), a sweep every ${sweep_every}s"
printf 'elapsed_s\trss_kib\tthreads\tfds\tdb_connections\tpool_in_use\trequests_total\tserver_5xx_total\n' \
  >"$work/samples.tsv"
sweeps >"$work/sweeps.tsv" 2>&1 &
sweeper=$!
pids+=("$sweeper")
started=$(now)
wrk -t1 -c$connections -d"${seconds}s" --timeout 10s -s soak/traffic.lua "$base" -- "$rate" \
  "$work/child-ids" "$work/cursors" >"$work/wrk.out" 2>&1 &
load=$!
pids+=("$load")
server_gone=0
sample 0 || server_gone=1
for ((k = 1; k * sample_every < seconds; k++)); do # the last one before wrk stops
  wait_for=$(awk -v s="$started" -v t="$(now)" -v at=$((k * sample_every)) 'BEGIN {d = s + at - t; print (d > 0 ? d : 0)}')
  sleep "$wait_for"
  sample $((k * sample_every)) || { server_gone=1; break; }
  printf '   %ss: %s\n' $((k * sample_every)) "$(tail -1 "$work/samples.tsv" | cut -f2-8 | tr '\t' ' ')"
done
[ "$server_gone" = 0 ] || kill -INT "$load" 2>/dev/null || true # wrk stops and reports
wait "$load" || true
kill "$sweeper" 2>/dev/null
wait "$sweeper" 2>/dev/null || true

# The verdict.
reasons=()
result=$(tail -1 "$work/wrk.out")
[ "$server_gone" = 0 ] && kill -0 "$server" 2>/dev/null || reasons+=("the server died (see $work/server.log)")
if ! grep -q '^{"requests"' <<<"$result"; then
  reasons+=("wrk gave no figures (see $work/wrk.out)")
  result='{}'
fi
# field NAME: a number of wrk's JSON line (empty when it is not there).
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$result"; }
statuses=$(sed -n 's/.*"statuses":\({[^}]*}\).*/\1/p' <<<"$result")
# count_statuses PATTERN: how many answers had a status matching the extended regex.
count_statuses() {
  tr -d '{}"' <<<"$statuses" | tr ',' '\n' | awk -F: -v p="^($1)\$" '$1 ~ p {n += $2} END {print n + 0}'
}
socket_errors=$(sed -n 's/.*"socket_errors":{\([^}]*\)}.*/\1/p' <<<"$result" | tr ',' '\n' |
  awk -F: '{n += $2} END {print n + 0}')
client_5xx=$(count_statuses '5[0-9][0-9]')
client_other=$(($(count_statuses '[0-9]+') - $(count_statuses '200|201') - client_5xx))
server_5xx=$(tail -1 "$work/samples.tsv" | cut -f8)
sweeps_run=$(wc -l <"$work/sweeps.tsv")
sweeps_failed=$(awk -F'\t' '$2 != 200' "$work/sweeps.tsv" | wc -l)
[ "$socket_errors" = 0 ] || reasons+=("$socket_errors socket errors (connect, read, write, timeout)")
[ "$client_5xx" = 0 ] && [ "${server_5xx:-0}" = 0 ] ||
  reasons+=("5xx answers: $client_5xx seen by wrk, ${server_5xx:-?} counted by the server")
[ "$client_other" = 0 ] || reasons+=("$client_other answers neither 200/201 nor 5xx: $statuses")
[ "$sweeps_failed" = 0 ] || reasons+=("$sweeps_failed of $sweeps_run sweeps failed (see $work/sweeps.tsv)")
growth=$(awk -v warmup="$warmup" -f soak/growth.awk "$work/samples.tsv") || reasons+=("growth, or too few samples to judge it (below)")

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
achieved=$(field rps)
{
  echo "# Soak, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "${seconds} s of mixed traffic at a target of $rate requests/s (achieved ${achieved:-?}) over" \
       "$connections connections, a sweep every ${sweep_every} s; $machine; load average at the end" \
       "$(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine)."
  echo
  echo "- requests: $(field requests); latency p50 $(field p50_ms) ms, p99 $(field p99_ms) ms," \
       "longest $(field max_ms) ms; statuses $statuses; socket errors $socket_errors"
  echo "- sweeps: $sweeps_run, $sweeps_failed failed; server-counted 5xx: ${server_5xx:-?}"
  echo "- samples every ${sample_every} s in $work/samples.tsv; the first ${warmup} s are the warm-up"
  echo
  echo "$growth"
  echo
  if [ ${#reasons[@]} = 0 ]; then
    echo "soak: PASS"
  else
    printf 'soak: FAIL: %s\n' "$(IFS=';'; echo "${reasons[*]}" | sed 's/;/; /g')"
  fi
} >"$work/summary.md"
cat "$work/summary.md"
if [ "$seconds" -ge 600 ]; then
  mkdir -p bench/results
  cp "$work/summary.md" bench/results/soak-latest.md
fi
[ ${#reasons[@]} = 0 ]
