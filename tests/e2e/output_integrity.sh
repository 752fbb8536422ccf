#!/bin/sh
# What leaves the engine stays well formed whatever the data says, through the built binary:
# report.json is valid UTF-8 when a script's note is not (docs/report-json.md), ±1e308 is refused
# on import and charts stay finite when a range rule allows extremes (docs/data.md), one huge CSV
# record is refused while it is read, and Markdown from the report and the VLR plugin carries no
# link, image or raw HTML from user text.
set -eu
. "$(dirname "$0")/lib/assert.sh"

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" "$ACV_SOURCE/plugins" fw/
ok -q --framework fw init
ok -q --framework fw areas import "$SAMPLE/areas.csv"
ok -q --framework fw import "$SAMPLE/observations.csv"

# ---- ±1e308 on import: beyond the 1e15 limit, refused with the limit in the message -----------
# SC.ENV.1 (µg/m³) has a physical minimum of 0 and no maximum, so 1e308 meets the magnitude limit
printf 'area,indicator,period,value\ndemo_coastal_town,SC.ENV.1,2024,1e308\n' >huge.csv
run --framework fw import huge.csv
expect_rc 3
expect_err "acvtrack: huge.csv:2: column 'value': '1e308' is beyond the limit of 1e+15 in magnitude (a range rule for SC.ENV.1 may declare larger values)
acvtrack: nothing was imported"
# and -1e308 meets the physical minimum first
printf 'area,indicator,period,value\ndemo_coastal_town,SC.ENV.1,2024,-1e308\n' >tiny.csv
run --framework fw import tiny.csv
expect_rc 3
expect_err "acvtrack: tiny.csv:2: column 'value': '-1e308' is impossible for SC.ENV.1, whose values are 0 or more (range rule 'not-negative')
acvtrack: nothing was imported"
# the limit itself is a value like any other
printf 'area,indicator,period,value\ndemo_coastal_town,SC.ENV.1,2023,1e15\n' >limit.csv
ok -q --framework fw import limit.csv --dry-run

# ---- one CSV record over 16 MiB is refused while it is read ---------------------------------
# 17 columns of 1,000,000 bytes pass 16,777,216 bytes in the 17th (each column is under the
# 1 MiB column limit, so only the record limit can refuse it)
{
  printf 'area,indicator,period,value\n'
  i=0
  while [ $i -lt 17 ]; do
    head -c 1000000 /dev/zero | tr '\0' 'x'
    printf ','
    i=$((i + 1))
  done
  printf 'x\n'
} >wide.csv
run --framework fw import wide.csv
expect_rc 3
expect_err "acvtrack: wide.csv:2: a record longer than 16777216 bytes
acvtrack: nothing was imported"
# a line one column wider than the header is still rejected with its count (its extra column is
# counted, not kept)
printf 'area,indicator,period,value\ndemo_coastal_town,SC.ENV.1,2024,20,extra\n' >five.csv
run --framework fw import five.csv
expect_rc 3
expect_err "acvtrack: five.csv:2: 5 columns, but the header has 4
acvtrack: nothing was imported"

# ---- charts stay finite when a range rule allows extremes -----------------------------------
# a physical range up to 1.7e308 for SC.ENV.1 lets the extremes in; the HTML chart's coordinates
# must stay numbers and its labels short
cat >>fw/indicators/validation/ranges.yml <<'YAML'
  - id: huge-pm
    kind: range
    description: A test rule that allows extreme values
    indicators: [SC.ENV.1]
    min: 0
    max: 1.7e308
    importance: low
    physical: true
YAML
printf 'area,indicator,period,value\ndemo_coastal_town,SC.ENV.1,2023,1e308\ndemo_coastal_town,SC.ENV.1,2024,0\n' >extreme.csv
ok -q --framework fw import extreme.csv
ok -q --framework fw score --area demo_coastal_town --year 2025
ok -q --framework fw report --area demo_coastal_town --year 2025 --format html -o extreme.html
if grep -Eq '="[^"]*(nan|inf)' extreme.html; then
  fail "an SVG attribute of extreme.html is not a number: $(grep -Eo '="[^"]*(nan|inf)[^"]*"' extreme.html | head -3)"
fi
if grep -Eq '[0-9,]{40}' extreme.html; then
  fail "extreme.html has a number of 40 or more characters"
fi
# 1e308 as people read it: "%.3g"
grep -q '1e+308' extreme.html || fail "extreme.html does not show 1e308 as 1e+308"
ok -q --framework fw report --area demo_coastal_town --year 2025 -o extreme.md
if grep -Eq '[0-9]{40}' extreme.md; then
  fail "extreme.md has a number of 40 or more digits"
fi

# ---- report.json is valid UTF-8 when a script's note is not -----------------------------------
# the scoring script gives SC.ENV.1 a note with a Latin-1 é (E9) and a stray byte (FF): each
# becomes U+FFFD (EF BF BD) in the JSON
mv fw/scripts/scoring.lua fw/scripts/real_scoring.lua
cat >fw/scripts/scoring.lua <<'LUA'
local real = require("real_scoring")
local M = {}
for k, v in pairs(real) do M[k] = v end
function M.area(input)
  local r = real.area(input)
  r.indicators["SC.ENV.1"].note = "caf\xE9 \xFF note"
  return r
end
return M
LUA
ok -q --framework fw score --area demo_coastal_town --year 2025
ok -q --framework fw report --area demo_coastal_town --year 2025 --format json -o report.json
iconv -f UTF-8 -t UTF-8 report.json >/dev/null 2>&1 || fail "report.json is not valid UTF-8"
grep -q "$(printf 'caf\357\277\275 \357\277\275 note')" report.json ||
  fail "report.json does not have the note with U+FFFD for each bad byte"
# the other formats repair the note the same way
for fmt in md html csv; do
  ok -q --framework fw report --area demo_coastal_town --year 2025 -o "report.$fmt"
  iconv -f UTF-8 -t UTF-8 "report.$fmt" >/dev/null 2>&1 || fail "report.$fmt is not valid UTF-8"
  grep -q "$(printf 'caf\357\277\275 \357\277\275 note')" "report.$fmt" ||
    fail "report.$fmt does not have the note with U+FFFD for each bad byte"
done
mv fw/scripts/real_scoring.lua fw/scripts/scoring.lua

# ---- Markdown from user text: no link, image or raw HTML ------------------------------------
NAME='Town <script>x</script> [x](https://e.invalid) ![](https://tracker.invalid/p.gif)'
printf 'code,name,level,parent,country,population,population_year,source\nzz_town,"%s",city,DEMO,DEMO,1000,2025,test\n' "$NAME" >town.csv
ok -q --framework fw areas import town.csv
printf 'area,indicator,period,value\nzz_town,SC.ENV.1,2020,20\nzz_town,SC.ENV.1,2024,18\n' >town-obs.csv
ok -q --framework fw import town-obs.csv
ok -q --framework fw score --area zz_town --year 2025
ok -q --framework fw report --area zz_town --year 2025 -o town.md
ESCAPED='Town &lt;script>x&lt;/script> \[x\](https://e.invalid) \!\[\](https://tracker.invalid/p.gif)'
grep -qF "$ESCAPED" town.md || fail "town.md does not escape the area name: $(grep -F 'Town' town.md | head -2)"
# the VLR draft: the same escapes in its Markdown, and plain escaped text in its HTML
ok -q --framework fw export --format vlr --area zz_town --opt html=yes -o vlr
grep -qF "# Voluntary Local Review 2025: $ESCAPED" vlr/vlr.md ||
  fail "vlr.md does not escape the area name: $(grep -F 'Voluntary Local Review 2025' vlr/vlr.md)"
if grep -qF '<script>' vlr/vlr.md vlr/vlr.html; then
  fail "the VLR draft passes raw HTML from the area name"
fi
grep -qF '<h1>Voluntary Local Review 2025: Town &lt;script&gt;x&lt;/script&gt; [x](https://e.invalid) ![](https://tracker.invalid/p.gif)</h1>' vlr/vlr.html ||
  fail "vlr.html does not show the area name as text: $(grep -F '<h1>' vlr/vlr.html)"

# ---- the plugin CSV sink defuses the full-width formula characters too ----------------------
# ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20) start a formula in spreadsheets that fold them to
# ASCII: each cell starting with one gets the apostrophe; one in the middle of a cell stays as is
cp "$ACV_SOURCE/tests/fixtures/plugins/formula-cells.lua" fw/plugins/
ok -q --framework fw export --format formula-cells --area demo_coastal_town -o cells
expect_line cells/cells.csv "$(printf "'\357\274\2351+1,'\357\274\2131,'\357\274\2151,'\357\274\240x,a\357\274\2351\r")"
