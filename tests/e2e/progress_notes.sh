#!/bin/sh
# What the progress methods decide reaches the report: one indicator per case
# (tests/fixtures/progress-notes/, progress method opensdg unless the indicator says sdsn), scored
# for 2020 through the built binary. The classes and notes are worked out by hand below; before,
# the notes were dropped, EC.MSME.1 was "deterioration", EC.MSME.2 "deterioration" on an infinite
# growth rate and EC.MSME.3 "on_track" from its 2010 value.
set -eu
. "$(dirname "$0")/lib/assert.sh"

FIXTURES="$ACV_SOURCE/tests/fixtures/progress-notes"
mkdir fw
cp -R "$FIXTURES/indicators" "$ACV_SOURCE/scripts" fw/
acv() { ok --framework fw "$@"; }

acv init
acv areas import "$FIXTURES/areas.csv"
acv import "$FIXTURES/observations.csv"
expect_out "$FIXTURES/observations.csv: import 1 (wide layout): 12 observations: 12 new, 0 revised, 0 unchanged"
acv score --area pn_city --year 2020
acv -q report --area pn_city --year 2020 --format csv -o report.csv
# id,name,unit,value,period,target_2030,score,class,note,imputed
class() { csv_field report.csv "$1" 8; }
note() { csv_field report.csv "$1" 9; }

# EC.MSME.1, higher is better, 0 in 2015, 2018 and 2020, no target: the base 0 would become 0.001
# and (0/0.001)^(1/5) − 1 = −100 %; the series has not moved: growth 0 -> limited progress
expect_equal "EC.MSME.1 class" "$(class EC.MSME.1)" limited_progress
expect_equal "EC.MSME.1 note" "$(note EC.MSME.1)" "no change from zero"

# EC.MSME.2, lower is better, 1e-300 (2015) -> 1e300 (2020): 1e600 overflows, no growth rate
expect_equal "EC.MSME.2 class" "$(class EC.MSME.2)" insufficient_data
expect_equal "EC.MSME.2 note" "$(note EC.MSME.2)" \
  "the growth rate from 1e-300 to 1e+300 cannot be computed (overflow)"

# EC.MSME.3, SDSN trend, bounds 0..100 (score = value), green = target 80; 20 (2010), 40 (2015),
# 50 (2020): from the base year 2015, observed (50 − 40)/5 = 2, required (80 − 40)/15 = 2.667,
# r = 0.75 -> moderately improving (from 2010: 30/10 = 3 against 60/20 = 3, r = 1, on track)
expect_equal "EC.MSME.3 class" "$(class EC.MSME.3)" moderately_improving
expect_equal "EC.MSME.3 note" "$(note EC.MSME.3)" ""

# EC.MSME.4, lower is better, −50 % vs 2015 but values only for 2019 (10) and 2020 (9): no target,
# so the trend alone: CAGR = 9/10 − 1 = −10 %, lower is better: 10 % ≥ 1.5 % -> on track
expect_equal "EC.MSME.4 class" "$(class EC.MSME.4)" on_track
expect_equal "EC.MSME.4 note" "$(note EC.MSME.4)" \
  "no 2030 target: no observation in the baseline 2015; no value for 2015; base year 2019 used"

# EC.MSME.5, higher is better, −5 (2015) -> −3 (2020), target 5: no growth rate leads from −5 to 5
expect_equal "EC.MSME.5 class" "$(class EC.MSME.5)" insufficient_data
expect_equal "EC.MSME.5 note" "$(note EC.MSME.5)" "target and base value have opposite signs"

# the Markdown report shows the same words beside the class label
acv -q report --area pn_city --year 2020 --format md -o report.md
expect_line report.md "| EC.MSME.1 Zero every year | 0 | count | 2020 | none | 0.0 | → Limited progress | no change from zero |"
expect_line report.md "| EC.MSME.3 SDSN trend from 2015 | 50 | % | 2020 | ≥ 80 | 50.0 | ➚ Improving, not fast enough |  |"

echo "progress_notes: ok"
