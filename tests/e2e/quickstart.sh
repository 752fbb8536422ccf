#!/bin/sh
# The README's path on the bundled sample data, through the built binary: init, areas import,
# import, assess import, score, report. The figures asserted are counted from the input files
# here or worked out by hand in the comments, not copied from a run.
set -eu
. "$(dirname "$0")/lib/assert.sh"

ok init
case "$OUT" in
  "workspace acvtrack.db ready: framework acv2045-asean-starter 0.1.0 with 86 indicators in 4 pillars and 17 action areas; 44 areas; "*) ;;
  *) fail "init printed: $OUT" ;;
esac
[ -f acvtrack.db ] || fail "init did not create acvtrack.db"

# 4 demo areas: the data lines of areas.csv
areas=$(($(wc -l <"$SAMPLE/areas.csv") - 1))
expect_equal "sample areas" "$areas" 4
ok areas import "$SAMPLE/areas.csv"
expect_out "$SAMPLE/areas.csv: $areas areas read, $areas added or changed"

# every data line of the file is one new observation
n=$(($(wc -l <"$SAMPLE/observations.csv") - 1))
ok import "$SAMPLE/observations.csv"
expect_out "$SAMPLE/observations.csv: import 1: $n observations: $n new, 0 revised, 0 unchanged"
# the same file again changes nothing
ok import "$SAMPLE/observations.csv"
expect_out "$SAMPLE/observations.csv: already imported as import 1; nothing changed"
m=$(($(wc -l <"$SAMPLE/observations-more.csv") - 1))
ok import "$SAMPLE/observations-more.csv"
expect_out "$SAMPLE/observations-more.csv: import 2: $m observations: $m new, 0 revised, 0 unchanged"

ok assess import "$SAMPLE/assessment-demo_capital_metro.yml"
first=$(printf '%s\n' "$OUT" | head -1)
expect_equal "assess import" "$first" \
  "$SAMPLE/assessment-demo_capital_metro.yml: demo_capital_metro 2025: 49 answered, 2 unanswered, 2 capped for lack of evidence"

ok score --area demo_capital_metro --year 2025
case "$OUT" in
  "demo_capital_metro 2025: run 1: "*" of 86 indicators have data, "*) ;;
  *) fail "score printed: $OUT" ;;
esac

ok -q report --area demo_capital_metro --year 2025 --format csv -o report.csv
[ -s report.csv ] || fail "report.csv is empty"
# PS.DRR.1 disaster deaths per 100,000, lower is better, bounds worst 5 best 0, a 5-year mean:
# the sample's 2021-2025 values 0.45, 0.15, 0.12, 0.3, 0.1 -> mean 1.12/5 = 0.224;
# score 100 × (5 − 0.224)/(5 − 0) = 95.52
expect_equal "PS.DRR.1 value" "$(csv_field report.csv PS.DRR.1 4)" 0.224
expect_equal "PS.DRR.1 score" "$(csv_field report.csv PS.DRR.1 7)" 95.52
# PS.DRR.5 early-warning coverage, higher is better, bounds 0..100: 2025 value 90 -> score 90
expect_equal "PS.DRR.5 value" "$(csv_field report.csv PS.DRR.5 4)" 90
expect_equal "PS.DRR.5 score" "$(csv_field report.csv PS.DRR.5 7)" 90
# PS.SRL.1 homicides, worst 10 best 0.5: 2025 value 2.3 -> 100 × (10 − 2.3)/(10 − 0.5) = 81.0526...
score=$(csv_field report.csv PS.SRL.1 7)
awk -v s="$score" 'BEGIN { d = s - 100 * 7.7 / 9.5; exit !(d < 1e-9 && d > -1e-9) }' ||
  fail "PS.SRL.1 score: got '$score', expected 100 × 7.7/9.5"

for fmt in md html json; do
  ok -q report --area demo_capital_metro --year 2025 --format "$fmt" -o "report.$fmt"
  [ -s "report.$fmt" ] || fail "report.$fmt is empty"
  expect_equal "report --format $fmt on stdout" "$OUT" ""
done
expect_line report.md "# ACV 2045 localisation report: Demo capital metro (fictional)"
expect_line report.md "| Year | 2025 |"
grep -q '"code": *"demo_capital_metro"' report.json || fail "report.json does not name the area"
grep -q '^<!DOCTYPE html>' report.html || fail "report.html is not an HTML page"

# the report on standard output is the file's bytes
ok report --area demo_capital_metro --year 2025 --format md
cmp -s .out report.md || fail "report on stdout differs from report -o report.md"

echo "quickstart: ok"
