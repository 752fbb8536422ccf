#!/bin/sh
# --format xlsx for a report, a comparison and a ranking: the workbook read back (a zip of XML):
# its sheet names, frozen header rows, column widths, numbers stored as numbers with their exact
# values, missing values as empty cells (never zero), text (Thai, and XML's special characters)
# as written, the run stamp on its own sheet; the same run gives the same bytes; a failure writes
# nothing, and no temporary folder is left.
set -eu
LIB="$(cd "$(dirname "$0")" && pwd)/lib"
. "$LIB/assert.sh"
. "$LIB/xlsx.sh"

FIX="$ACV_SOURCE/tests/fixtures/xlsx"
export TMPDIR="$ACV_TMP/tmp"
mkdir "$TMPDIR"
ok -q init
ok -q areas import "$FIX/areas.csv"
ok -q import "$FIX/observations.csv"
ok -q score --area xl_a --year 2024
for area in xl_a xl_b xl_c; do ok -q score --area $area --year 2025; done

# Action area PS.DRR (6 indicators), each score the mean of three: PS.DRR.4 and PS.DRR.5 score
# their value (bounds 0-100, higher is better); PS.DRR.6 = 10% of residents in high-hazard zones
# scores (40 - 10) / 40 × 100 = 75 (worst 40, best 0). 2025:
#   xl_a (80 + 60 + 75) / 3 = 71.66666666666667; xl_b (100 + 80 + 75) / 3 = 85;
#   xl_c (50 + 50 + 75) / 3 = 58.333...
# The pillar PS has PS.DRR only, so its score is the action area's; the overall is not official
# (3 of 55 core indicators): provisional, the PS score again.

# ---- one area: xl_b (runs 1-4: xl_a 2024, then xl_a, xl_b, xl_c 2025) ----
ok report --area xl_b --year 2025 --format xlsx -o b.xlsx
expect_err "acvtrack: report written to b.xlsx"
expect_equal "report sheets" "$(xlsx_sheets b.xlsx | tr '\n' '|')" \
  "Summary|Action areas|Indicators|Priorities|Run|"
for sheet in Summary "Action areas" Indicators Priorities Run; do
  expect_frozen_header b.xlsx "$sheet"
done
# Summary: the overall row has no official score (an empty cell, not 0) and the provisional 85
expect_cell b.xlsx Summary A1 "s:level"
expect_cell b.xlsx Summary D1 "s:score"
expect_cell b.xlsx Summary A2 "s:overall"
expect_cell b.xlsx Summary D2 "none"
expect_cell b.xlsx Summary E2 "n:85"
expect_cell b.xlsx Summary F2 "s:provisional: 3 of 55 core indicators"
expect_cell b.xlsx Summary B3 "s:PS"
expect_cell b.xlsx Summary D3 "n:85"
# Action areas: PS.DRR, 3 of its 6 indicators scored
expect_cell b.xlsx "Action areas" B2 "s:PS.DRR"
expect_cell b.xlsx "Action areas" D2 "n:85"
expect_cell b.xlsx "Action areas" G2 "n:3"
expect_cell b.xlsx "Action areas" H2 "n:6"
# Indicators in the framework's order: PS.DRR.1 has no data (no value, no score: empty cells),
# PS.DRR.6 is 10 (%) scoring 75; core is a boolean
expect_cell b.xlsx Indicators A2 "s:PS.DRR.1"
expect_cell b.xlsx Indicators F2 "none"
expect_cell b.xlsx Indicators H2 "none"
expect_cell b.xlsx Indicators A7 "s:PS.DRR.6"
expect_cell b.xlsx Indicators B7 "s:PS.DRR"
expect_cell b.xlsx Indicators D7 "s:%"
expect_cell b.xlsx Indicators E7 "b:1"
expect_cell b.xlsx Indicators F7 "n:10"
expect_cell b.xlsx Indicators G7 "s:2025"
expect_cell b.xlsx Indicators H7 "n:75"
expect_cell b.xlsx Indicators L7 "b:0"
expect_cell b.xlsx Indicators A5 "s:PS.DRR.4"
expect_cell b.xlsx Indicators H5 "n:100"
# scores are shown with one decimal (number format 0.0), the cell keeping the score in full
unzip -p b.xlsx xl/styles.xml | grep -q 'formatCode="0.0"' || fail "b.xlsx: no 0.0 number format"
# column widths fit the text: the indicator names (column C) are cut at 60 characters wide, the
# column E of booleans is as wide as its header ("core", counted as at least 8) plus 2
xlsx_sheet_xml b.xlsx Indicators | grep -q '<col min="3" max="3" width="60.7109375" customWidth="1"/>' ||
  fail "b.xlsx: the Indicators name column is not 60 wide"
xlsx_sheet_xml b.xlsx Indicators | grep -q '<col min="5" max="5" width="10.7109375" customWidth="1"/>' ||
  fail "b.xlsx: the Indicators core column is not 10 wide"
# Priorities: PS.DRR first, with its priority as a number
expect_cell b.xlsx Priorities A2 "n:1"
expect_cell b.xlsx Priorities B2 "s:PS.DRR"
case "$(xlsx_cell b.xlsx Priorities D2)" in n:*) ;; *) fail "the priority is not a number" ;; esac
# the run stamp: the area, its population (a number), run 3 of 2025
expect_cell b.xlsx Run A2 "s:area"
expect_cell b.xlsx Run B2 "s:xl_b"
expect_cell b.xlsx Run B3 "s:เชียงใหม่"
expect_cell b.xlsx Run A6 "s:population"
expect_cell b.xlsx Run B6 "n:300000"
expect_cell b.xlsx Run B7 "n:2024"
expect_cell b.xlsx Run A8 "s:run"
expect_cell b.xlsx Run B8 "n:3"
expect_cell b.xlsx Run B9 "n:2025"
scored_at=$(xlsx_cell b.xlsx Run B10)
case "$scored_at" in s:20??-??-??*) ;; *) fail "scored_at is '$scored_at'" ;; esac

# the same run gives the same bytes (the workbook's time is the run's); -o FILE.xlsx alone
# chooses the format
ok -q report --area xl_b --year 2025 -o again.xlsx
cmp -s b.xlsx again.xlsx || fail "two workbooks of the same run differ"

# ---- the comparison of country XL: xl_c has no population, so the country figures count xl_a
# and xl_b: PS (100000 × 71.666... + 300000 × 85) / 400000 = 81.666...; PS.DRR.4
# (100000 × 80 + 300000 × 100) / 400000 = 95; PS.DRR.5 (100000 × 60 + 300000 × 80) / 400000 = 75
ok -q report --compare country:XL --year 2025 -o c.xlsx
expect_equal "comparison sheets" "$(xlsx_sheets c.xlsx | tr '\n' '|')" \
  "Areas|Indicators|Countries|Country indicators|Run|"
for sheet in Areas Indicators Countries "Country indicators" Run; do
  expect_frozen_header c.xlsx "$sheet"
done
expect_cell c.xlsx Areas G1 "s:PS"
expect_cell c.xlsx Areas A2 "s:xl_a"
expect_cell c.xlsx Areas B2 "s:Alpha & Sons <town>"
expect_cell c.xlsx Areas D2 "n:100000"
expect_cell c.xlsx Areas F2 "none"
expect_cell c.xlsx Areas G2 "n:71.66666666666667"
expect_cell c.xlsx Areas B3 "s:เชียงใหม่"
expect_cell c.xlsx Areas G3 "n:85"
expect_cell c.xlsx Areas D4 "none"
expect_cell c.xlsx Areas G4 "n:58.33333333333334"
expect_cell c.xlsx Countries A2 "s:XL"
expect_cell c.xlsx Countries B2 "n:2"
expect_cell c.xlsx Countries C2 "n:400000"
expect_cell c.xlsx Countries D2 "none"
expect_cell c.xlsx Countries E2 "n:81.66666666666667"
expect_cell c.xlsx Countries I1 "s:not_counted"
expect_cell c.xlsx Countries I2 "s:xl_c"
row=$(xlsx_row_of c.xlsx "Country indicators" B PS.DRR.4)
[ -n "$row" ] || fail "no PS.DRR.4 row in Country indicators"
expect_cell c.xlsx "Country indicators" "D$row" "n:95"
expect_cell c.xlsx "Country indicators" "E$row" "n:2"
expect_cell c.xlsx "Country indicators" "F$row" "n:400000"
row=$(xlsx_row_of c.xlsx "Country indicators" B PS.DRR.5)
expect_cell c.xlsx "Country indicators" "D$row" "n:75"
row=$(xlsx_row_of c.xlsx Indicators B PS.DRR.6)
expect_cell c.xlsx Indicators "A$row" "s:xl_a"
expect_cell c.xlsx Indicators "E$row" "n:10"
expect_cell c.xlsx Indicators "G$row" "n:75"
expect_cell c.xlsx Indicators "I$row" "b:0"
# a run stamp per compared area: xl_a's 2025 run is run 2
expect_cell c.xlsx Run A2 "s:xl_a"
expect_cell c.xlsx Run B2 "n:2"
expect_cell c.xlsx Run C2 "n:2025"

# ---- the ranking by PS.DRR in 2025: xl_b 85, xl_a 71.67, xl_c 58.33; in 2024 only xl_a was
# ranked (first), so its change is 1 - 2 = -1 and the others are new
ok -q rank --country XL --by action-area PS.DRR --year 2025 -o rank.xlsx
expect_equal "ranking sheets" "$(xlsx_sheets rank.xlsx | tr '\n' '|')" "Ranking|Not ranked|About|"
expect_frozen_header rank.xlsx Ranking
expect_cell rank.xlsx Ranking A2 "n:1"
expect_cell rank.xlsx Ranking B2 "b:0"
expect_cell rank.xlsx Ranking C2 "s:xl_b"
expect_cell rank.xlsx Ranking E2 "n:85"
expect_cell rank.xlsx Ranking F2 "none"
expect_cell rank.xlsx Ranking G2 "s:new"
expect_cell rank.xlsx Ranking A3 "n:2"
expect_cell rank.xlsx Ranking C3 "s:xl_a"
expect_cell rank.xlsx Ranking E3 "n:71.66666666666667"
expect_cell rank.xlsx Ranking F3 "n:1"
expect_cell rank.xlsx Ranking G3 "n:-1"
expect_cell rank.xlsx Ranking A4 "n:3"
expect_cell rank.xlsx Ranking C4 "s:xl_c"
expect_cell rank.xlsx "Not ranked" A2 "none"
expect_cell rank.xlsx About B2 "s:action area PS.DRR (Disaster resilience)"
expect_cell rank.xlsx About B5 "n:2025"
expect_cell rank.xlsx About B6 "n:2024"
expect_cell rank.xlsx About B7 "s:XL"
ok -q rank --country XL --by action-area PS.DRR --year 2025 --format xlsx -o rank-explicit.xlsx
run rank --country XL --format xls
expect_rc 2
expect_err "acvtrack: --format 'xls' is not table, csv, xlsx-csv, json or xlsx
Try 'acvtrack rank --help'."

# ---- a failure writes nothing, and keeps what was there
run report --area nowhere --format xlsx -o none.xlsx
expect_rc 3
[ ! -e none.xlsx ] || fail "a failed report wrote none.xlsx"
cp b.xlsx keep.xlsx
run report --area nowhere -o keep.xlsx
expect_rc 3
cmp -s b.xlsx keep.xlsx || fail "a failed report changed keep.xlsx"
# a --format that disagrees with the file name is refused
run report --area xl_b --format xlsx -o b.csv
expect_rc 2
[ ! -e b.csv ] || fail "a refused report wrote b.csv"

# every workbook was made in a temporary folder of its own, removed afterwards
expect_equal "left in TMPDIR" "$(ls -A "$TMPDIR")" ""

echo "xlsx_reports: ok"
