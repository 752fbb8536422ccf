#!/bin/sh
# `framework check` refuses a progress method the methods do not define (scoring.progress of the
# framework, an indicator's scoring.method), at its file:line:col, with the names the methods define
# (METHODS in scripts/methods/progress.lua: a city overlay's copy that adds a method is accepted);
# scoring refuses it too instead of silently using another method. It also compiles, without
# running, every Lua file under scripts/ and plugins/ of the framework and the overlay, and lists
# each syntax error with its file and line.
set -eu
. "$(dirname "$0")/lib/assert.sh"

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" "$ACV_SOURCE/plugins" fw/
ok --framework fw framework check
expect_out ""
KNOWN="(the methods define escap_api, escap_csi, opensdg, sdsn)"

# a mistyped method on PS.DRR.1: '    scoring: {smoothing_years: 5, method: ' is 42 characters, so
# the value is in column 43
ps=fw/indicators/political-security.yml
id=$(grep -n '^  - id: PS.DRR.1$' "$ps" | cut -d: -f1)
S=$(awk -v from="$id" 'NR > from && /^    scoring: \{smoothing_years: 5\}$/ { print NR; exit }' "$ps")
[ -n "$S" ] || fail "PS.DRR.1 has no 'scoring: {smoothing_years: 5}' line"
sed "${S}s/{smoothing_years: 5}/{smoothing_years: 5, method: escap_cs}/" "$ps" >ps.yml && mv ps.yml "$ps"
run --framework fw framework check
expect_rc 3
expect_out "indicators/political-security.yml:$S:43: unknown progress method 'escap_cs' in scoring of indicator PS.DRR.1 $KNOWN"
expect_err "1 problem in the framework at fw"
# scoring refuses it as well, instead of scoring PS.DRR.1 with another method
ok -q --framework fw init
ok -q --framework fw areas import "$SAMPLE/areas.csv"
run --framework fw score --area demo_capital_metro
expect_rc 3
expect_err "acvtrack: indicators/political-security.yml:$S:43: unknown progress method 'escap_cs' in scoring of indicator PS.DRR.1 $KNOWN"

# the framework's own scoring.progress: '  scoring: {progress: ' is 22 characters
fy=fw/indicators/framework.yml
P=$(grep -n '^  pillar_order: ' "$fy" | cut -d: -f1)
sed "${P}a\\
  scoring: {progress: sdsn_trend}" "$fy" >f.yml && mv f.yml "$fy"
P=$((P + 1))
run --framework fw framework check
expect_rc 3
expect_out "indicators/framework.yml:$P:23: unknown progress method 'sdsn_trend' in scoring of the framework $KNOWN
indicators/political-security.yml:$S:43: unknown progress method 'escap_cs' in scoring of indicator PS.DRR.1 $KNOWN"
expect_err "2 problems in the framework at fw"

# a city overlay that adds the method to its copy of progress.lua (and would dispatch it in its
# scoring.lua) makes both names known: the overlay's methods are the ones scoring would use
mkdir -p city/scripts/methods city/indicators
sed 's/^return M$/M.METHODS.escap_cs = "the city'"'"'s own method"\nM.METHODS.sdsn_trend = "SDSN trend"\nreturn M/' \
  fw/scripts/methods/progress.lua >city/scripts/methods/progress.lua
grep -q '^M.METHODS.escap_cs = ' city/scripts/methods/progress.lua || fail "the overlay adds no method"
cat >city/indicators/overlay.yml <<'YML'
overlay: {name: method city}
scoring: {progress: city_trend}
YML
run --framework fw --overlay city framework check
expect_rc 3
# 'scoring: {progress: ' is 20 characters at the overlay's top level; the framework's two names are
# known now
expect_out "city/indicators/overlay.yml:2:21: unknown progress method 'city_trend' in scoring of the overlay (the methods define escap_api, escap_cs, escap_csi, opensdg, sdsn, sdsn_trend)"
expect_err "1 problem in the framework at fw with the overlay city"
printf 'overlay: {name: method city}\n' >city/indicators/overlay.yml
run --framework fw --overlay city framework check
expect_rc 0
expect_out ""

# syntax errors in any script or plugin, of the framework and of the overlay, each at its line;
# nothing runs (the scoring of a valid framework would not start with these)
cp "$ACV_SOURCE/indicators/framework.yml" "$fy"
cp "$ACV_SOURCE/indicators/political-security.yml" "$ps"
printf 'local M = {}\nfunction M.f()\n  return 1\n\nreturn M\n' >fw/scripts/helpers/unclosed.lua
printf 'return {\n  api = 1,\n  name = "x" "y",\n}\n' >fw/plugins/broken.lua
mkdir -p fw/plugins/multi city/plugins
printf 'return {}\n' >fw/plugins/multi/init.lua
# Lua reports the end of the file on line 2, after the first line's newline
printf 'local t = {\n' >fw/plugins/multi/part.lua
printf 'error("never run")\n' >fw/scripts/helpers/runs.lua
printf 'local x = = 1\n' >city/plugins/city-export.lua
run --framework fw --overlay city framework check
expect_rc 3
expect_out "scripts/helpers/unclosed.lua:5: 'end' expected (to close 'function' at line 2) near 'return'
plugins/broken.lua:3: '}' expected (to close '{' at line 1) near '\"y\"'
plugins/multi/part.lua:2: unexpected symbol near <eof>
city/plugins/city-export.lua:1: unexpected symbol near '='"
expect_err "4 problems in the framework at fw with the overlay city"
# without the overlay, its plugin is not checked
run --framework fw framework check
expect_rc 3
expect_err "3 problems in the framework at fw"

echo "framework_check: ok"
