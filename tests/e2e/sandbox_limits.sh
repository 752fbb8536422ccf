#!/bin/sh
# Hostile scripts against the sandbox's limits, through the built binary (docs/scripting.md,
# "Limits"): C library functions that used to loop for months (table.move/insert/remove with a
# huge __len, backtracking patterns), the engine's own loop over a result's reasons, the memory
# limit caught by pcall, print, and a plugin's output sink. Each case runs under `timeout`, and
# asserts the message, the exit status, and that the workspace file is byte for byte unchanged
# (no run stored, nothing imported) or that no file was written.
set -eu
. "$(dirname "$0")/lib/assert.sh"

# a case that hangs fails here after 60 s instead of holding the suite
run_t() {
  LAST="acvtrack $*"
  set +e
  timeout -s KILL 60 "$ACVTRACK" "$@" >"$ACV_TMP/.out" 2>"$ACV_TMP/.err"
  RC=$?
  set -e
  OUT=$(cat "$ACV_TMP/.out")
  ERR=$(cat "$ACV_TMP/.err")
  [ "$RC" -ne 137 ] || fail "'$LAST' was still running after 60 s"
}

# expect_err_start TEXT: stderr starts with TEXT (a Lua traceback follows)
expect_err_start() {
  case "$ERR" in
    "$1"*) ;;
    *) fail "'$LAST' printed on stderr
$ERR
expected it to start with
$1" ;;
  esac
}

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" "$ACV_SOURCE/plugins" fw/
mv fw/scripts/scoring.lua fw/scripts/real_scoring.lua
ok -q --framework fw init
ok -q --framework fw areas import "$SAMPLE/areas.csv"
ok -q --framework fw import "$SAMPLE/observations.csv"
ok -q --framework fw assess import "$SAMPLE/assessment-demo_capital_metro.yml"
cp acvtrack.db before.db

# hostile BODY: scoring.lua runs BODY (Lua, with `input` and `r`, the real results) before it
# returns r
hostile() {
  cat >fw/scripts/scoring.lua <<LUA
local real = require("real_scoring")
local M = {}
for k, v in pairs(real) do M[k] = v end
function M.area(input)
  local r = real.area(input)
$1
  return r
end
return M
LUA
}

# score_fails MESSAGE: scoring fails with exit 4 and MESSAGE, and the workspace is unchanged
score_fails() {
  run_t --framework fw score --area demo_capital_metro --year 2025
  expect_rc 4
  expect_err_start "$1"
  cmp -s acvtrack.db before.db || fail "'$LAST' changed the workspace"
}

# C library loops charge their elements against the instruction limit (200 million): each of
# these asks for 2^50 element moves and stops before the first one
limit="script stopped: instruction limit of 200000000 reached"
hostile '  table.move({}, 1, 1 << 50, 1, {})'
score_fails "acvtrack: scripts/scoring.lua:6: $limit"
hostile '  table.insert(setmetatable({}, {__len = function() return 1 << 50 end}), 1, "x")'
score_fails "acvtrack: scripts/scoring.lua:6: $limit"
hostile '  table.remove(setmetatable({}, {__len = function() return 1 << 50 end}), 1)'
score_fails "acvtrack: scripts/scoring.lua:6: $limit"
# sort reads the length itself, so a table with a __len (which could answer differently the
# second time) is refused
hostile '  table.sort(setmetatable({}, {__len = function() return 2^31 - 1 end, __index = tostring}))'
score_fails "acvtrack: scripts/scoring.lua:6: table.sort: a table with a __len metamethod cannot be sorted"

# backtracking patterns are refused before they run: "a*a*a*a*b" on 4,096 "a" bounds at
# (4096+1) starts × (4096+1)^4 runs = 1.2e18 steps (+ 4096) > 1.5e8, printed as 1.2e+18
hostile '  string.find(string.rep("a", 4096), "a*a*a*a*b")'
score_fails "acvtrack: scripts/scoring.lua:6: pattern 'a*a*a*a*b' on a string of 4096 bytes could take up to 1.2e+18 matching steps (the limit is 150000000)"
# "a*b" on 256 KiB: (262144+1)^2 + 262144 = 6.9e10
hostile '  string.find(string.rep("a", 262144), "a*b")'
score_fails "acvtrack: scripts/scoring.lua:6: pattern 'a*b' on a string of 262144 bytes could take up to 6.9e+10 matching steps (the limit is 150000000)"
# while everyday patterns on the same string run: a line split of 256 KiB (1,024 lines)
hostile '  local n = 0
  for _ in (string.rep(string.rep("a", 255) .. "\n", 1024)):gmatch("(.-)\n") do n = n + 1 end
  assert(n == 1024, n)
  assert((" x "):rep(1000):match("^%s*(.-)%s*$"):len() == 2998)
  error("patterns ok", 0)'
score_fails "acvtrack: patterns ok"

# the engine reads a priority's reasons raw, up to the first nil: a __len of math.maxinteger once
# spun for ever in the results reader; now the run is stored with the one real reason
hostile '  assert(r.priorities and r.priorities[1], "the sample has a priority")
  r.priorities[1].reasons = setmetatable({"the one reason"},
    {__len = function() return math.maxinteger end})'
run_t --framework fw score --area demo_capital_metro --year 2025
expect_rc 0
ok --framework fw report --area demo_capital_metro --format json -o report.json
grep -q '"the one reason"' report.json || fail "report.json lacks the reason"
cp before.db acvtrack.db

# the memory limit cannot be caught: the script is stopped at its first instruction after the
# pcall, the command fails and no run is stored
hostile '  local ok = pcall(function() local s = "x" while true do s = s .. s end end)
  r.caught = ok'
score_fails "acvtrack: scripts/scoring.lua:7: script stopped: memory limit of 64 MiB reached"
rm -f acvtrack.db-wal acvtrack.db-shm

# print: at most 1,000 lines, each cut at 4,096 bytes, so at most 1000 × (4096 + 6) bytes
# ("lua: " and the newline) and the line that says the rest was dropped (53 bytes)
hostile '  local cells = {}
  for i = 1, 20 do cells[i] = string.rep("y", 4096) end
  for i = 1, 1500 do print(table.unpack(cells)) end'
run_t --framework fw score --area demo_capital_metro --year 2025
expect_rc 0
bytes=$(wc -c <"$ACV_TMP/.err")
lines=$(grep -c '^lua: ' "$ACV_TMP/.err")
expect_equal "print lines" "$lines" 1001
[ "$bytes" -le $((1000 * 4102 + 53 + 200)) ] || fail "print wrote $bytes bytes to stderr"
cp before.db acvtrack.db

# a plugin's output is capped at 256 MiB (268435456 bytes) whatever it calls: an importer's
# out:observation strings count, and nothing is imported
cat >fw/plugins/hoarder.lua <<'LUA'
return {
  api = 1, name = "hoarder", version = "0.1.0", kind = "importer",
  description = "emits 16 MiB area codes",
  import = function(ctx)
    local big = string.rep("x", 16 * 2^20)
    for i = 1, 1000000 do
      ctx.out:observation{area = big, indicator = "x", period = "2024", value = i}
    end
  end,
}
LUA
printf 'anything\n' >in.csv
run_t --framework fw import --format hoarder in.csv
expect_rc 4
expect_err_start "acvtrack: plugin 'hoarder' (plugins/hoarder.lua) failed; nothing was written: plugins/hoarder.lua:7: plugin output exceeds 268435456 bytes"
cmp -s acvtrack.db before.db || fail "a failed import changed the workspace"

# f:csv reserves the most a record can take before appending it: 64 cells of 16 MiB are refused
# at once, and no file is written
cat >fw/plugins/widerow.lua <<'LUA'
return {
  api = 1, name = "widerow", version = "0.1.0", kind = "exporter",
  description = "one row of 64 cells of 16 MiB",
  export = function(ctx)
    local big, row = string.rep("x", 16 * 2^20), {}
    for i = 1, 64 do row[i] = big end
    ctx.out:file("wide.csv"):csv(row)
  end,
}
LUA
run_t --framework fw export --format widerow -o wide.csv
expect_rc 4
expect_err_start "acvtrack: plugin 'widerow' (plugins/widerow.lua) failed; nothing was written: plugins/widerow.lua:7: plugin output exceeds 268435456 bytes"
[ ! -e wide.csv ] || fail "a failed export wrote wide.csv"

echo "sandbox_limits: ok"
