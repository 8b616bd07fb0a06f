#!/usr/bin/env bash
# Measures Redis's cost of GET and SET against value size with live mode (issue 16 part 3), and fits
# node time = a + b x bytes per command (docs/redis-reference.md §12). For each command and size it starts a private
# redis-server on a free loopback port, runs scenarios/validation/live/big-values.json against it (one node, one
# client session in a closed loop: GETs of 16 keys of that size, or SETs of them with write-through: a 0.1 ms database write, then the SET) and reads the
# server's own CPU time (INFO used_cpu_user + used_cpu_sys) and commands processed before and after: node time per
# command = CPU delta / commands delta (all of it on the command thread: read(2), the command, write(2)).
# Also written: the closed loop's throughput (summary.json throughput_per_s) and INFO commandstats usec_per_call
# (the command alone, without its I/O).
# Usage: tools/measure-value-cost.sh [BUILD] > docs/measurements/value-size-cost-redis-7.0.csv
#        (BUILD defaults to build; SIZES="100 1000 ..." and RUNS=N override the grid, CMDS="get" the commands)
#        tools/measure-value-cost.sh --fit docs/measurements/value-size-cost-redis-7.0.csv   (the fit, per command:
#        least squares over every run's point, R², and each size's mean against the line)
#        CMDS=get SIZES="1000 10000 65536 100000 300000 1048576" tools/measure-value-cost.sh \
#          > docs/measurements/loopback-rate-redis-7.0.csv
#        tools/measure-value-cost.sh --loopback docs/measurements/loopback-rate-redis-7.0.csv   (the loopback's
#        effective rate under the simulator's sliced transfer, docs/redis-reference.md §12.3: the link speed w for
#        which the model's time per GET, 1 KB's measured time plus the pipeline of the node's copy at 0.165 ns per
#        byte and the link in 64 KB slices (sim/include/cachelab/net/transfer.hpp) less its 1 KB share, is closest to
#        the median run's 1 / throughput over the sizes above 1 KB: least squares of log(model / measured), the
#        throughput ratio the validation checks)
# The last column is the loopback's TCP congestion control: with BBR (this lab's host) replies of 1 MB are paced on
# loopback and cost twice their time (docs/redis-reference.md §12.5); tools/measure-loopback-cc.sh runs this script in
# a private network namespace with Reno, or any other allowed one.
set -euo pipefail
if [ "${1:-}" = --loopback ]; then
  [ -f "${2:-}" ] || { echo "usage: $0 --loopback CSV" >&2; exit 2; }
  python3 - "$2" <<'PY'
import csv, math, statistics, sys
NODE = 0.165  # ns per reply byte: cluster.get_ns_per_reply_byte (the fit, §12.2)
SLICE = 65536  # NET_MAX_WRITES_PER_EVENT
def pipeline_us(b, w):  # net/transfer.hpp: n equal slices through the node's copy, then the link
    n = max(1, math.ceil(b / SLICE))
    s = b / n
    return (s * (NODE + w) + (n - 1) * s * max(NODE, w)) / 1000
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["command"] == "get"]
by = {}
for r in rows:
    by.setdefault(int(r["value_bytes"]), []).append(float(r["throughput_per_s"]))
base = 1e6 / statistics.median(by[1000])
sizes = [b for b in sorted(by) if b > 1000]
measured = {b: 1e6 / statistics.median(by[b]) for b in sizes}
def model_us(b, w):
    return base + pipeline_us(b, w) - pipeline_us(1000, w)
def cost(w):
    return sum(math.log(model_us(b, w) / measured[b]) ** 2 for b in sizes)
lo, hi = 0.0, 20.0  # golden-section search: cost is unimodal in w
for _ in range(200):
    a, c = lo + (hi - lo) * 0.382, lo + (hi - lo) * 0.618
    if cost(a) < cost(c): hi = c
    else: lo = a
w = (lo + hi) / 2
loads = [float(r["load_1min"]) for r in rows if r.get("load_1min")]
print(f"1 KB: median {statistics.median(by[1000]):.0f}/s ({base:.1f} us per GET)")
for b in sizes:
    print(f"  {b:>7} B: median {statistics.median(by[b]):8.1f}/s (runs {', '.join(f'{v:.0f}' for v in by[b])}): "
          f"{measured[b]:7.1f} us per GET, model {model_us(b, w):7.1f} us, model / measured throughput "
          f"{measured[b] / model_us(b, w):.3f}")
print(f"loopback: {w:.3f} ns per byte = {8 / w:.1f} Gbit/s (least squares of log model / measured over {len(sizes)} sizes"
      + (f"; load average {min(loads):.1f}-{max(loads):.1f})" if loads else ")"))
PY
  exit 0
fi
if [ "${1:-}" = --fit ]; then
  [ -f "${2:-}" ] || { echo "usage: $0 --fit CSV" >&2; exit 2; }
  # Least squares through each size's median run (a run slowed by other jobs on the machine does not pull the line).
  python3 - "$2" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for cmd in ("get", "set"):
    by = {}
    for r in rows:
        if r["command"] == cmd:
            by.setdefault(int(r["value_bytes"]), []).append(float(r["node_cpu_us_per_command"]))
    xs = sorted(by)
    ys = [statistics.median(by[x]) for x in xs]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    a = my - b * mx
    ss = sum((y - my) ** 2 for y in ys)
    r2 = 1 - sum((y - a - b * x) ** 2 for x, y in zip(xs, ys)) / ss
    print(f"{cmd}: node time = {a:.2f} us + {b * 1000:.4f} ns x bytes (R^2 {r2:.4f}; medians of {len(rows) // 10} runs per size)")
    for x, y in zip(xs, ys):
        print(f"  {x:>7} B: median {y:8.2f} us (runs {', '.join(f'{v:.1f}' for v in by[x])}), line {a + b * x:8.2f} us, residual {y - a - b * x:+7.2f} us")
PY
  exit 0
fi
cd "$(dirname "$0")/.."
build=${1:-build}
live=$build/sim/cachelab-live
[ -x "$live" ] || { echo "build $live first: ninja -C $build cachelab-live" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server not found" >&2; exit 2; }
sizes=${SIZES:-"100 1000 10000 100000 1000000"}
runs=${RUNS:-3}
scenario=scenarios/validation/live/big-values.json
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
info_field() { redis-cli -p "$port" INFO "$1" | tr -d '\r' | awk -F: -v k="$2" '$1==k {print $2}'; }
cpu_s() { redis-cli -p "$port" INFO cpu | tr -d '\r' | awk -F: '$1=="used_cpu_user"||$1=="used_cpu_sys" {s+=$2} END {printf "%.6f", s}'; }
usec_per_call() {
  redis-cli -p "$port" INFO commandstats | tr -d '\r' |
    awk -F'[:,=]' -v c="cmdstat_$1" '$1==c {for (i=2;i<NF;i++) if ($i=="usec_per_call") print $(i+1)}'
}

cc=$(cat /proc/sys/net/ipv4/tcp_congestion_control 2>/dev/null || echo unknown)
echo "command,value_bytes,run,commands,node_cpu_us_per_command,usec_per_call,throughput_per_s,load_1min,tcp_congestion_control"
for cmd in ${CMDS:-get set}; do
  for size in $sizes; do
    for run in $(seq 1 "$runs"); do
      port=$(free_port)
      redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
        --dir "$tmp" --logfile "$tmp/redis.log" &
      pid=$!
      for _ in $(seq 1 100); do redis-cli -p "$port" PING >/dev/null 2>&1 && break; sleep 0.05; done
      c0=$(info_field stats total_commands_processed)
      u0=$(cpu_s)
      sets=(--set "/workload/value_bytes/value=$size")
      [ "$cmd" = set ] && sets+=(--set /workload/read_fraction=0 --set /clients/pattern=write-through)
      "$live" live "$scenario" --redis "127.0.0.1:$port" --keep-keys --out "$tmp/run" "${sets[@]}" >"$tmp/out.txt" 2>&1 ||
        { cat "$tmp/out.txt" >&2; exit 1; }
      c1=$(info_field stats total_commands_processed)
      u1=$(cpu_s)
      upc=$(usec_per_call "$cmd")
      thr=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["throughput_per_s"], 1))' \
        "$tmp/run/summary.json")
      awk -v c="$cmd" -v s="$size" -v r="$run" -v c0="$c0" -v c1="$c1" -v u0="$u0" -v u1="$u1" -v upc="$upc" -v t="$thr" \
        -v l="$(cut -d' ' -f1 /proc/loadavg)" -v cc="$cc" \
        'BEGIN {n=c1-c0; printf "%s,%d,%d,%d,%.3f,%s,%s,%s,%s\n", c, s, r, n, (u1-u0)*1e6/n, upc, t, l, cc}'
      kill "$pid"
      wait "$pid" 2>/dev/null || true
      pid=
      rm -rf "$tmp/run"
    done
  done
done
