#!/usr/bin/env bash
# The C++ sources follow .clang-format (issue 14 part 8: applied once, kept by this check). Lists the files that
# differ and exits 1; `tools/check-format.sh --fix` rewrites them in place.
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format-14}
command -v "$CLANG_FORMAT" >/dev/null || { echo "check-format: $CLANG_FORMAT not found (Debian package clang-format-14)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || find sim live gui tests -name '*.[ch]pp')
if [ "${1:-}" = "--fix" ]; then
  "$CLANG_FORMAT" -i --style=file "${files[@]}"
  exit 0
fi
# One process for every file; --dry-run names each file and line that differs.
if ! "$CLANG_FORMAT" --dry-run --Werror --ferror-limit=1 --style=file "${files[@]}"; then
  echo "check-format: the files above differ from .clang-format (tools/check-format.sh --fix)" >&2
  exit 1
fi
