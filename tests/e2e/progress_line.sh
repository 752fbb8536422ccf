#!/bin/sh
# The progress line of long work (engine/base/progress.h) seen on a pseudo-terminal: `script`
# (util-linux, Debian's bsdutils) runs acvtrack with its stdout and stderr on a terminal, and the
# last state of each progress line must show the exact figures: bytes of the CSV file, rows of an
# importer plugin, areas scored, ranked and loaded. With stderr on a file, or with -q, nothing
# progress-like is printed. `score --all` prints a summary instead of one line per area, with
# each failure listed; --verbose brings the lines back.
set -eu
. "$(dirname "$0")/lib/assert.sh"

command -v script >/dev/null 2>&1 ||
  fail "'script' (util-linux, Debian package bsdutils) is needed to run acvtrack on a terminal"

# on_tty NAME ARGS...: runs acvtrack on a pseudo-terminal; what the terminal showed goes to NAME
# with every carriage return made a line end, so each redraw of a progress line is a line.
on_tty() {
  name=$1
  shift
  cmd="'$ACVTRACK'"
  for arg in "$@"; do cmd="$cmd '$arg'"; done
  set +e
  script -qfec "$cmd" /dev/null </dev/null >"$name.raw" 2>&1
  TTY_RC=$?
  set -e
  tr '\r' '\n' <"$name.raw" | grep -v '^$' >"$name" || true
}

# last_progress FILE PREFIX: the last line of FILE starting with PREFIX (the final state).
last_progress() {
  grep -F -- "$2" "$1" | tail -n 1
}

# FINAL LINE: "<label>: <done>/<total> <unit> 100%, <rate> <unit>/s, done in M:SS"
expect_final() {
  line=$(last_progress "$1" "$2")
  case "$line" in
    "$2"*) ;;
    *) fail "$1: no progress line '$2...'; the terminal showed: $(cat "$1")" ;;
  esac
  printf '%s\n' "$line" | grep -Eq -- "^$(printf '%s' "$2" | sed 's/[].[*^$/]/\\&/g') 100%, [0-9.]+ [A-Za-z/]+, done in [0-9]+:[0-9][0-9]\$" ||
    fail "$1: final progress line '$line' is not '$2 100%, RATE, done in M:SS'"
}

ok -q init
ok -q areas import "$SAMPLE/areas.csv"

# ---- import of a CSV file: bytes read of the file's size ------------------------------------
# the first 60 lines of the sample: under 10 KiB, so the line counts whole bytes
head -n 60 "$SAMPLE/observations.csv" >obs-head.csv
size=$(wc -c <obs-head.csv)
[ "$size" -lt 10240 ] || fail "obs-head.csv is $size bytes; the test needs under 10 KiB"
on_tty import.txt import obs-head.csv
expect_equal "import on a terminal exit status" "$TTY_RC" 0
expect_final import.txt "importing obs-head.csv: $size/$size B"
# the import's own message follows on a line of its own
grep -q '^obs-head.csv: import 1: ' import.txt || fail "import.txt: no summary line: $(cat import.txt)"

# stderr not a terminal: no progress at all (no carriage return, no "importing")
cp "$SAMPLE/observations.csv" obs-full.csv
ok import obs-full.csv
case "$ERR" in *importing* | *"$(printf '\r')"*) fail "progress on a file: $ERR" ;; esac
case "$OUT" in "obs-full.csv: import 2: 399 observations: "*) ;; *) fail "import printed $OUT" ;; esac

# -q on a terminal: none either
head -n 30 "$SAMPLE/observations.csv" >obs-q.csv
on_tty quiet.txt -q import obs-q.csv
expect_equal "import -q exit status" "$TTY_RC" 0
if grep -q 'importing' quiet.txt; then fail "-q printed progress: $(cat quiet.txt)"; fi

# ---- an importer plugin: rows of the plugin's output -----------------------------------------
on_tty plugin.txt import --format opensdg --opt area=A "$ACV_SOURCE/tests/fixtures/opensdg/trailing-columns"
expect_equal "plugin import exit status" "$TTY_RC" 0
# the fixture's indicator file has 3 numeric rows
expect_final plugin.txt "importing trailing-columns: 3/3 rows"

# ---- score --all: areas done of the areas listed ---------------------------------------------
# 44 areas from init + 4 from areas.csv + A from the plugin = 49 listed; the 3 demo cities and A
# have observations (A's of 2018-2020: scored for 2025 all the same), the other 45 none
ok -q areas list
n_areas=$(printf '%s\n' "$OUT" | awk 'NR > 1' | grep -c .)
expect_equal "areas in the workspace" "$n_areas" 49
on_tty score.txt score --all --year 2025
expect_equal "score --all on a terminal exit status" "$TTY_RC" 0
expect_final score.txt "scoring: 49/49 areas"
if grep -q ': run [0-9]*:' score.txt; then fail "score --all printed per-area lines: $(cat score.txt)"; fi

# not on a terminal: the summary alone, on stderr; nothing on stdout
ok score --all --force --year 2025
expect_out ""
# 4 areas have observations (3 cities and A); 45 have none
expect_err "scored 4 areas, 45 skipped (no observations), 0 failed"
ok -q score --all --force --year 2025
expect_out ""
expect_err ""

# --verbose: one line per area again, in code order
ok score --all --force --year 2025 --verbose
printf '%s\n' "$OUT" | awk '{ print $1, $2 }' >verbose.txt
printf '%s\n' "A 2025:" "demo_capital_metro 2025:" "demo_coastal_town 2025:" "demo_secondary_city 2025:" >verbose.expected
cmp -s verbose.txt verbose.expected || fail "score --all --verbose printed $OUT"
expect_err "scored 4 areas, 45 skipped (no observations), 0 failed"

# ---- rank and report --compare: areas read -----------------------------------------------------
# country DEMO has the 3 demo cities
on_tty rank.txt rank --country DEMO --year 2025
expect_equal "rank exit status" "$TTY_RC" 0
expect_final rank.txt "ranking: 3/3 areas"
on_tty compare.txt report --compare country:DEMO --year 2025 -o compare.md
expect_equal "report --compare exit status" "$TTY_RC" 0
expect_final compare.txt "loading areas: 3/3 areas"
on_tty rank-q.txt -q rank --country DEMO --year 2025
if grep -q '^ranking:' rank-q.txt; then fail "rank -q printed progress: $(cat rank-q.txt)"; fi
ok rank --country DEMO --year 2025
case "$ERR" in *ranking:*) fail "rank printed progress on a file: $ERR" ;; esac

# ---- score --all with a failing area: the summary, then each failure with its reason -----------
# an overlay whose scoring script fails for one city; a script failure stops the run (the Lua
# state is not trusted after it), so in code order the 45 areas without data and A and
# demo_capital_metro come before it: 2 scored, 45 skipped, 1 failed, demo_secondary_city never
# reached
mkdir -p failing/scripts
sed 's/^function M.area(input)$/&\n  if input.area.code == "demo_coastal_town" then error("no scoring for this city", 0) end/' \
  "$ACV_SOURCE/scripts/scoring.lua" >failing/scripts/scoring.lua
grep -q 'no scoring for this city' failing/scripts/scoring.lua || fail "the failing overlay was not made"
run --overlay failing score --all --year 2025
expect_rc 4
expect_out ""
first=$(printf '%s\n' "$ERR" | head -n 1)
expect_equal "summary" "$first" "scored 2 areas, 45 skipped (no observations), 1 failed"
printf '%s\n' "$ERR" | tail -n +2 >failures.txt
# one failure (its message goes on with the Lua traceback)
expect_equal "failures listed" "$(grep -c '^acvtrack: ' failures.txt)" 1
grep -q '^acvtrack: demo_coastal_town: .*no scoring for this city' failures.txt ||
  fail "the failure is not listed with its area and reason: $(cat failures.txt)"
# -q: no summary, the failure still listed
run -q --overlay failing score --all --year 2025
expect_rc 4
expect_equal "score --all -q" "$(printf '%s\n' "$ERR" | grep -c '^acvtrack: demo_coastal_town: ')" 1
case "$ERR" in *scored*) fail "score --all -q printed the summary: $ERR" ;; esac
