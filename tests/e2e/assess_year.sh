#!/bin/sh
# The self-assessment year: 'assess template' without --year writes the year 'score' without
# --year will use (the latest year with data for the area), or this calendar year when the area
# has no data yet, and says which in a comment; 'score' warns when the area has answers for a
# later year than the one scored, which the run cannot use (answers count for their own year and
# the years after it).
set -eu
. "$(dirname "$0")/lib/assert.sh"

ok -q init
ok -q areas import "$SAMPLE/areas.csv"

# no data yet: this calendar year, and the sheet says so
this_year=$(date -u +%Y)
ok assess template --area demo_coastal_town -o early.yml
expect_err "acvtrack: answer sheet written to early.yml"
expect_line early.yml "year: $this_year"
expect_line early.yml "# Year $this_year: this calendar year, as demo_coastal_town has no data yet. 'acvtrack score'"
expect_line early.yml "# uses the latest year with data: set \`year\` below to it before importing this sheet."

# the sample data run 2019-2025: the sheet is for 2025, the year score uses
ok -q import "$SAMPLE/observations.csv"
ok assess template --area demo_coastal_town -o answers.yml
expect_line answers.yml "year: 2025"
expect_line answers.yml "# Year 2025: the latest year with data for demo_coastal_town, the year 'acvtrack score'"
expect_line answers.yml "# uses without --year."
grep -q "calendar year" answers.yml && fail "answers.yml still speaks of the calendar year"
# an explicit --year is taken as given, without a comment about the choice
ok -q assess template --area demo_coastal_town --year 2023 -o y2023.yml
expect_line y2023.yml "year: 2023"
grep -q "^# Year " y2023.yml && fail "y2023.yml explains a year the user chose"

# the trap: a sheet for a later year than the data (here 2027, so the test does not depend on the
# clock) is stored for 2027 and not used when scoring 2025; score says so and exits 0
sed -e 's/^    level:$/    level: 2/' -e 's/^year: .*/year: 2027/' early.yml >later.yml
ok assess import later.yml
expect_equal "assess import later.yml" "$(printf '%s\n' "$OUT" | head -1)" \
  "later.yml: demo_coastal_town 2027: 51 answered, 0 unanswered, 0 capped for lack of evidence"
ok score --area demo_coastal_town
case "$OUT" in
  "demo_coastal_town 2025: run 1: "*"alignment"*) fail "score used the 2027 answers: $OUT" ;;
  "demo_coastal_town 2025: run 1: "*) ;;
  *) fail "score printed: $OUT" ;;
esac
expect_err "acvtrack: warning: demo_coastal_town has self-assessment answers for 2027 but none for 2025; this run uses none (score --year 2027, or set year: 2025 in the answer sheet and import it again)"
# the stored run has no self-assessment: alignment is null in the results model
ok score --area demo_coastal_town --json
grep -q '"overall":{[^}]*},"alignment":null,' .out || fail "the 2025 run has an alignment without answers for 2025"
# -q does not hide the warning
ok -q score --area demo_coastal_town
case "$ERR" in "acvtrack: warning: demo_coastal_town has self-assessment answers for 2027 but none for 2025;"*) ;;
  *) fail "score -q printed on stderr: $ERR" ;; esac
# score --all warns for that area too
ok -q score --all
case "$ERR" in *"acvtrack: warning: demo_coastal_town has self-assessment answers for 2027 but none for 2025;"*) ;;
  *) fail "score --all printed on stderr: $ERR" ;; esac

# answers of an earlier year are used for the later one (the documented carry-forward), but the
# warning still names the later sheet that was left out
sed -e 's/^    level:$/    level: 1/' y2023.yml >a2023.yml
ok -q assess import a2023.yml
ok score --area demo_coastal_town
# every question at level 1 of 4: alignment 100 × 1/4 = 25
case "$OUT" in *"; alignment 25.0"*) ;; *) fail "score did not use the 2023 answers: $OUT" ;; esac
expect_err "acvtrack: warning: demo_coastal_town has self-assessment answers for 2027 but none for 2025; this run uses those of 2023 (score --year 2027, or set year: 2025 in the answer sheet and import it again)"

# the template's own sheet, filled in and imported: no warning; the answers of 2027 are still
# there for a 2027 run, which uses them without a warning
sed -e 's/^    level:$/    level: 2/' answers.yml >filled.yml
ok -q assess import filled.yml
ok score --area demo_coastal_town
# every question at level 2 of 4: alignment 100 × 2/4 = 50, stored with the run
case "$OUT" in "demo_coastal_town 2025: run "*"; alignment 50.0"*) ;; *) fail "score printed: $OUT" ;; esac
expect_err ""
ok score --area demo_coastal_town --json
grep -q '"overall":{[^}]*},"alignment":{"score":50,' .out || fail "the 2025 run's alignment is not 50"
ok score --area demo_coastal_town --year 2027
expect_err ""
case "$OUT" in "demo_coastal_town 2027: run "*"; alignment "*) ;; *) fail "score printed: $OUT" ;; esac

# an area without any self-assessment gets no warning
ok score --area demo_capital_metro
expect_err ""

echo "assess_year: ok"
