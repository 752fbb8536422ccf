#!/bin/sh
# `acvtrack rank --uncertainty N`: the worked example of docs/methodology.md ("Uncertainty and
# sensitivity of ranks"). Four areas ranked in action area PS.DRR on four indicators; each
# assumption held to one alternative gives the ranking worked by hand there; a seeded run gives
# the same numbers twice and on any number of threads, another seed others; the quantiles of the
# ranks printed; the Sobol indices of factors that do not vary are 0; the workspace is untouched.
set -eu
. "$(dirname "$0")/lib/assert.sh"

FIX="$ACV_SOURCE/tests/fixtures/uncertainty"
ok -q init
ok -q areas import "$FIX/areas.csv"
ok -q import "$FIX/observations.csv"
for area in uq_a uq_b uq_c uq_d uq_e; do ok -q score --area $area --year 2025; done
RANK="rank --country UQ --by action-area PS.DRR --year 2025"

# The nominal ranking (min-max scores: PS.DRR.3 (2 - x) / 2 x 100, PS.DRR.4 and .5 their value,
# PS.DRR.6 (40 - 10) / 40 x 100 = 75):
#   uq_a (75 + 80 + 60 + 75) / 4 = 72.5; uq_c (25 + 100 + 80 + 75) / 4 = 70;
#   uq_d (70 + 60 + 75) / 3 = 68.33 (no PS.DRR.3: 3 of 6 is enough); uq_b (50 + 90 + 50 + 75) / 4
#   = 66.25; uq_e has 1 of 6 and is not ranked.
# assumptions FILE AGGREGATION NORMALISATION IMPUTATION: one alternative each, weights fixed
assumptions() {
  cat >"$1" <<YAML
uncertainty:
  weights:
    noise: 0
  aggregation: [$2]
  normalisation: [$3]
  imputation: [$4]
YAML
}
# every replication is then the same ranking: mean, median, Q5 and Q95 are its rank
assumptions nominal.yml framework minmax none
ok $RANK --uncertainty 4 --assumptions nominal.yml --format csv
tr -d '\r' <"$ACV_TMP/.out" >nominal.csv
expect_equal "nominal assumptions" "$(cat nominal.csv)" "rank,tied,area,name,score,mean_rank,median_rank,q05,q95,reason
1,false,uq_a,Alpha,72.5,1,1,1,1,
2,false,uq_c,Gamma,70,2,2,2,2,
3,false,uq_d,Delta,68.3333333333333,3,3,3,3,
4,false,uq_b,Beta,66.25,4,4,4,4,
,,uq_e,Epsilon,,,,,,1 of 6 indicators have data; at least half are needed"

# geometric means: uq_a (75 x 80 x 60 x 75)^(1/4) = 72.08, uq_d (70 x 60 x 75)^(1/3) = 68.04,
# uq_b (50 x 90 x 50 x 75)^(1/4) = 64.09, uq_c (25 x 100 x 80 x 75)^(1/4) = 62.23: a, d, b, c
assumptions geometric.yml geometric minmax none
ok $RANK --uncertainty 4 --assumptions geometric.yml --format csv
tr -d '\r' <"$ACV_TMP/.out" >geometric.csv
expect_line geometric.csv "1,false,uq_a,Alpha,72.5,1,1,1,1,"
expect_line geometric.csv "3,false,uq_d,Delta,68.3333333333333,2,2,2,2,"
expect_line geometric.csv "4,false,uq_b,Beta,66.25,3,3,3,3,"
expect_line geometric.csv "2,false,uq_c,Gamma,70,4,4,4,4,"

# distance to target (PS.DRR.3 target 0.5: (2 - x) / 1.5 x 100; PS.DRR.4 capped at its target 60;
# PS.DRR.5's target 100 and PS.DRR.6's best bound as before): uq_a (100 + 100 + 60 + 75) / 4 =
# 83.75, uq_d (100 + 60 + 75) / 3 = 78.33, uq_b (66.67 + 100 + 50 + 75) / 4 = 72.92,
# uq_c (33.33 + 100 + 80 + 75) / 4 = 72.08: a, d, b, c
assumptions target.yml framework distance_to_target none
ok $RANK --uncertainty 4 --assumptions target.yml --format csv
tr -d '\r' <"$ACV_TMP/.out" >target.csv
expect_line target.csv "3,false,uq_d,Delta,68.3333333333333,2,2,2,2,"
expect_line target.csv "4,false,uq_b,Beta,66.25,3,3,3,3,"
expect_line target.csv "2,false,uq_c,Gamma,70,4,4,4,4,"

# mean imputation: uq_d's PS.DRR.3 takes (75 + 50 + 25) / 3 = 50, so uq_d = (50 + 70 + 60 + 75) / 4
# = 63.75, below uq_b's 66.25: a, c, b, d
assumptions impute.yml framework minmax mean
ok $RANK --uncertainty 4 --assumptions impute.yml --format csv
tr -d '\r' <"$ACV_TMP/.out" >impute.csv
expect_line impute.csv "2,false,uq_c,Gamma,70,2,2,2,2,"
expect_line impute.csv "3,false,uq_d,Delta,68.3333333333333,4,4,4,4,"
expect_line impute.csv "4,false,uq_b,Beta,66.25,3,3,3,3,"

# The shipped assumptions with seed 1 and 8 replications: the table of docs/methodology.md.
# uq_d's ranks are 2, 3, 2, 2, 3, 2, 4, 3: sorted 2 2 2 2 3 3 3 4, mean 21 / 8 = 2.625, median
# (h = 3.5) (2 + 3) / 2 = 2.5, Q5 (h = 0.35) 2, Q95 (h = 6.65) 3 + 0.65 x (4 - 3) = 3.65.
ok $RANK --uncertainty 8 --seed 1
expect_out "Uncertainty of the ranking by action area PS.DRR (Disaster resilience), 2025: sub-national areas of country UQ
4 ranked, 1 without an official score; 8 replications, seed 1
Assumptions (indicators/uncertainty/assumptions.yml): weights x (1 + U(-0.25, 0.25)) on indicator, action_area, pillar; aggregation arithmetic | geometric; normalisation minmax | distance_to_target; imputation none | mean
Rank over the replications: mean, median and 5th to 95th percentiles (Hyndman-Fan definition 7)

RANK  AREA  NAME   SCORE  MEAN   MEDIAN  Q5    Q95
1     uq_a  Alpha  72.5   1      1       1     1
2     uq_c  Gamma  70.0   3.25   4       2     4
3     uq_d  Delta  68.3   2.625  2.5     2     3.65
4     uq_b  Beta   66.2   3.125  3       2.35  4

Not ranked, without an official score for action area PS.DRR (Disaster resilience) in 2025:
AREA  NAME     REASON
uq_e  Epsilon  1 of 6 indicators have data; at least half are needed"
cp "$ACV_TMP/.out" seed1.txt

# each replication's assumptions and ranks are in the JSON; the 7th (arithmetic, min-max, mean
# imputation; PS.DRR.3 weighted 0.9005, .4 0.8132, .5 1.1161, .6 1.2367) is worked in the doc:
# a 71.88, c 70.30, b 65.60, d 64.35
ok $RANK --uncertainty 8 --seed 1 --format json
printf '%s\n' "$OUT" | grep -q '"area":"uq_d","name":"Delta","score":68.3333333333333,"mean_rank":2.625,"median_rank":2.5,"q05":2,"q95":3.65,"ranks":\[2,3,2,2,3,2,4,3\]' ||
  fail "JSON: uq_d's ranks"
printf '%s\n' "$OUT" | grep -q '{"run":7,"aggregation":"arithmetic","normalisation":"minmax","imputation":"mean","weights":{"PS.DRR.1":1.01916888463811,"PS.DRR.2":0.995036058529792,"PS.DRR.3":0.900474809558953,"PS.DRR.4":0.813192236374617,"PS.DRR.5":1.11605054540832,"PS.DRR.6":1.23672210173824},"mean_abs_rank_change":0.5}' ||
  fail "JSON: the 7th replication"

# same seed, same bytes, whatever the number of threads (four blocks of one area here, shared
# out over the threads); another seed, other numbers
ok $RANK --uncertainty 8 --seed 1 --jobs 1
expect_equal "seed 1 on one thread" "$OUT" "$(cat seed1.txt)"
ok $RANK --uncertainty 8 --seed 1 --jobs 2
expect_equal "seed 1 on two threads" "$OUT" "$(cat seed1.txt)"
ok $RANK --uncertainty 8 --seed 2
[ "$OUT" != "$(cat seed1.txt)" ] || fail "seed 2 gave the numbers of seed 1"

# the default seed is 1
ok $RANK --uncertainty 8
expect_equal "default seed" "$OUT" "$(cat seed1.txt)"

# sensitivity: only the aggregation varies, so the mean absolute rank change of a replication is
# 0 (arithmetic: the nominal ranks) or 1 (geometric moves uq_c, uq_d, uq_b by 2, 1 and 1 places:
# 4 / 4); the other factors' AB rows are their A rows, so their indices are exactly 0
cat >agg.yml <<YAML
uncertainty:
  weights:
    noise: 0
  aggregation: [arithmetic, geometric]
  normalisation: [minmax]
  imputation: [none]
YAML
ok $RANK --uncertainty 16 --seed 3 --sensitivity --assumptions agg.yml
printf '%s\n' "$OUT" | grep -q "^weights        0.000        0.000$" || fail "weights index not 0: $OUT"
printf '%s\n' "$OUT" | grep -q "^normalisation  0.000        0.000$" || fail "normalisation index not 0"
printf '%s\n' "$OUT" | grep -q "^imputation     0.000        0.000$" || fail "imputation index not 0"
ok $RANK --uncertainty 16 --seed 3 --sensitivity --assumptions agg.yml --format json
printf '%s\n' "$OUT" | grep -q '"sensitivity":{"base_rows":16,"replications":96,' || fail "JSON sensitivity"

# nothing is written to the workspace
before=$(sqlite3 acvtrack.db "SELECT count(*) FROM runs; SELECT count(*) FROM run_results;")
ok $RANK --uncertainty 8 --sensitivity
after=$(sqlite3 acvtrack.db "SELECT count(*) FROM runs; SELECT count(*) FROM run_results;")
expect_equal "runs stored" "$after" "$before"

# errors
run $RANK --uncertainty 1
expect_rc 2
run $RANK --seed 4
expect_rc 2
run $RANK --uncertainty 8 --seed -1
expect_rc 2
printf 'uncertainty:\n  weights:\n    noise: 2\n  aggregation: [arithmetic, harmonic]\n  normalisation: [minmax]\n  imputation: [none]\n' >bad.yml
run $RANK --uncertainty 8 --assumptions bad.yml
expect_rc 3
expect_err "acvtrack: bad.yml:3:12: 'noise' must be from 0 to 0.99 in the weights, found 2 (and more problems in the file)"

echo "rank_uncertainty: ok"
