#!/usr/bin/env bash
# Issue 19 part 2, a fair live benchmark: GET/SET throughput of the live driver (`cachelab-live --closed-loop`)
# against redis-benchmark's, like with like: for each set-up C x P, redis-benchmark runs C connections with P
# commands pipelined on each (-c C -P P), and the driver C pooled connections (clients.pool_size C) with P commands
# in flight on each (clients.pipeline P; C*P in flight in all), against a fresh redis-server 7.0 on loopback with the
# same configuration, 100-byte values over 1,000 keys. Each run lasts SECONDS (default 10); the two alternate (odd
# rounds the benchmark first, even rounds the driver first), ROUNDS times (default 3); the medians and their ratio
# are printed per set-up.
#   live/bench/throughput.sh [--build DIR] [--setups 50x16,1x800] [--seconds 10] [--rounds 3]
# redis-benchmark measures GET and SET apart; the driver sends half GETs, half SETs (cache-aside reads of keys that
# are all cached after the first second, writes with on_write "update": one Redis command per request). The
# reference for a 50/50 mix is the harmonic mean of the two rates (the time per command is the mean of the two
# times), 2 / (1/GET + 1/SET).
set -euo pipefail
BUILD=build
SETUPS=50x16,1x800
SECS=10
ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --setups) SETUPS="$2"; shift 2 ;;
    --seconds) SECS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--setups CxP,...] [--seconds S] [--rounds N]" >&2; exit 2 ;;
  esac
done
LIVE="$BUILD/sim/cachelab-live"
[ -x "$LIVE" ] || { echo "$0: no $LIVE: build first (make build)" >&2; exit 2; }
for tool in redis-server redis-benchmark redis-cli python3; do
  command -v "$tool" >/dev/null || { echo "$0: $tool not installed" >&2; exit 2; }
done
[[ "$SECS" =~ ^[0-9]+$ && "$SECS" -ge 2 ]] || { echo "$0: --seconds: expected an integer >= 2, found $SECS" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -ge 1 ]] || { echo "$0: --rounds: expected an integer >= 1, found $ROUNDS" >&2; exit 2; }
WORK=$(mktemp -d)
PID=""
cleanup() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; fi; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
KEYS=1000

start_server() {  # a private redis-server on a loopback port free right now (bind 0 and read it back)
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize no \
    >"$WORK/redis.log" 2>&1 &
  PID=$!
  for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "$0: redis-server did not start:" >&2; cat "$WORK/redis.log" >&2; exit 1
}
stop_server() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

bench_rate() {  # requests/s of one redis-benchmark test ($1) for about SECS seconds: C P TEST
  local c=$1 p=$2 test=$3 n rate
  # A short probe sizes -n (redis-benchmark has no duration option) so the measured run lasts about SECS.
  rate=$(redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$c" -P "$p" -n 200000 -r "$KEYS" -d 100 -t "$test" --csv -q \
         2>/dev/null | tail -1 | cut -d, -f2 | tr -d '"')
  n=$(python3 -c "print(max(200000, int(float('$rate') * $SECS)))")
  redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$c" -P "$p" -n "$n" -r "$KEYS" -d 100 -t "$test" --csv -q 2>/dev/null |
    tail -1 | cut -d, -f2 | tr -d '"'
}

benchmark_once() {  # prints "GET SET" rates: C P
  start_server
  local get set
  get=$(bench_rate "$1" "$2" get)
  set=$(bench_rate "$1" "$2" set)
  stop_server
  echo "$get $set"
}

driver_once() {  # prints the driver's requests/s: C P (it spawns its own server, configured as start_server's)
  local c=$1 p=$2
  cat >"$WORK/bench.json" <<JSON
{ "cachelab": 1, "name": "bench", "seed": 1, "duration_s": $((SECS + 1)), "warmup_s": 1, "metrics_interval_ms": 1000,
  "cluster": { "mode": "standalone", "masters": 1 },
  "workload": { "keys": $KEYS, "popularity": { "dist": "uniform" }, "value_bytes": { "dist": "fixed", "value": 100 },
                "read_fraction": 0.5, "arrival": { "rate_per_s": 100000 } },
  "clients": { "instances": 1, "timeout_ms": 5000, "on_write": "update", "pool_size": $c, "pipeline": $p },
  "origin": { "servers": 100000, "service_ms": { "dist": "fixed", "value": 0 }, "timeout_ms": 5000 } }
JSON
  rm -rf "$WORK/run"
  "$LIVE" live "$WORK/bench.json" --spawn --closed-loop --concurrency $((c * p)) --out "$WORK/run" --json 2>"$WORK/driver.log" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d["requests"]/d["measured_s"]))'
}

echo "live driver vs redis-benchmark: ${SECS} s per run, ${ROUNDS} alternated rounds, medians; $(redis-server --version | cut -d' ' -f3)"
printf '%-10s %12s %12s %14s %12s %7s\n' "set-up" "bench GET/s" "bench SET/s" "bench mix/s" "driver/s" "ratio"
IFS=',' read -r -a setup_list <<<"$SETUPS"
for setup in "${setup_list[@]}"; do
  [[ "$setup" =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "$0: --setups: expected CxP (50x16), found $setup" >&2; exit 2; }
  c=${BASH_REMATCH[1]}; p=${BASH_REMATCH[2]}
  : >"$WORK/bench.txt"; : >"$WORK/driver.txt"
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then
      benchmark_once "$c" "$p" >>"$WORK/bench.txt"; driver_once "$c" "$p" >>"$WORK/driver.txt"
    else
      driver_once "$c" "$p" >>"$WORK/driver.txt"; benchmark_once "$c" "$p" >>"$WORK/bench.txt"
    fi
  done
  python3 - "$setup" "$WORK/bench.txt" "$WORK/driver.txt" <<'PY'
import statistics, sys
setup, bench, driver = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [tuple(map(float, l.split())) for l in open(bench) if l.strip()]
ours = [float(l) for l in open(driver) if l.strip()]
get = statistics.median(r[0] for r in rows)
set_ = statistics.median(r[1] for r in rows)
mix = statistics.median(2 / (1 / r[0] + 1 / r[1]) for r in rows)
d = statistics.median(ours)
print(f"{setup:<10} {get:12,.0f} {set_:12,.0f} {mix:14,.0f} {d:12,.0f} {d / mix:7.2f}")
PY
done
