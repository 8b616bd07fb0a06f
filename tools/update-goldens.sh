#!/usr/bin/env bash
# Rewrites the golden summaries of tests/golden/scenarios/ from fresh runs of every bundled scenario (or of the
# scenarios named on the command line) and shows what moved. Review the diff: every moved number should be
# explained by the change you made; then commit the goldens with it.
# Usage: tools/update-goldens.sh [BUILD] [scenarios/FILE.json ...]     (BUILD defaults to build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ $# -gt 0 ] && shift
check=$build/tests/cachelab_golden_check
[ -x "$check" ] || { echo "build $check first: cmake --build $build --target cachelab_golden_check" >&2; exit 2; }
if [ $# -gt 0 ]; then files=("$@"); else
  mapfile -t files < <(find scenarios -name '*.json' ! -name '*.lesson.json' ! -name '*.catalogue.json' | sort)
fi
for f in "${files[@]}"; do
  rel=${f#scenarios/}
  mkdir -p "tests/golden/scenarios/$(dirname "$rel")"
  "$check" "$f" "tests/golden/scenarios/$rel" --update
  echo "updated tests/golden/scenarios/$rel"
done
# The control-plane digests (tests/unit/control_digest_test.cpp) are regenerated with every full update.
if [ ${#files[@]} -gt 0 ] && [ -z "${CACHELAB_GOLDEN_SCENARIOS_ONLY:-}" ]; then
  CACHELAB_UPDATE_GOLDEN=1 "$build/tests/cachelab_tests" --gtest_filter='ControlDigest.*' >/dev/null
  echo "updated tests/golden/control-digests.json"
fi
git --no-pager diff --stat -- tests/golden
echo "review: git diff -- tests/golden"
