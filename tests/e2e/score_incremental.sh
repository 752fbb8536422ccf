#!/bin/sh
# Incremental re-scoring: every run stores the hash of its inputs (the area's observations and
# answers, the framework and overlay, every script under scripts/, the engine), and `score --all`
# scores again only the areas whose inputs changed since their latest run of the year. A change
# to one area's data or answers re-scores that area alone; a change to the framework, a method
# script (even one no Lua state has loaded) or the overlay re-scores every area; --force scores
# every area again, and the runs it stores hold the same results as the ones before.
set -eu
. "$(dirname "$0")/lib/assert.sh"

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" fw/
F="--framework fw"
runs() { sqlite3 acvtrack.db "SELECT count(*) FROM runs"; }
# the areas of the runs stored after run $1, in run order
runs_after() { sqlite3 acvtrack.db "SELECT group_concat(a.code, ' ') FROM (SELECT area_id FROM runs WHERE id > $1 ORDER BY id) r JOIN areas a ON a.id = r.area_id"; }
# run $1 and run $2 hold the same results, row for row
same_results() {
  cols="level, code, value, period, score, n_scored, n_total, note, class, imputed, target_gap, rank, provisional, n_core_scored, n_core_total, collect_rank, collect_source"
  d=$(sqlite3 acvtrack.db "SELECT (SELECT count(*) FROM (SELECT $cols FROM run_results WHERE run_id = $1 EXCEPT SELECT $cols FROM run_results WHERE run_id = $2)) + (SELECT count(*) FROM (SELECT $cols FROM run_results WHERE run_id = $2 EXCEPT SELECT $cols FROM run_results WHERE run_id = $1)), (SELECT count(*) FROM run_results WHERE run_id = $1)")
  case "$d" in
    0\|0) fail "run $1 has no results" ;;
    0\|*) ;;
    *) fail "runs $1 and $2 differ: $d (rows that differ|rows)" ;;
  esac
}

ok -q $F init
ok -q $F areas import "$SAMPLE/areas.csv"
ok -q $F import "$SAMPLE/observations.csv"

# the first time: every area with data (the three demo cities; the 45 other areas have none)
ok $F score --all --jobs 2 --verbose
expect_equal "areas scored" "$(printf '%s\n' "$OUT" | wc -l)" 3
expect_err "scored 3 areas, 45 skipped (no observations), 0 failed"
expect_equal "runs" "$(runs)" 3
expect_equal "inputs hashes" "$(sqlite3 acvtrack.db "SELECT count(DISTINCT inputs_hash) FROM runs WHERE length(inputs_hash) = 64")" 3

# nothing changed: nothing scored, nothing stored, nothing printed on standard output
ok $F score --all
expect_out ""
expect_err "scored 0 areas, 3 unchanged since their latest run (--force scores them again), 45 skipped (no observations), 0 failed"
expect_equal "runs" "$(runs)" 3

# --force: every area again, with the same results and the same inputs hashes
ok -q $F score --all --force
expect_equal "runs" "$(runs)" 6
expect_equal "areas re-scored" "$(runs_after 3)" "demo_capital_metro demo_coastal_town demo_secondary_city"
for r in 1 2 3; do same_results $r $((r + 3)); done
expect_equal "inputs hashes after --force" \
  "$(sqlite3 acvtrack.db "SELECT count(*) FROM runs a JOIN runs b ON b.id = a.id + 3 WHERE a.id <= 3 AND a.inputs_hash = b.inputs_hash")" 3

# one value of one area changes: that area alone is scored again
printf '%s\n' "area,indicator,period,value,source,status,comment" \
  "demo_coastal_town,PS.DRR.1,2025,0.5,illustrative sample data (not official statistics),provisional," >change.csv
ok -q $F import change.csv
ok $F score --all --verbose
expect_err "scored 1 area, 2 unchanged since their latest run (--force scores them again), 45 skipped (no observations), 0 failed"
case "$OUT" in "demo_coastal_town 2025: run 7: "*) ;; *) fail "score --all printed: $OUT" ;; esac
expect_equal "areas re-scored" "$(runs_after 6)" "demo_coastal_town"
# PS.DRR.1 is smoothed over 5 years: (13.07 + 0 + 1.6 + 0 + 0) / 5 before, 0.5 instead of the
# last 0 now
drr() { sqlite3 acvtrack.db "SELECT value FROM run_results WHERE run_id = $1 AND level = 'indicator' AND code = 'PS.DRR.1'"; }
expect_equal "PS.DRR.1 before the change" "$(drr 5)" 2.934
expect_equal "PS.DRR.1 after the change" "$(drr 7)" 3.034

# the self-assessment answers of one area change: that area alone
ok -q $F assess template --area demo_capital_metro -o answers.yml
sed -e 's/^    level:$/    level: 2/' answers.yml >a2.yml
ok -q $F assess import a2.yml
ok -q $F score --all
expect_equal "areas re-scored" "$(runs_after 7)" "demo_capital_metro"
expect_equal "alignment of the new run" \
  "$(sqlite3 acvtrack.db "SELECT score FROM run_results WHERE run_id = 8 AND level = 'alignment_overall'")" 50.0

# another year is another run: scored the first time, unchanged the second
ok -q $F score --all --year 2024
expect_equal "runs" "$(runs)" 11
ok $F score --all --year 2024
# an unchanged area still says when its run cannot use the answers of a later year
expect_err "acvtrack: warning: demo_capital_metro has self-assessment answers for 2025 but none for 2024; this run uses none (score --year 2025, or set year: 2024 in the answer sheet and import it again)
scored 0 areas, 3 unchanged since their latest run (--force scores them again), 45 skipped (no observations), 0 failed"
ok $F score --all
expect_err "scored 0 areas, 3 unchanged since their latest run (--force scores them again), 45 skipped (no observations), 0 failed"

# score --area always scores, and records the same methods and inputs hashes as score --all did
ok -q $F score --area demo_secondary_city
expect_equal "runs" "$(runs)" 12
expect_equal "score --area and --all agree on the hashes" \
  "$(sqlite3 acvtrack.db "SELECT a.methods_hash = b.methods_hash AND a.inputs_hash = b.inputs_hash FROM runs a, runs b WHERE a.id = 12 AND b.id = 6")" 1

# a method script changes, even one the scoring module never loads: every area again
echo "-- a helper no method requires yet" >fw/scripts/methods/unused_helper.lua
ok $F score --all --jobs 3
expect_err "scored 3 areas, 45 skipped (no observations), 0 failed"
expect_equal "areas re-scored" "$(runs_after 12)" "demo_capital_metro demo_coastal_town demo_secondary_city"
expect_equal "one methods hash for every thread" \
  "$(sqlite3 acvtrack.db "SELECT count(DISTINCT methods_hash) FROM runs WHERE id > 12")" 1
expect_equal "the methods hash changed" \
  "$(sqlite3 acvtrack.db "SELECT count(*) FROM runs WHERE id > 12 AND methods_hash = (SELECT methods_hash FROM runs WHERE id = 12)")" 0
same_results 12 15

# the framework changes (one indicator's name): every area again
sed 's/^    name: \(.*\)$/    name: \1/' fw/indicators/economic.yml >e.yml
n=$(grep -n '^    name: ' e.yml | head -1 | cut -d: -f1)
sed "${n}s/\$/ (revised)/" e.yml >fw/indicators/economic.yml
ok -q $F score --all
expect_equal "runs after a framework change" "$(runs)" 18
expect_equal "areas re-scored" "$(runs_after 15)" "demo_capital_metro demo_coastal_town demo_secondary_city"
ok $F score --all
expect_err "scored 0 areas, 3 unchanged since their latest run (--force scores them again), 45 skipped (no observations), 0 failed"

# a city overlay is another set of inputs: every area again, then unchanged
mkdir -p city/indicators
printf '%s\n' "overlay: {name: incremental city}" >city/indicators/overlay.yml
ok -q $F --overlay city score --all
expect_equal "runs with the overlay" "$(runs)" 21
expect_equal "overlay recorded" "$(sqlite3 acvtrack.db "SELECT count(*) FROM runs WHERE id > 18 AND overlay = 'incremental city'")" 3
ok $F --overlay city score --all
expect_err "scored 0 areas, 3 unchanged since their latest run (--force scores them again), 45 skipped (no observations), 0 failed"
# and back without it: the latest runs have the overlay, so every area is scored again
ok -q $F score --all
expect_equal "runs without the overlay again" "$(runs)" 24
