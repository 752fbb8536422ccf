#!/bin/sh
# `acvtrack template`: the blank observations file of an area in the wide layout. The CSV, filled,
# imports as it is; the xlsx workbook holds the same table (sheet Observations), the indicators'
# names, units and targets (sheet Indicators) and how to import it.
set -eu
LIB="$(cd "$(dirname "$0")" && pwd)/lib"
. "$LIB/assert.sh"
. "$LIB/xlsx.sh"

FIX="$ACV_SOURCE/tests/fixtures/xlsx"
ok -q init
ok -q areas import "$FIX/areas.csv"

# the CSV: a byte order mark, the header with the five years up to 2025, a row per indicator of
# the starter framework (86) with the area and the indicator filled and 7 empty cells
ok template --area xl_b --year 2025 -o t.csv
expect_err "acvtrack: template written to t.csv"
tr -d '\r' <t.csv >t.txt
expect_equal "header" "$(head -1 t.txt)" "$(printf '\357\273\277')area,indicator,2021,2022,2023,2024,2025,source,comment"
expect_equal "rows" "$(wc -l <t.txt)" 87
expect_equal "first row" "$(sed -n 2p t.txt)" "xl_b,PS.DRR.1,,,,,,,"
expect_equal "CRLF records" "$(grep -c "$(printf '\r')\$" t.csv)" 87
# the same as on standard output; without --year the last column is this year
ok template --area xl_b --year 2025 --format csv
expect_equal "standard output" "$OUT" "$(cat t.csv)"
ok template --area xl_b
this_year=$(date -u +%Y)
expect_equal "default years" "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r' | cut -d, -f3,7)" \
  "$((this_year - 4)),$this_year"

# filled in: two values of PS.DRR.1 and their source; the other rows stay blank (no data)
sed 's/^xl_b,PS\.DRR\.1,,,,,,,/xl_b,PS.DRR.1,,,1.5,0.75,,city DRR office,/' t.csv >filled.csv
ok import filled.csv
expect_out "filled.csv: import 1 (wide layout): 2 observations: 2 new, 0 revised, 0 unchanged"
ok history --area xl_b --indicator PS.DRR.1
printf '%s\n' "$OUT" | awk 'NR > 2 { print $1, $2, $6 }' >drr1.txt
printf '2023 1.5 filled.csv:2\n2024 0.75 filled.csv:2\n' >drr1.expected
cmp -s drr1.txt drr1.expected || fail "PS.DRR.1 stored as $(cat drr1.txt)"
case "$OUT" in *"city DRR office"*) ;; *) fail "the source was not kept: $OUT" ;; esac

# the workbook: the same table, frozen header, the year columns named by their year
ok -q template --area xl_b --year 2025 -o t.xlsx
expect_equal "template sheets" "$(xlsx_sheets t.xlsx | tr '\n' '|')" "Observations|Indicators|How to import|"
expect_frozen_header t.xlsx Observations
expect_frozen_header t.xlsx Indicators
expect_cell t.xlsx Observations A1 "s:area"
expect_cell t.xlsx Observations C1 "s:2021"
expect_cell t.xlsx Observations G1 "s:2025"
expect_cell t.xlsx Observations H1 "s:source"
expect_cell t.xlsx Observations I1 "s:comment"
expect_cell t.xlsx Observations A2 "s:xl_b"
expect_cell t.xlsx Observations B2 "s:PS.DRR.1"
expect_cell t.xlsx Observations C2 "none"
last=$(tail -1 t.txt | cut -d, -f2)
expect_cell t.xlsx Observations B87 "s:$last"
expect_cell t.xlsx Observations A88 "none"
# the indicators: PS.DRR.6 is the sixth, a core indicator in %, lower is better, 2030 target
# -25% vs 2019 (indicators/political-security.yml)
expect_cell t.xlsx Indicators A7 "s:PS.DRR.6"
expect_cell t.xlsx Indicators B7 "s:Share of population living in high-hazard zones"
expect_cell t.xlsx Indicators C7 "s:%"
expect_cell t.xlsx Indicators D7 "b:1"
expect_cell t.xlsx Indicators E7 "s:lower"
expect_cell t.xlsx Indicators F7 "s:-25% vs 2019"
case "$(xlsx_cell t.xlsx "How to import" A4)" in
  "s:3. Save the sheet Observations as CSV UTF-8"*) ;;
  *) fail "How to import A4: $(xlsx_cell t.xlsx "How to import" A4)" ;;
esac

# errors: no area, an unknown one, an unknown format; nothing written
run template
expect_rc 2
run template --area nowhere -o none.csv
expect_rc 3
expect_err "acvtrack: unknown area 'nowhere' (see 'acvtrack areas list'; add it with 'acvtrack areas import')"
[ ! -e none.csv ] || fail "a failed template wrote none.csv"
run template --area xl_b --format ods
expect_rc 2
expect_err "acvtrack: --format 'ods' is not csv or xlsx
Try 'acvtrack template --help'."

echo "template: ok"
