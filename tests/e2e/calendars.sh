#!/bin/sh
# A Thai city imports a Buddhist Era, fiscal-year budget file (docs/calendars.md): the years are
# stored as CE years, Thai fiscal year 2567 (October 2023 - September 2024) as 2024; an area's own
# calendar from the areas file; a fiscal year of a calendar-year indicator refused; the Myanmar
# Era; the calendars not verified refused.
set -eu
. "$(dirname "$0")/lib/assert.sh"

FIX="$ACV_SOURCE/tests/fixtures/calendars"
ok -q init

# read as CE years, BE years are refused with a hint, and nothing is imported
run import "$FIX/th-budget.csv"
expect_rc 3
expect_err "acvtrack: $FIX/th-budget.csv:2: column '2565': '2565' is not a year like 2025 (1900-2100); a Buddhist Era year? import with --calendar be-th, or give the area calendar be-th in the areas file
acvtrack: nothing was imported"

# BE 2565 = 2022, 2566 = 2023; FY2567 (Thailand labels by the end year) = Oct 2023 - Sep 2024,
# nine of its twelve months in 2024: stored as 2024
ok import --calendar be-th "$FIX/th-budget.csv"
expect_out "$FIX/th-budget.csv: import 1 (wide layout): 3 observations: 3 new, 0 revised, 0 unchanged"
ok history --area TH-BKK --indicator EC.FIN.1
echo "$OUT" | awk 'NR > 2 { print $1, $2 }' >periods.txt
expect_equal "stored periods" "$(cat periods.txt)" "2022 40
2023 42.5
2024 44"

# a report names the year in the Thai calendar too
ok -q score --area TH-BKK --year 2024
ok report --area TH-BKK --year 2024 --calendar be-th
echo "$OUT" >report.md
expect_line report.md "| Year | 2024 (BE 2567) |"
ok report --area TH-BKK --year 2024
echo "$OUT" >report-ce.md
expect_line report-ce.md "| Year | 2024 |"
run report --area TH-BKK --calendar be-kh
expect_rc 2

# the area's own calendar (areas file column 'calendar'): no option needed
ok areas import "$FIX/areas.csv"
ok import "$FIX/th-long.csv"
expect_out "$FIX/th-long.csv: import 2: 4 observations: 4 new, 0 revised, 0 unchanged"
for pair in "EC.FIN.2 2024 21" "EC.FIN.3 2023 77" "EC.FIN.4 2023 12" "SC.EDU.1 2023 64"; do
  set -- $pair
  ok history --area TH-EX --indicator "$1"
  expect_equal "$1 stored as" "$(echo "$OUT" | awk 'NR == 3 { print $1, $2 }')" "$2 $3"
done

# a fiscal year of an indicator measured per calendar year is refused, naming its months
printf 'area,indicator,period,value\nTH-EX,SC.EDU.1,FY2567,60\n' >fy-calendar.csv
run import fy-calendar.csv
expect_rc 3
expect_err "acvtrack: fy-calendar.csv:2: column 'period': 'FY2567' is the fiscal year Oct 2023 to Sep 2024, but SC.EDU.1 is measured per calendar year (an indicator measured per fiscal year declares 'year: fiscal' in the framework)
acvtrack: nothing was imported"

# the Myanmar Era: ME 1385 began in April 2023 and is scored as 2023; Myanmar's fiscal year
# 2023-24 (April-March) too; the October 2021 - March 2022 transition is no fiscal year
printf 'area,indicator,period,value\nMM-YGN,SC.EDU.1,1385,55\nMM-YGN,EC.FIN.2,FY1385-86,30\n' >mm.csv
ok import --calendar me-mm mm.csv
ok history --area MM-YGN --indicator SC.EDU.1
expect_equal "ME 1385" "$(echo "$OUT" | awk 'NR == 3 { print $1, $2 }')" "2023 55"
ok history --area MM-YGN --indicator EC.FIN.2
expect_equal "FY1385-86" "$(echo "$OUT" | awk 'NR == 3 { print $1, $2 }')" "2023 30"
printf 'area,indicator,period,value\nMM-YGN,EC.FIN.2,FY2021-22,30\n' >mm-gap.csv
run import mm-gap.csv
expect_rc 3
expect_err "acvtrack: mm-gap.csv:2: column 'period': 'FY2021-22': FY2021/22 is not a fiscal year of Myanmar under its declared rules (Apr-Mar starting 1974-04 to 2017-04; Oct-Sep starting 2018-10 to 2020-10; Apr-Mar starting 2022-04 on; a transition between rules is no fiscal year; \"FY2021\" starts in 2021)
acvtrack: nothing was imported"

# Cambodia's and Lao PDR's Buddhist Era: not verified, refused rather than guessed
run import --calendar be-kh mm.csv
expect_rc 2
case "$ERR" in
*"Cambodia's Buddhist Era is not supported"*) ;;
*) fail "be-kh: $ERR" ;;
esac
printf 'code,name,level,parent,country,calendar\nLA-EX,Example,city,LA,LA,be-la\n' >la.csv
run areas import la.csv
expect_rc 3
case "$ERR" in
"acvtrack: la.csv:2: column 'calendar': Lao PDR's Buddhist Era is not supported"*) ;;
*) fail "be-la: $ERR" ;;
esac
