#!/bin/sh
# CSV written by acvtrack defuses only the text cells a spreadsheet could run as a formula
# (docs/reports.md): the report's relative targets, "-50% vs 2015-2019", keep no apostrophe, while
# a rejects file still defuses '=HYPERLINK(...)' and '-1+A1' and leaves "+2 since 2020" and a
# negative value as they are.
set -eu
. "$(dirname "$0")/lib/assert.sh"

ok -q init
ok -q areas import "$SAMPLE/areas.csv"
ok -q import "$SAMPLE/observations.csv"
ok -q score --area demo_capital_metro --year 2025
ok -q report --area demo_capital_metro --year 2025 -o report.csv
# column 6 is target_2030 (id, name, unit, value, period, target_2030)
expect_equal "PS.DRR.1 target" "$(csv_field report.csv PS.DRR.1 6)" "-50% vs 2015-2019"
expect_equal "EC.MSME.1 target" "$(csv_field report.csv EC.MSME.1 6)" "+25% vs 2019"
grep -q ",'[-+]" report.csv && fail "a signed cell of report.csv has an apostrophe"

# rejects: the unknown area of line 2 is a formula; line 3's comment can run nothing
printf 'area,indicator,period,value,comment\n"=HYPERLINK(""http://x"")",PS.DRR.1,2021,-5,-1+A1\nnowhere,PS.DRR.1,2021,-1.5,+2 since 2020\n' >in.csv
run import in.csv --rejects r.csv
expect_rc 0
printf '%s\r\n' "line,error,area,indicator,period,value,comment" \
  "2,\"column 'area': unknown area '=HYPERLINK(\"\"http://x\"\")' (see 'acvtrack areas list'; add it with 'acvtrack areas import')\",\"'=HYPERLINK(\"\"http://x\"\")\",PS.DRR.1,2021,-5,'-1+A1" \
  "3,column 'area': unknown area 'nowhere' (see 'acvtrack areas list'; add it with 'acvtrack areas import'),nowhere,PS.DRR.1,2021,-1.5,+2 since 2020" >want.csv
cmp -s r.csv want.csv || fail "r.csv is
$(cat r.csv)
expected
$(cat want.csv)"

echo "csv_defusing: ok"
