#!/usr/bin/env bash
# The instructor guide's slide figures (docs/workshop/README.md, "Slide-ready figures"): runs the lessons' steps at
# their seeds and renders them with the dashboard, offscreen, 1280x720 (16:9), light theme, into
# docs/workshop/figures/NAME.png. One command regenerates them all:
#   make figures                      (or: tools/workshop-figures.sh [--build DIR] [--out DIR])
#   tools/workshop-figures.sh --list  the figure names and what each shows
#   tools/workshop-figures.sh --check re-runs the steps (no GUI needed) and fails when a committed figure is stale
# Runs are deterministic (one seed per lesson step), so a figure changes only when a lesson's results change. The
# script writes docs/workshop/figures/runs.sha256: the SHA-256 of each step's summary.json a figure was drawn from.
# The CTest WorkshopFigures runs --check and also checks that the committed PNGs are exactly this list, 1280x720,
# and that the guide shows each one (tests/check_workshop_figures.py).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${repo}/build"
out="${repo}/docs/workshop/figures"
list=0
check=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --list) list=1; shift ;;
    --check) check=1; shift ;;
    *) echo "usage: $0 [--build DIR] [--out DIR] [--list | --check]" >&2; exit 2 ;;
  esac
done

# name | lesson | steps (this run, then the reference for compare) | view | what the figure shows
FIGURES=(
  "01-why-cache|1|B A|compare|a cache in front of the database against none: database requests and latency"
  "04-write-behind-vs-through|4|A B|compare|write-behind against write-through: latency, and the writes a crash loses"
  "05-stampede-lock|5|A C|compare|a stampede at every expiry of the hot pages, without and with a lock"
  "08-lru-vs-lfu|8|lfu lru|compare|allkeys-lfu against allkeys-lru on the same Zipf stream"
  "09-hot-key-nodes|9|A|nodes|one master carries the hot key's load"
  "10-cold-start|10|cold ramp|compare|a cold cache under full traffic against a ramped start"
  "13-resharding-slots|13|move|slots|slot ownership at the end: 2,000 slots moved from master-1 to master-3 (the slider scrubs back)"
  "14-failover-timeline|14|nt5|failover|kill, PFAIL, FAIL, election and promotion at node_timeout 5 s"
  "15-sharding-not-ha|15|repl full|compare|a master lost with and without a replica"
  "17-partition-lost-writes|17|A B|compare|writes lost in a partition, without and with min-replicas-to-write"
  "18-breaker|18|breaker long|compare|a stalled node with a circuit breaker against a long timeout"
)

if [ "$list" = 1 ]; then
  for f in "${FIGURES[@]}"; do IFS='|' read -r name _ _ _ what <<<"$f"; echo "${name}.png  ${what}"; done
  exit 0
fi

cachelab="${build}/sim/cachelab"
gui="${build}/gui/cachelab-gui"
needed=("$cachelab")
[ "$check" = 1 ] || needed+=("$gui")
for b in "${needed[@]}"; do
  [ -x "$b" ] || { echo "$0: $b not built (make build, or --build DIR)" >&2; exit 2; }
done
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
digests="${runs}/runs.sha256"
: >"$digests"
for f in "${FIGURES[@]}"; do
  IFS='|' read -r name lesson steps view _ <<<"$f"
  dirs=()
  for step in $steps; do
    if [ ! -d "${runs}/${lesson}/${step}" ]; then
      "$cachelab" lesson run "$lesson" --step "$step" --out "${runs}/${lesson}" >/dev/null
    fi
    dirs+=("${runs}/${lesson}/${step}")
    echo "${name} lesson ${lesson} step ${step} $(sha256sum "${runs}/${lesson}/${step}/summary.json" | cut -c1-64)" \
      >>"$digests"
  done
  [ "$check" = 1 ] && continue
  mkdir -p "$out"
  QT_QPA_PLATFORM=offscreen "$gui" --screenshot "${out}/${name}.png" --view "$view" --size 1280x720 --theme light \
    "${dirs[@]}" 2> >(grep -v -e XDG_RUNTIME_DIR -e propagateSizeHints >&2)
  echo "${out}/${name}.png"
done
if [ "$check" = 1 ]; then
  if ! diff -u "${out}/runs.sha256" "$digests"; then
    echo "$0: the figures above were drawn from other results than the lessons give now: run make figures" >&2
    exit 1
  fi
  echo "all ${#FIGURES[@]} figures drawn from the lessons' current results"
  exit 0
fi
cp "$digests" "${out}/runs.sha256"
