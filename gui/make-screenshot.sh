#!/usr/bin/env bash
# Renders the README's picture of a run: the time-series view of RUN_DIR, offscreen, into
# gui/screenshots/<scenario>.png (the scenario is the run directory's parent: results/<scenario>/<run>).
#   gui/make-screenshot.sh results/flash-sale/20261123T120000Z-sim [VIEW]
# BUILD names the build directory (default: build). Needs no display.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 RUN_DIR [VIEW]   (VIEW: overview, timeseries, nodes, slots, failover, compare, knobs, requests, animation)" >&2
  exit 2
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
run_dir="$1"
view="${2:-timeseries}"
gui="${repo}/${BUILD:-build}/gui/cachelab-gui"
[ -x "$gui" ] || { echo "$0: $gui not built (make build, or set BUILD=...)" >&2; exit 2; }
[ -d "$run_dir" ] || { echo "$0: $run_dir: not a run directory" >&2; exit 2; }
scenario="$(basename "$(dirname "$(cd "$run_dir" && pwd)")")"
suffix=""; [ "$view" = timeseries ] || suffix="-$view"
out="${repo}/gui/screenshots/${scenario}${suffix}.png"
mkdir -p "$(dirname "$out")"
QT_QPA_PLATFORM=offscreen "$gui" --screenshot "$out" --view "$view" --size 1200x760 --theme light "$run_dir"
echo "$out"
