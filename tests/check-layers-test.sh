#!/bin/sh
# Tests of tests/check-layers.sh on small made-up engines: a cycle not in the list fails and is
# printed with its include lines, a listed cycle passes, a listed cycle that is gone fails, and
# x.c/x.h/x_part.h count as one module. Then tests/check-references.sh on a made-up README.
set -eu
check="$(cd "$(dirname "$0")" && pwd)/check-layers.sh"
references="$(cd "$(dirname "$0")" && pwd)/check-references.sh"
tmp=${ACV_TMP:-${TMPDIR:-/tmp}/check-layers-test.$$}
rm -rf "$tmp"
fail() { printf 'check-layers-test: FAIL: %s\n' "$*" >&2; exit 1; }

# engine/a: x.c includes y.h; engine/b: y.c includes x_internal.h (part of module x), z.c leaf
mkdir -p "$tmp/engine/a" "$tmp/engine/b" "$tmp/tests"
printf '#include "x.h"\n#include "x_internal.h"\n' >"$tmp/engine/a/x.c"
printf '#include "y.h"\n' >"$tmp/engine/a/x.h"
printf '#include "x.h"\n' >"$tmp/engine/a/x_internal.h"
printf '#include "y.h"\n\n#include "x_internal.h"\n#include <stdio.h>\n' >"$tmp/engine/b/y.c"
: >"$tmp/engine/b/y.h"
printf '#include "y.h"\n' >"$tmp/engine/b/z.c"

: >"$tmp/tests/layers-known-cycles.txt"
set +e
out=$(sh "$check" "$tmp" 2>&1); rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a new cycle: exit $rc, expected 1: $out"
expected="NEW CYCLE: x y
    x -> y  (engine/a/x.h:1)
    y -> x  (engine/b/y.c:3)
3 modules, 3 includes between them, 1 cycle (0 known)"
[ "$out" = "$expected" ] || fail "a new cycle printed
$out
expected
$expected"

printf '# known\ny x\n' >"$tmp/tests/layers-known-cycles.txt"
out=$(sh "$check" "$tmp") || fail "a listed cycle failed: $out"
case "$out" in
  *"known cycle ($tmp/tests/layers-known-cycles.txt): x y"* | *"known cycle (tests/layers-known-cycles.txt): x y"*) ;;
  *) fail "a listed cycle printed: $out" ;;
esac

# the cycle is broken: the list entry is stale
printf '#include <stdio.h>\n' >"$tmp/engine/b/y.c"
set +e
out=$(sh "$check" "$tmp" 2>&1); rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a gone cycle: exit $rc, expected 1: $out"
case "$out" in
  *"GONE: x y is listed in tests/layers-known-cycles.txt but is no longer a cycle"*) ;;
  *) fail "a gone cycle printed: $out" ;;
esac
: >"$tmp/tests/layers-known-cycles.txt"
out=$(sh "$check" "$tmp") || fail "no cycle failed: $out"
[ "$out" = "3 modules, 2 includes between them, 0 cycles (0 known)" ] || fail "no cycle printed: $out"

# references: one missing, the rest exist, are placeholders or are not project paths
mkdir -p "$tmp/docs"
cat >"$tmp/README.md" <<'EOT'
The engine is `engine/b/y.c` (see engine/a/, and docs/gone.md).
Scripts go in `scripts/NAME.lua` or `scripts/<name>.lua`; builds in build/tests/out;
upstream's `owner/repo/docs/other.md`; every file engine/*/*.c.
EOT
set +e
out=$(sh "$references" "$tmp" 2>&1); rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a missing reference: exit $rc, expected 1: $out"
expected="README.md:1: 'docs/gone.md' does not exist
4 references checked, 1 missing"
[ "$out" = "$expected" ] || fail "a missing reference printed
$out
expected
$expected"
rm -rf "$tmp"
echo "check-layers-test: ok"
