#!/bin/sh
# The watchdog (docs/scripting.md, "Limits"): a call into Lua stuck in a C function, where the
# instruction and time limits cannot reach it, is ended with the process once it runs past its
# time limit by the margin (the limit itself, at least 2 s), with exit status 4 and a message;
# the command's transaction never commits, so the workspace file is byte for byte as before.
# The stuck C function is spin_in_c(), which only the test binary acvtrack-test-hooks has
# (tests/e2e/lib/test_hooks.c).
set -eu
. "$(dirname "$0")/lib/assert.sh"
: "${ACVTRACK_TEST_HOOKS:?set ACVTRACK_TEST_HOOKS to the built acvtrack-test-hooks}"

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" "$ACV_SOURCE/plugins" fw/
mv fw/scripts/scoring.lua fw/scripts/real_scoring.lua
cat >fw/scripts/scoring.lua <<'LUA'
local real = require("real_scoring")
local M = {}
for k, v in pairs(real) do M[k] = v end
function M.area(input)
  local r = real.area(input)
  if input.area.code == "demo_capital_metro" then spin_in_c() end
  return r
end
return M
LUA
ok -q --framework fw init
ok -q --framework fw areas import "$SAMPLE/areas.csv"
ok -q --framework fw import "$SAMPLE/observations.csv"
# a first run is stored, so the workspace has runs to lose
ok -q --framework fw score --area demo_secondary_city --year 2025
cp acvtrack.db before.db

# the production binary has no such function: the script fails at once
run --framework fw score --area demo_capital_metro --year 2025
expect_rc 4
case "$ERR" in
  "acvtrack: scripts/scoring.lua:6: undeclared global 'spin_in_c'"*) ;;
  *) fail "acvtrack knows spin_in_c: $ERR" ;;
esac

# time limit 1 s, margin 2 s: ended about 3 s after the call started (0.1 s polling), far
# inside the 60 s timeout
start=$(date +%s)
set +e
ACVTRACK_TIME_LIMIT=1 timeout -s KILL 60 "$ACVTRACK_TEST_HOOKS" --framework fw score \
  --area demo_capital_metro --year 2025 >out.txt 2>err.txt
RC=$?
set -e
elapsed=$(($(date +%s) - start))
[ "$RC" -ne 137 ] || fail "the watchdog did not end the stuck call within 60 s"
expect_equal "exit status" "$RC" 4
expect_equal "stderr" "$(cat err.txt)" \
  "acvtrack: script stopped by the watchdog: a call into Lua ran 2 s past its time limit of 1 s inside a C function; the process ends and nothing was saved"
[ "$elapsed" -ge 2 ] && [ "$elapsed" -le 10 ] || fail "ended after $elapsed s, expected about 3"
cmp -s acvtrack.db before.db || fail "the workspace file changed"
# and a later command sees the workspace as it was: no run of demo_capital_metro
run --framework fw report --area demo_capital_metro --year 2025
expect_rc 3
expect_err "acvtrack: no scoring run for demo_capital_metro in 2025; run 'acvtrack score --area demo_capital_metro --year 2025' first"
ok --framework fw report --area demo_secondary_city --year 2025

echo "watchdog: ok"
