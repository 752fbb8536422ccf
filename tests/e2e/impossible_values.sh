#!/bin/sh
# Values outside an indicator's physical range (indicators/validation/ranges.yml, the range rules
# marked physical: percentages 0-100, counts and rates not below 0) are refused by every import,
# a dry run included, without --strict; the other validation rules only warn (the count and the
# first few), and --strict still refuses a file that breaks one of high importance.
set -eu
. "$(dirname "$0")/lib/assert.sh"

ok -q init
ok -q areas import "$SAMPLE/areas.csv"

# PM2.5 (SC.ENV.1, µg/m³) of -5: a concentration is never negative
printf 'area,indicator,period,value\ndemo_coastal_town,SC.ENV.1,2024,-5\n' >pm.csv
run import --dry-run pm.csv
expect_rc 3
expect_out ""
expect_err "acvtrack: pm.csv:2: column 'value': '-5' is impossible for SC.ENV.1, whose values are 0 or more (range rule 'not-negative')
acvtrack: nothing was imported"

# internet use (CN.DIG.1, %) of 140 in a wide file: the year column is named
printf 'area,indicator,2024,2025\ndemo_coastal_town,CN.DIG.1,70,140\n' >net.csv
run import net.csv
expect_rc 3
expect_err "acvtrack: net.csv:2: column '2025': '140' is impossible for CN.DIG.1, whose values are from 0 to 100 (range rule 'percent-0-100')
acvtrack: nothing was imported"
ok imports
expect_out "no imports yet"

# with --rejects the impossible lines go to the rejects file and the rest is imported
printf 'area,indicator,period,value\ndemo_coastal_town,CN.DIG.1,2023,30\ndemo_coastal_town,SC.ENV.1,2024,-5\ndemo_coastal_town,CN.DIG.1,2024,140\n' >mixed.csv
ok import mixed.csv --rejects bad.csv
expect_out "mixed.csv: import 1: 1 observations: 1 new, 0 revised, 0 unchanged
mixed.csv: 3 lines: 1 imported, 2 rejected (written to bad.csv)"
tr -d '\r' <bad.csv >bad.txt # the rejects file is RFC 4180 CSV: CRLF line ends
expect_line bad.txt "3,\"column 'value': '-5' is impossible for SC.ENV.1, whose values are 0 or more (range rule 'not-negative')\",demo_coastal_town,SC.ENV.1,2024,-5"
expect_line bad.txt "4,\"column 'value': '140' is impossible for CN.DIG.1, whose values are from 0 to 100 (range rule 'percent-0-100')\",demo_coastal_town,CN.DIG.1,2024,140"

# possible but suspicious: internet use from 30% to 60% in a year is a jump of +100% (30 points),
# beyond percentage-jump's 50% and 5 points (low importance); the import goes ahead and warns,
# with the count and the violation
printf 'area,indicator,period,value\ndemo_coastal_town,CN.DIG.1,2024,60\n' >jump.csv
ok import jump.csv
expect_out "jump.csv: import 2: 1 observations: 1 new, 0 revised, 0 unchanged"
printf '%s\n' "$ERR" >warn.txt
expect_equal "warning lines" "$(wc -l <warn.txt)" "3"
expect_equal "warning count" "$(sed -n 1p warn.txt)" "acvtrack: warning: jump.csv breaks validation rules 1 time (0 high, 0 medium, 1 low importance):"
case "$(sed -n 2p warn.txt)" in
  "low     demo_coastal_town"*"2024"*"percentage-jump: CN.DIG.1 changed from 30 in 2023 to 60 in 2024 (+100%; the rule allows 50%) (jump.csv:2)") ;;
  *) fail "the violation line is $(sed -n 2p warn.txt)" ;;
esac
expect_equal "warning hint" "$(sed -n 3p warn.txt)" "acvtrack: 'acvtrack validate' lists them all; --strict refuses a file that breaks a rule of high importance"
