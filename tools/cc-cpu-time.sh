#!/bin/bash
# A compiler launcher that appends each compile's CPU time to a log (issue 20: compile time is measured in CPU seconds,
# which another build sharing the machine does not inflate the way it inflates wall time):
#   cmake ... -DCMAKE_CXX_COMPILER_LAUNCHER=$PWD/tools/cc-cpu-time.sh
#   CC_CPU_LOG=/tmp/cpu.log ninja -C BUILD TARGET && awk '{s += $1 + $2} END {print s}' /tmp/cpu.log
# Each line: user seconds, system seconds, wall seconds, the object written.
out=""
prev=""
for a in "$@"; do
  [ "$prev" = "-o" ] && out="$a"
  prev="$a"
done
exec /usr/bin/time -a -o "${CC_CPU_LOG:-/tmp/cc-cpu-time.log}" -f "%U %S %e $out" "$@"
