#!/usr/bin/env bash
# Issue 7 "Performance": GET/SET throughput of the live driver against redis-benchmark's, on the same spawned
# standalone server, at the same number of requests in flight (redis-benchmark: -c C connections x -P P pipeline;
# the driver: one pipelined connection with C*P requests in flight, closed loop). Prints both and the ratio.
#   live/bench/throughput.sh [BUILD_DIR] [C] [P] [SECONDS]
set -euo pipefail
BUILD=${1:-build}
C=${2:-50}
P=${3:-16}
SECS=${4:-5}
LIVE="$BUILD/sim/cachelab-live"
[ -x "$LIVE" ] || { echo "no $LIVE: build first" >&2; exit 2; }
WORK=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

# A free loopback port: bind 0 and read it back.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize no \
  >"$WORK/redis.log" 2>&1 &
PID=$!
for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

KEYS=1000
N=$(( 200000 * SECS / 5 ))
bench() {  # requests per second of one redis-benchmark test
  redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$C" -P "$P" -n "$N" -r "$KEYS" -d 100 -t "$1" --csv -q 2>/dev/null |
    tail -1 | cut -d, -f2 | tr -d '"'
}
GET=$(bench get)
SET=$(bench set)
redis-cli -p "$PORT" flushall >/dev/null  # our own server: start the driver from an empty cache like the benchmark

# Half GETs, half SETs: cache-aside reads of 1000 keys (all hits after the first second) and writes with
# on_write "update" (origin answers at once, then one SET): one Redis command per request.
cat >"$WORK/bench.json" <<JSON
{ "cachelab": 1, "name": "bench", "seed": 1, "duration_s": $SECS, "warmup_s": 1, "metrics_interval_ms": 1000,
  "cluster": { "mode": "standalone", "masters": 1 },
  "workload": { "keys": $KEYS, "popularity": { "dist": "uniform" }, "value_bytes": { "dist": "fixed", "value": 100 },
                "read_fraction": 0.5, "arrival": { "rate_per_s": 100000 } },
  "clients": { "instances": 1, "timeout_ms": 5000, "on_write": "update" },
  "origin": { "servers": 100000, "service_ms": { "dist": "fixed", "value": 0 }, "timeout_ms": 5000 } }
JSON
# The driver spawns its own server; the benchmark's is stopped first so both get the same cores.
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
OURS=$("$LIVE" "$WORK/bench.json" --spawn --closed-loop --concurrency $((C * P)) --out "$WORK/run" --json |
       python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d["requests"]/d["measured_s"]))')
python3 - "$GET" "$SET" "$OURS" "$C" "$P" <<'PY'
import sys
get, set_, ours, c, p = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
ref = (get + set_) / 2
print(f"in flight: {c} x {p}")
print(f"redis-benchmark GET {get:.0f}/s  SET {set_:.0f}/s  mean {ref:.0f}/s")
print(f"cachelab live driver (GET+SET commands) {ours:.0f}/s")
print(f"ratio {ours / ref:.2f}")
PY
