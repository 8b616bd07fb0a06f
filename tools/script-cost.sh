#!/usr/bin/env bash
# Measures a server-side script's node time on a private redis-server (docs/redis-reference.md §11): EVALSHA of a
# script that makes K redis.call of one command (GET, SET or INCR) on its one key, for K = 1, 2, 5, 10, 50 (the
# line) and 1,000, 20,000, 500,000 (long scripts cost more per call: cluster/script_cost.hpp). The
# time per call is the server's own (INFO commandstats cmdstat_evalsha usec_per_call, which includes the script's
# redis.call, as keys-cost reads KEYS's), after `calls` EVALSHA (calls x 50 / K beyond K = 50, at least 10) from
# one redis-benchmark client,
# the median of three runs. Then a least-squares
# line usec = base + per_call x K per command over K <= 50, printed on stderr.
# Usage: tools/script-cost.sh [calls per point, default 20000] > docs/measurements/script-cost-redis-7.0.csv
set -euo pipefail
calls=${1:-20000}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize no \
  >"$dir/log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
for _ in $(seq 50); do cli PING >/dev/null 2>&1 && break; sleep 0.1; done
version=$(cli INFO server | tr -d '\r' | sed -n 's/^redis_version://p')
echo "command,calls_per_script,scripts,usec_per_script,redis_version"
rows=()
for cmd in GET SET INCR; do
  case $cmd in
    GET) body="redis.call('GET', KEYS[1])" ;;
    SET) body="redis.call('SET', KEYS[1], 'x')" ;;
    INCR) body="redis.call('INCR', KEYS[1])" ;;
  esac
  sha=$(cli SCRIPT LOAD "for i = 1, tonumber(ARGV[1]) do $body end return 1")
  cli SET "k:$cmd" 1 >/dev/null
  for k in 1 2 5 10 50 1000 20000 500000; do
    n=$((calls * 50 / k))  # about the same number of redis.call per point beyond K = 50
    if ((n > calls)); then n=$calls; fi
    if ((n < 10)); then n=10; fi
    runs=()
    for _ in 1 2 3; do  # the median of three runs: a build on the other core can slow one of them down
      cli CONFIG RESETSTAT >/dev/null
      redis-benchmark -h 127.0.0.1 -p "$port" -c 1 -n "$n" -q EVALSHA "$sha" 1 "k:$cmd" "$k" >/dev/null
      runs+=("$(cli INFO commandstats | tr -d '\r' | sed -n 's/^cmdstat_evalsha:.*usec_per_call=\([0-9.]*\).*/\1/p')")
    done
    usec=$(printf '%s\n' "${runs[@]}" | sort -g | sed -n 2p)
    echo "$cmd,$k,$n,$usec,$version"
    if ((k <= 50)); then rows+=("$cmd $k $usec"); fi
  done
done
# Least squares per command: usec = base + per_call x K.
printf '%s\n' "${rows[@]}" | awk '
  { n[$1]++; sx[$1]+=$2; sy[$1]+=$3; sxx[$1]+=$2*$2; sxy[$1]+=$2*$3 }
  END { for (c in n) { b=(n[c]*sxy[c]-sx[c]*sy[c])/(n[c]*sxx[c]-sx[c]*sx[c]); a=(sy[c]-b*sx[c])/n[c];
        printf "fit %s: usec = %.3f + %.4f x K\n", c, a, b } }' | sort >&2
