#!/usr/bin/env bash
# CI's install check of the Debian package (issue 20): unpack build/cachelab_*.deb into a scratch root (as
# dpkg --install would lay it out, without touching the system), check its contents and declared dependencies, and
# run the packaged `cachelab` on the packaged flagship from a scratch working directory: it must write its run
# under ./results there. Usage: tests/package/check_deb.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
deb=$(ls "$build"/cachelab_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "check_deb: no $build/cachelab_*.deb (run make package)" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "check_deb: $deb: $*" >&2; exit 1; }

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libhiredis libzstd libstdc++6 libqt6charts6; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib (found: $depends)"
done
dpkg-deb -x "$deb" "$scratch/root"
for f in usr/bin/cachelab usr/bin/cachelab-live usr/bin/cachelab-gui usr/lib/cachelab/libcachelab_sim.so \
         usr/share/cachelab/scenarios/flash-sale.json usr/share/cachelab/scenarios/lessons \
         usr/share/doc/cachelab/README.md usr/share/doc/cachelab/results/README.md; do
  [ -e "$scratch/root/$f" ] || fail "missing /$f"
done
# The binaries find their library through RUNPATH inside the package, never through the build tree.
# (ldd's output is captured first: with pipefail, `ldd | grep -q` fails when grep stops reading early.)
linked=$(ldd "$scratch/root/usr/bin/cachelab")
grep -q "libcachelab_sim.so => $scratch/root/usr/bin/../lib/cachelab/" <<<"$linked" ||
  fail "cachelab does not load the packaged libcachelab_sim.so: $(grep cachelab <<<"$linked")"
mkdir "$scratch/work"
(cd "$scratch/work" && "$scratch/root/usr/bin/cachelab" run "$scratch/root/usr/share/cachelab/scenarios/flash-sale.json" \
   >"$scratch/run.out" 2>&1) || { cat "$scratch/run.out"; fail "cachelab run on the packaged flagship failed"; }
summary=$(ls "$scratch"/work/results/flash-sale/*-sim/summary.json 2>/dev/null | head -n 1)
[ -n "$summary" ] || fail "the run wrote no results/flash-sale/<run>/summary.json in the working directory"
grep -q '"hit_ratio"' "$summary" || fail "$summary has no hit_ratio"
"$scratch/root/usr/bin/cachelab-live" --help >/dev/null || fail "cachelab-live --help failed"
# The packaged lessons are found from the installed binary, from any working directory.
lessons=$(cd "$scratch/work" && "$scratch/root/usr/bin/cachelab" lesson list 2>&1) || fail "cachelab lesson list failed: $lessons"
count=$(sed -n 's/^\([0-9][0-9]*\) lessons and challenges.*/\1/p' <<<"$lessons")
[ "${count:-0}" -ge 20 ] || fail "cachelab lesson list shows ${count:-no} lessons and challenges (20 lessons and 6 challenges are packaged): $lessons"
echo "check_deb: $(basename "$deb") ok ($(dpkg-deb -c "$deb" | wc -l) entries; Depends: $depends)"
