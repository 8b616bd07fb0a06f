#!/usr/bin/env bash
# Measures what the loopback's TCP congestion control does to big GETs (docs/redis-reference.md §12.5): runs
# tools/measure-value-cost.sh (GET only) in a private network namespace (`unshare -rn`: a user namespace, no
# privileges needed) whose default congestion control is each of CCS in turn, alternating, PASSES times, so that the
# machine's load falls on both alike. The CSV is measure-value-cost.sh's, its `run` column the pass and its last
# column the namespace's congestion control.
# Usage: tools/measure-loopback-cc.sh [BUILD] > docs/measurements/loopback-congestion-control-redis-7.0.csv
#        (CCS="bbr reno" the congestion controls: each must be in net.ipv4.tcp_allowed_congestion_control;
#        SIZES="400000 1048576" the value sizes; PASSES=4; NICE=-20 runs each pass under nice -n NICE, which needs root,
#        to keep other jobs on a shared machine from setting the pace)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v unshare >/dev/null || { echo "unshare not found" >&2; exit 2; }
allowed=$(cat /proc/sys/net/ipv4/tcp_allowed_congestion_control)
for cc in ${CCS:-bbr reno}; do
  case " $allowed " in *" $cc "*) ;; *) echo "$cc is not in tcp_allowed_congestion_control ($allowed)" >&2; exit 2 ;; esac
done
header=
for pass in $(seq 1 "${PASSES:-4}"); do
  for cc in ${CCS:-bbr reno}; do
    out=$(${NICE:+nice -n "$NICE"} unshare -rn sh -c "ip link set lo up && echo $cc > /proc/sys/net/ipv4/tcp_congestion_control &&
      CMDS=get RUNS=1 SIZES='${SIZES:-400000 1048576}' tools/measure-value-cost.sh '$build'")
    [ -n "$header" ] || { header=1; echo "$out" | head -1; }
    echo "$out" | tail -n +2 | awk -F, -v OFS=, -v p="$pass" '{$3 = p; print}'
  done
done
