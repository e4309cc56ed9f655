#!/usr/bin/env bash
# Writes the benchmark's results as JSON and as a Markdown table in bench/results/, each
# scenario beside the baseline it is judged against (bench/run.sh passes the figures).
set -euo pipefail
dir=$1 quick=$2 machine=$3 ceiling=$4 pg_select=$5 pg_tpcb=$6
s1=$7 s2=$8 s3a=$9 s3b=${10} s3c=${11} s4=${12}
sweep=${13} sweep_again=${14} sweep_body=${15}
day_sweep=${16} day_sweep_body=${17}
rss_before=${18} rss_min=${19} rss_max=${20} rss_after=${21} soak=${22}
reports=${23:-"{}"}

field() { echo "$1" | sed -n "s/.*\"$2\":\\([0-9.]*\\).*/\\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

ceiling_rps=$(field "$ceiling" rps)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
label=$([ "$quick" = 1 ] && echo quick || echo full)
json="$dir/$label-latest.json"
md="$dir/$label-latest.md"

{
  echo "{"
  echo "  \"machine\": \"$machine\", \"taken\": \"$stamp\", \"quick\": $([ "$quick" = 1 ] && echo true || echo false),"
  echo "  \"baselines\": {\"minimal_ulfius\": $ceiling, \"pgbench_select_tps\": ${pg_select:-0}, \"pgbench_tpcb_tps\": ${pg_tpcb:-0}},"
  echo "  \"scenarios\": {"
  echo "    \"child_get\": $s1,"
  echo "    \"actions_overdue\": $s2,"
  echo "    \"caseload_page\": $s3a,"
  echo "    \"team_first_page\": $s3b,"
  echo "    \"team_last_page\": $s3c,"
  echo "    \"action_post\": $s4,"
  echo "    \"sweep_one_day\": {\"seconds\": $day_sweep, \"result\": $day_sweep_body},"
  echo "    \"sweep\": {\"seconds\": $sweep, \"again_seconds\": $sweep_again, \"result\": $sweep_body},"
  echo "    \"soak\": $soak,"
  echo "    \"reports\": $reports"
  echo "  },"
  echo "  \"rss_kib\": {\"before\": $rss_before, \"soak_min\": $rss_min, \"soak_max\": $rss_max, \"after\": $rss_after}"
  echo "}"
} >"$json"

row() {
  local name=$1 line=$2 base=$3 base_name=$4
  printf '| %s | %s | %s | %s | %s | %s (%s) |\n' "$name" "$(field "$line" rps)" \
    "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" errors)" \
    "$(ratio "$(field "$line" rps)" "$base")" "$base_name"
}
{
  echo "Benchmark ($label), $machine, taken $stamp."
  echo
  echo "| scenario | req/s | p50 ms | p99 ms | errors | ratio to baseline |"
  echo "| --- | --- | --- | --- | --- | --- |"
  row "ceiling: minimal ulfius PK lookup" "$ceiling" "$ceiling_rps" "itself"
  row "1 GET /v1/children/{id} (CSW)" "$s1" "$ceiling_rps" "ceiling"
  row "2 GET /v1/actions?owner=me&overdue=true" "$s2" "$ceiling_rps" "ceiling"
  row "3a GET /v1/children (CSW caseload)" "$s3a" "$ceiling_rps" "ceiling"
  row "3b GET /v1/children, team manager, first page" "$s3b" "$ceiling_rps" "ceiling"
  row "3c GET /v1/children, team manager, last page" "$s3c" "$ceiling_rps" "ceiling"
  row "4 POST /v1/actions" "$s4" "${pg_tpcb:-0}" "pgbench TPC-B"
  echo
  echo "- pgbench -S: ${pg_select} tps; pgbench TPC-B: ${pg_tpcb} tps ($(ratio "$(field "$s1" rps)" "${pg_select:-0}") of -S for scenario 1)."
  echo "- last page / first page latency (p50): $(ratio "$(field "$s3c" p50_ms)" "$(field "$s3b" p50_ms)")"
  echo "- 5a S7 sweep over the whole actions table a day on (a day's flags and escalations in one sweep): ${day_sweep} s ($day_sweep_body)."
  echo "- 5b then as of 30 days on (the 29 further days' flags and escalations in one sweep): ${sweep} s ($sweep_body); 5c the same sweep again (nothing left to do): ${sweep_again} s."
  echo "- 6 reports over the whole council, one call at a time (median and longest of 5, ms):"
  for name in stability stability_csv stability_figures breakdowns compliance panel; do
    entry=$(echo "$reports" | sed -n "s/.*\"$name\":{\([^}]*\)}.*/\1/p")
    echo "  - $name: median $(field "$entry" median_ms), longest $(field "$entry" max_ms), $(field "$entry" bytes) bytes ($(echo "$entry" | sed -n 's/.*"path":"\([^"]*\)".*/\1/p'))"
  done
  echo "- server RSS (KiB): before $rss_before; during the soak $rss_min-$rss_max; after $rss_after."
} >"$md"
cp "$json" "$dir/$label-$stamp.json"
cat "$md"
