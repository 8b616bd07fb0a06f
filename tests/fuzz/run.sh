#!/usr/bin/env bash
# make fuzz: runs every libFuzzer target of BUILD for SECONDS each, two at a time, starting from the seed corpus
# (tests/fuzz/corpus/<target>, the bundled scenarios and results fixture) and what earlier runs found
# (BUILD/fuzz-corpus/<target>). Fails when any target crashes, leaks, trips a sanitizer or times out on one
# input; the input is kept in BUILD/fuzz-artifacts/ (fix the bug, then move it to tests/fuzz/regressions/<target>/).
# Usage: tests/fuzz/run.sh BUILD SECONDS
set -euo pipefail
build=$1 seconds=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
seeds_of() {
  case $1 in
    fuzz_scenario) echo "$src/tests/fuzz/corpus/scenario $src/scenarios" ;;
    fuzz_trace_oracle) echo "$src/tests/fuzz/corpus/trace_oracle" ;;
    fuzz_trace_csv) echo "$src/tests/fuzz/corpus/trace_csv" ;;
    fuzz_trace_txt) echo "$src/tests/fuzz/corpus/trace_txt" ;;
    fuzz_trace_zst) echo "$src/tests/fuzz/corpus/trace_zst" ;;
    fuzz_results) echo "$src/tests/fixtures/run-small" ;;
    fuzz_resp) echo "$src/tests/fuzz/corpus/resp" ;;
  esac
}
run_one() {
  local t=$1 corpus="$build/fuzz-corpus/$1"
  mkdir -p "$corpus"
  for d in $(seeds_of "$t") "$src/tests/fuzz/regressions/$t"; do
    [ -d "$d" ] && find "$d" -type f -name '*' ! -name README.md ! -name .gitkeep -exec cp -n {} "$corpus/" \; 2>/dev/null || true
  done
  # -timeout: one input may take 10 s at most (a hang is a bug); -rss_limit_mb: a memory bomb is a bug.
  if ASAN_OPTIONS=detect_leaks=1 "$build/tests/fuzz/$t" "$corpus" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" \
       >"$build/fuzz-logs/$t.log" 2>&1; then
    echo "$t: ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-logs/$t.log" | grep -o '[0-9]*$') inputs in ${seconds}s)"
  else
    echo "$t: FAILED (log: $build/fuzz-logs/$t.log)"; tail -40 "$build/fuzz-logs/$t.log"; return 1
  fi
}
export -f run_one seeds_of
export build seconds src
targets=$(cat "$build/fuzz-targets.txt")
printf '%s\n' $targets | xargs -P 2 -I{} bash -c 'run_one {}'
