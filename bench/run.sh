#!/usr/bin/env bash
# `make bench`: seeds a realistic volume in a database of its own (var/bench), drives the real
# server over loopback with wrk, and reports each scenario beside the baselines measured in the
# same run: a minimal ulfius program (bench/minimal.c: one prepared primary-key lookup per
# request, no auth, no audit) and pgbench on the same database. QUICK=1: a small seed and a few
# seconds per scenario (CI runs that to keep the benchmark working).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=${QUICK:-0}
if [ "$quick" = 1 ]; then
  children=2000 carers=800 placements=2400 actions=12000 audit_rows=40000 csws=80
  seconds=3 soak_seconds=6
else
  children=50000 carers=20000 placements=60000 actions=300000 audit_rows=1000000 csws=2000
  seconds=20 soak_seconds=120
fi
connections=32
work=var/bench
results=bench/results
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  scripts/pg.sh stop "$work/pg"
}
trap cleanup EXIT

scripts/pg.sh stop "$work/pg" 2>/dev/null || true
rm -rf "$work"
mkdir -p "$work" "$results"
scripts/pg.sh start "$work/pg"
app_url=$(scripts/pg.sh url "$work/pg")
admin_url=$(scripts/pg.sh admin-url "$work/pg")
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')

. scripts/ports.sh
# Waits until the sealer has linked every audit row into the chain, then checkpoints, so that
# each measurement starts from the same quiet state (neither the rows nor the WAL of the one
# before are worked off during it).
wait_sealed() {
  for _ in $(seq 1 1200); do
    [ "$(psql -X -At "$app_url" -c "SELECT count(*) FROM audit_pending")" = 0 ] && break
    sleep 0.5
  done
  psql -X -q "$admin_url" -c "CHECKPOINT" >/dev/null
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

export PERMANENCE_JWT_SECRET=$secret PERMANENCE_ENVIRONMENT=development
DATABASE_URL=$app_url PERMANENCE_LOG_LEVEL=warning build/permanenced migrate 2>"$work/migrate.log"

echo "== seeding ($children children, $carers carers, $placements placements, $actions actions, $audit_rows audit rows)"
seed_started=$(date +%s.%N)
psql -X -q "$app_url" -v children=$children -v carers=$carers -v placements=$placements \
  -v actions=$actions -v audit_rows=$audit_rows -v csws=$csws -f bench/seed.sql >/dev/null
echo "   seeded in $(awk -v a="$(date +%s.%N)" -v b="$seed_started" 'BEGIN {printf "%.1f", a - b}') s"

port=$(free_port)
DATABASE_URL=$app_url PERMANENCE_PORT=$port PERMANENCE_LOG_LEVEL=warning \
  PERMANENCE_RATE_LIMIT_PER_MINUTE=100000000 PERMANENCE_RATE_LIMIT_BURST=1000000 \
  PERMANENCE_DB_POOL_SIZE=$connections build/permanenced serve 2>"$work/server.log" &
server=$!
pids+=("$server")
wait_listening "$port" 60 || { echo "nothing listens on port $port" >&2; exit 1; }
wait_sealed
echo "   audit rows sealed after $(awk -v a="$(date +%s.%N)" -v b="$seed_started" 'BEGIN {printf "%.1f", a - b}') s"

minimal_port=$(free_port)
build/bench-minimal "$minimal_port" "$app_url" "$connections" 2>"$work/minimal.log" &
pids+=("$!")
wait_listening "$minimal_port" 60 || { echo "nothing listens on port $minimal_port" >&2; exit 1; }

token() { build/permanenced token --sub "$1" --roles "$2"; }
csw_token=$(token bench-csw-1 csw)
tm_token=$(token bench-tm team_manager)
admin_token=$(token bench-admin admin)
child_ids=$(psql -X -At "$app_url" -c "SELECT child_id FROM allocations WHERE person_id = 'bench-csw-1' ORDER BY 1")
first_child=$(echo "$child_ids" | head -1)
lua_ids=$(echo "$child_ids" | sed 's/.*/"&",/' | tr -d '\n')
last_page_key=$(psql -X -At "$app_url" -c "SELECT id FROM children ORDER BY id OFFSET (SELECT count(*) - 51 FROM children) LIMIT 1")
last_page_cursor=$(printf '%s' "$last_page_key" | base64 -w0 | tr '+/' '-_' | tr -d '=')

# scenario NAME URL SCRIPT-BODY: runs wrk for $seconds and prints the JSON line.
scenario() {
  local name=$1 url=$2 body=$3
  wait_sealed
  { echo "$body"; cat bench/report.lua; } >"$work/$name.lua"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$work/$name.lua" "$url" 2>/dev/null | tail -1
}
rss_before=$(rss_kib "$server")

# probe EXPECTED-STATUS curl-arguments...: one request, so that a scenario never measures errors.
probe() {
  local expected=$1 status
  shift
  status=$(curl -s -o "$work/probe.out" -w '%{http_code}' "$@")
  if [ "$status" != "$expected" ]; then
    echo "probe $* answered $status, not $expected: $(head -c 300 "$work/probe.out")" >&2
    exit 1
  fi
}

echo "== baselines"
probe 200 "http://127.0.0.1:$minimal_port/children/$first_child"
probe 200 -H "Authorization: Bearer $csw_token" "http://127.0.0.1:$port/v1/children/$first_child"
probe 200 -H "Authorization: Bearer $tm_token" "http://127.0.0.1:$port/v1/children?limit=50&after=$last_page_cursor"
ceiling=$(scenario ceiling "http://127.0.0.1:$minimal_port" "
ids = {$lua_ids}
n = 0
request = function() n = n + 1; return wrk.format('GET', '/children/' .. ids[n % #ids + 1]) end")
echo "   minimal ulfius: $ceiling"
PGPASSWORD= pgbench -i -q -s 10 "$admin_url" >/dev/null 2>&1
pgbench_select=$(pgbench -S -n -c "$connections" -j 2 -T "$seconds" "$admin_url" 2>/dev/null | awk '/^tps/ {print $3; exit}')
pgbench_tpcb=$(pgbench -n -c "$connections" -j 2 -T "$seconds" "$admin_url" 2>/dev/null | awk '/^tps/ {print $3; exit}')
echo "   pgbench -S: $pgbench_select tps; pgbench TPC-B: $pgbench_tpcb tps"

echo "== scenarios"
s1=$(scenario child_get "http://127.0.0.1:$port" "
ids = {$lua_ids}
n = 0
wrk.headers['Authorization'] = 'Bearer $csw_token'
request = function() n = n + 1; return wrk.format('GET', '/v1/children/' .. ids[n % #ids + 1]) end")
echo "   1 GET /v1/children/{id}: $s1"
s2=$(scenario actions_overdue "http://127.0.0.1:$port" "
wrk.headers['Authorization'] = 'Bearer $csw_token'
request = function() return wrk.format('GET', '/v1/actions?owner=me&overdue=true&limit=50') end")
echo "   2 GET /v1/actions?owner=me&overdue=true: $s2"
s3a=$(scenario caseload "http://127.0.0.1:$port" "
wrk.headers['Authorization'] = 'Bearer $csw_token'
request = function() return wrk.format('GET', '/v1/children?limit=50') end")
echo "   3a CSW caseload page: $s3a"
s3b=$(scenario team_first_page "http://127.0.0.1:$port" "
wrk.headers['Authorization'] = 'Bearer $tm_token'
request = function() return wrk.format('GET', '/v1/children?limit=50') end")
echo "   3b team manager, first page: $s3b"
s3c=$(scenario team_last_page "http://127.0.0.1:$port" "
wrk.headers['Authorization'] = 'Bearer $tm_token'
request = function() return wrk.format('GET', '/v1/children?limit=50&after=$last_page_cursor') end")
echo "   3c team manager, last page: $s3c"
due=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
action_body="{\"title\":\"Bench\",\"subject\":{\"type\":\"child\",\"id\":\"$first_child\"},\"owner_id\":\"bench-csw-1\",\"due_at\":\"$due\"}"
probe 201 -H "Authorization: Bearer $csw_token" -H 'Content-Type: application/json' \
  -d "$action_body" "http://127.0.0.1:$port/v1/actions"
s4=$(scenario action_post "http://127.0.0.1:$port/v1/actions" "
wrk.method = 'POST'
wrk.headers['Authorization'] = 'Bearer $csw_token'
wrk.headers['Content-Type'] = 'application/json'
wrk.body = '$action_body'")
echo "   4 POST /v1/actions: $s4"

# sweep AS-OF: one S7 sweep over the whole actions table as of that instant; prints seconds.
sweep() {
  local started ended
  started=$(date +%s.%N)
  curl -s -o "$work/sweep.json" -H "Authorization: Bearer $admin_token" \
    -H 'Content-Type: application/json' -d "{\"as_of\":\"$1\"}" "http://127.0.0.1:$port/v1/actions/sweep"
  ended=$(date +%s.%N)
  awk -v a="$ended" -v b="$started" 'BEGIN {printf "%.3f", a - b}'
}
# 5a: the sweep after a day without one (the service sweeps every few minutes, so this is a
# day's worth of its work at once); 5b: then the 29 days after that in one sweep (a backlog);
# 5c: the same sweep again, nothing left to do (the scan alone).
day_seconds=$(sweep "$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)")
day_body=$(cat "$work/sweep.json")
as_of=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
sweep_seconds=$(sweep "$as_of")
sweep_body=$(cat "$work/sweep.json")
sweep_again_seconds=$(sweep "$as_of")
echo "   5a sweep a day on: $day_seconds s ($day_body)"
echo "   5b sweep 30 days on: $sweep_seconds s ($sweep_body); 5c again: $sweep_again_seconds s"

echo "== memory over a ${soak_seconds}s run"
rss_samples=()
seconds_saved=$seconds
seconds=$soak_seconds
scenario soak "http://127.0.0.1:$port" "
ids = {$lua_ids}
n = 0
wrk.headers['Authorization'] = 'Bearer $csw_token'
request = function() n = n + 1; return wrk.format('GET', '/v1/children/' .. ids[n % #ids + 1]) end" >"$work/soak.json" &
soak=$!
for _ in $(seq 1 "$soak_seconds"); do
  sleep 1
  rss_samples+=("$(rss_kib "$server")")
done
wait "$soak"
seconds=$seconds_saved

# Reports (issue 8), after the memory run so that their large answers do not weigh on it: each
# one over the whole council (the agency decision maker: figures and
# the lists of children behind them; the administrator: figures only), one call to warm up and
# then 5 timed calls, one at a time; prints "name": {median and longest ms, bytes}.
adm_token=$(token bench-adm adm)
today=$(date -u +%Y-%m-%d)
timed_report() {
  local name=$1 tok=$2 path=$3 out times=() sorted
  shift 3
  probe 200 -H "Authorization: Bearer $tok" "$@" "http://127.0.0.1:$port$path"
  for _ in 1 2 3 4 5; do
    out=$(curl -s -o "$work/report.out" -w '%{http_code} %{time_total} %{size_download}' \
      -H "Authorization: Bearer $tok" "$@" "http://127.0.0.1:$port$path")
    times+=("$(echo "$out" | awk '{printf "%.1f", $2 * 1000}')")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '"%s":{"path":"%s","median_ms":%s,"max_ms":%s,"bytes":%s}' "$name" "$path" \
    "$(echo "$sorted" | sed -n 3p)" "$(echo "$sorted" | tail -1)" "$(echo "$out" | awk '{print $3}')"
}
wait_sealed
period="from=$(date -u -d '-180 days' +%Y-%m-%d)&to=$(date -u -d '+180 days' +%Y-%m-%d)"
r_stability=$(timed_report stability "$adm_token" "/v1/reports/stability?as_of=$today")
r_stability_csv=$(timed_report stability_csv "$adm_token" "/v1/reports/stability?as_of=$today" \
  -H 'Accept: text/csv')
r_stability_figures=$(timed_report stability_figures "$admin_token" "/v1/reports/stability?as_of=$today")
r_breakdowns=$(timed_report breakdowns "$adm_token" "/v1/reports/breakdowns?month=${today:0:7}")
r_compliance=$(timed_report compliance "$admin_token" "/v1/reports/compliance?$period")
r_panel=$(timed_report panel "$adm_token" "/v1/reports/panel?$period")
reports="{$r_stability, $r_stability_csv, $r_stability_figures, $r_breakdowns, $r_compliance, $r_panel}"
echo "   6 reports (ms, median of 5): $reports"
rss_after=$(rss_kib "$server")
rss_min=$(printf '%s\n' "${rss_samples[@]}" | sort -n | head -1)
rss_max=$(printf '%s\n' "${rss_samples[@]}" | sort -n | tail -1)
rss_first=${rss_samples[0]}
rss_last=${rss_samples[-1]}
echo "   RSS KiB: before $rss_before, during $rss_min-$rss_max (first $rss_first, last $rss_last), after $rss_after"

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(date -u +%Y-%m-%d)"
bench/report.sh "$results" "$quick" "$machine" "$ceiling" "$pgbench_select" "$pgbench_tpcb" \
  "$s1" "$s2" "$s3a" "$s3b" "$s3c" "$s4" "$sweep_seconds" "$sweep_again_seconds" "$sweep_body" \
  "$day_seconds" "$day_body" \
  "$rss_before" "$rss_min" "$rss_max" "$rss_after" "$(cat "$work/soak.json")" "$reports"
