#!/usr/bin/env bash
# `make fuzz`: runs each named harness (build/fuzz/NAME, built by make) under libFuzzer for
# SECONDS, starting from its corpus (tests/fuzz/corpus/NAME) and regressions
# (tests/fuzz/regressions/NAME), with its dictionary (tests/fuzz/NAME.dict) when it has one.
# New inputs go to build/fuzz/work/NAME, never into the repo.
# Fails when any harness finds a crash, a leak, a sanitizer report or a broken property: the
# input is left in build/fuzz/crashes/NAME/ (README "Fuzzing" says how it becomes a regression).
# Usage: tests/fuzz/run.sh SECONDS NAME...
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=$1
shift
failed=()
for name in "$@"; do
  work=build/fuzz/work/$name
  crashes=build/fuzz/crashes/$name
  mkdir -p "$work" "$crashes"
  seeds=("tests/fuzz/corpus/$name")
  [ -d "tests/fuzz/regressions/$name" ] && seeds+=("tests/fuzz/regressions/$name")
  dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  echo "== fuzz $name (${seconds}s)"
  if build/fuzz/"$name" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" "$work" "${seeds[@]}" \
      >"build/fuzz/$name.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^Done' "build/fuzz/$name.log"
  else
    failed+=("$name")
    tail -n 60 "build/fuzz/$name.log"
    echo "fuzz $name FAILED: the input is in $crashes/ (log: build/fuzz/$name.log)"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}"
  exit 1
fi
echo "fuzzing found nothing in: $*"
