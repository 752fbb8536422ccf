#!/bin/sh
# check-references.sh — every project path that the README, docs/*.md, the engine headers and
# tests/CMakeLists.txt mention exists (`make check-layers`, ctest references.*).
#
# A path is a word starting with engine/, docs/, tests/ or scripts/ (not inside a longer path like
# build/tests/... or owner/repo/docs/...). Placeholders are skipped: a part in capitals (NAME,
# FILE), a part `x.<ext>`, `<...>` or `...`; a path with * must match at least one file.
#
# usage: tests/check-references.sh [PROJECT_DIR]
set -eu
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

missing=0
checked=0
for f in README.md docs/*.md engine/*/*.h tests/CMakeLists.txt; do
  [ -f "$f" ] || continue
  refs=$(grep -noE '(^|[^A-Za-z0-9_./-])(engine|docs|tests|scripts)/[A-Za-z0-9_./*<>-]*' "$f" |
    sed -E 's/^([0-9]+):[^a-z]?/\1 /; s/[.,:;]+$//' || true)
  [ -n "$refs" ] || continue
  while read -r line path; do
    case "$path" in
      *'<'* | *'...'* | */x.* | */[A-Z][A-Z_]*.* | */[A-Z][A-Z_]* | */[A-Z][A-Z_]*/*) continue ;;
    esac
    checked=$((checked + 1))
    case "$path" in
      *'*'*)
        # a glob: at least one match
        set -- $path
        [ -e "$1" ] && continue
        ;;
      *) [ -e "$path" ] && continue ;;
    esac
    echo "$f:$line: '$path' does not exist"
    missing=$((missing + 1))
  done <<EOT
$refs
EOT
done
echo "$checked references checked, $missing missing"
[ "$missing" -eq 0 ]
