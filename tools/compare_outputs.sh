#!/usr/bin/env bash
# Byte-for-byte check of a refactor: runs every bundled scenario (scenarios/**, the live validation scenarios and
# tests/live/scenarios, all in the simulator) with two `cachelab` binaries and compares summary.json, series.csv and
# events.jsonl (run.json holds wall-clock fields and is not compared). Runs longer than 120 simulated seconds are
# cut to their warm-up + 60 s (`--set /duration_s=...`, the same for both binaries).
#
#   tools/compare_outputs.sh BEFORE_CACHELAB AFTER_CACHELAB [WORK_DIR]
#
# Exit 0 when every scenario gives identical files (or both binaries refuse it with the same message), 1 otherwise.
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 BEFORE_CACHELAB AFTER_CACHELAB [WORK_DIR]" >&2
  exit 2
fi
before=$1
after=$2
work=${3:-$(mktemp -d /tmp/compare-outputs.XXXXXX)}
cd "$(dirname "$0")/.." || exit 2
status=0
for f in scenarios/*.json scenarios/*/*.json scenarios/validation/live/*.json tests/live/scenarios/*.json; do
  [ -f "$f" ] || continue
  tag=$(echo "$f" | tr '/' '_' | sed 's/\.json$//')
  dur=$(grep -o '"duration_s": *[0-9.]*' "$f" | head -1 | grep -o '[0-9.]*$')
  sets=()
  warm=$(grep -o '"warmup_s": *[0-9.]*' "$f" | head -1 | grep -o '[0-9.]*$')
  if [ -n "$dur" ] && awk "BEGIN { exit !($dur > 120) }"; then
    sets=(--set "/duration_s=$(awk "BEGIN { print ${warm:-0} + 60 }")")
  fi
  rm -rf "$work/$tag"
  mkdir -p "$work/$tag"
  "$before" run "$f" ${sets[@]+"${sets[@]}"} --out "$work/$tag/before" >"$work/$tag/before.log" 2>&1
  rb=$?
  "$after" run "$f" ${sets[@]+"${sets[@]}"} --out "$work/$tag/after" >"$work/$tag/after.log" 2>&1
  ra=$?
  if [ $rb -ne $ra ]; then
    echo "DIFFERS  $f: exit $rb before, $ra after (logs in $work/$tag)"
    status=1
    continue
  fi
  if [ $rb -ne 0 ]; then
    if cmp -s <(grep -v '^seed' "$work/$tag/before.log") <(grep -v '^seed' "$work/$tag/after.log"); then
      echo "same     $f: both exit $rb with the same message"
    else
      echo "DIFFERS  $f: both exit $rb, different messages (logs in $work/$tag)"
      status=1
    fi
    continue
  fi
  bad=""
  for file in summary.json series.csv events.jsonl; do
    cmp -s "$work/$tag/before/$file" "$work/$tag/after/$file" || bad="$bad $file"
  done
  if [ -n "$bad" ]; then
    echo "DIFFERS  $f:$bad (runs in $work/$tag)"
    status=1
  else
    echo "same     $f ${sets[*]+${sets[*]}}"
  fi
done
[ $status -eq 0 ] && echo "all identical" || echo "some differ"
exit $status
