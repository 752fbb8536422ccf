#!/bin/sh
# `acvtrack rank`: standard competition ranks with ties stated, areas without an official score
# listed apart with the reason (never ranked as zero), the change of rank since the year before,
# in the table, CSV and JSON; and the demo cities in the order of their overall scores.
set -eu
. "$(dirname "$0")/lib/assert.sh"

FIX="$ACV_SOURCE/tests/fixtures/rank"
ok -q init
ok -q areas import "$FIX/areas.csv"
ok -q import "$FIX/observations.csv"
for area in rk_a rk_b rk_c; do ok -q score --area $area --year 2024; done
for area in rk_a rk_b rk_c rk_d rk_e; do ok -q score --area $area --year 2025; done

# Action area PS.DRR (6 indicators, at least half needed), each area's score the mean of three:
# PS.DRR.4 and PS.DRR.5 score their value (bounds 0-100, higher is better); PS.DRR.6 = 10% of
# residents in high-hazard zones scores (40 - 10) / 40 × 100 = 75 (bounds worst 40, best 0).
#   2025: rk_c (100 + 80 + 75) / 3 = 85.0; rk_a (80 + 60 + 75) / 3 = 71.67 and
#         rk_b (90 + 50 + 75) / 3 = 71.67, a tie; rk_d (30 + 30 + 75) / 3 = 45.0;
#         rk_e has PS.DRR.4 only: 1 of 6, no official score.
#   2024: rk_b (90 + 90 + 75) / 3 = 85.0 → 1; rk_c (60 + 60 + 75) / 3 = 65.0 → 2;
#         rk_a (40 + 40 + 75) / 3 = 51.67 → 3; rk_d and rk_e were not scored.
# Ranks 2025: 1, 2, 2, 4 (the tie shares 2 and the next is 4; the tie is listed by area code);
# changes: rk_c 2 → 1 = +1, rk_a 3 → 2 = +1, rk_b 1 → 2 = -1, rk_d not ranked in 2024 = new.
ok rank --country RK --by action-area PS.DRR --year 2025
expect_out "Ranking by action area PS.DRR (Disaster resilience), 2025: sub-national areas of country RK
4 ranked, 1 without an official score; change of rank since 2024

RANK  AREA  NAME   SCORE  CHANGE
1     rk_c  Gamma  85.0   +1
=2    rk_a  Alpha  71.7   +1
=2    rk_b  Beta   71.7   -1
4     rk_d  Delta  45.0   new

Not ranked, without an official score for action area PS.DRR (Disaster resilience) in 2025:
AREA  NAME     REASON
rk_e  Epsilon  1 of 6 indicators have data; at least half are needed"

# the CSV through the engine's writer (CRLF line ends): the scores in full, the unranked area
# with neither a rank nor a score; -o FILE picks the format from its extension
ok -q rank --country RK --by action-area PS.DRR --year 2025 -o rank.csv
tr -d '\r' <rank.csv >rank.txt
expect_equal "rank.csv" "$(cat rank.txt)" "rank,tied,area,name,score,previous_rank,change,reason
1,false,rk_c,Gamma,85,2,1,
2,true,rk_a,Alpha,71.6666666666667,3,1,
2,true,rk_b,Beta,71.6666666666667,1,-1,
4,false,rk_d,Delta,45,,new,
,,rk_e,Epsilon,,,,1 of 6 indicators have data; at least half are needed"
expect_equal "CRLF records" "$(grep -c "$(printf '\r')\$" rank.csv)" 6

# the CSV for Excel: a UTF-8 byte order mark, then the same records with TRUE/FALSE
ok -q rank --country RK --by action-area PS.DRR --year 2025 --format xlsx-csv -o rank-excel.csv
expect_equal "byte order mark" "$(head -c 3 rank-excel.csv | od -An -tx1 | tr -d ' ')" "efbbbf"
tail -c +4 rank-excel.csv >excel-body.csv
sed 's/,false,/,FALSE,/; s/,true,/,TRUE,/' rank.csv >excel-expected.csv
cmp -s excel-body.csv excel-expected.csv || fail "rank --format xlsx-csv differs from the CSV: $(cat rank-excel.csv)"

ok rank --country RK --by action-area PS.DRR --year 2025 --format json
expect_out '{"level":"action_area","code":"PS.DRR","country":"RK","parent":null,"year":2025,"previous_year":2024,"ranked":[{"rank":1,"tied":false,"area":"rk_c","name":"Gamma","score":85,"previous_rank":2,"change":1,"new":false},{"rank":2,"tied":true,"area":"rk_a","name":"Alpha","score":71.6666666666667,"previous_rank":3,"change":1,"new":false},{"rank":2,"tied":true,"area":"rk_b","name":"Beta","score":71.6666666666667,"previous_rank":1,"change":-1,"new":false},{"rank":4,"tied":false,"area":"rk_d","name":"Delta","score":45,"previous_rank":null,"change":null,"new":true}],"not_ranked":[{"area":"rk_e","name":"Epsilon","reason":"1 of 6 indicators have data; at least half are needed"}]}'

# 2024, the default year being the latest (2025) otherwise: no 2023 runs, so every change is
# new; the areas not scored in 2024 are listed with that reason
ok rank --parent RK --by action-area PS.DRR --year 2024
expect_out "Ranking by action area PS.DRR (Disaster resilience), 2024: areas under RK
3 ranked, 2 without an official score; change of rank since 2023

RANK  AREA  NAME   SCORE  CHANGE
1     rk_b  Beta   85.0   new
2     rk_c  Gamma  65.0   new
3     rk_a  Alpha  51.7   new

Not ranked, without an official score for action area PS.DRR (Disaster resilience) in 2024:
AREA  NAME     REASON
rk_d  Delta    no scoring run for 2024
rk_e  Epsilon  no scoring run for 2024"

# overall: 3 of 55 core indicators is far below the rule, so nobody is ranked (not as zero)
ok rank --country RK --format csv
tr -d '\r' <"$ACV_TMP/.out" >overall.txt
expect_line overall.txt ',,rk_a,Alpha,,,,52 of 55 applicable core indicators have no score (94.5%); at most 20% may be missing'
expect_equal "ranked overall" "$(grep -c '^[0-9]' overall.txt || true)" 0

# usage errors
run rank --by pillar PS
expect_rc 2
run rank --country RK --all
expect_rc 2
run rank --country RK --by pillar
expect_rc 2
run rank --country RK --by pillar XX
expect_rc 3
expect_err "acvtrack: 'XX' is not a pillar of framework 'acv2045-asean-starter'"

# The demo cities (`make demo`): overall 70.0, 60.9 and 45.7, the scores `score` prints
mkdir demo && cd demo
OVERLAY="$ACV_SOURCE/scripts/adaptations/demo-coastal-town"
ok -q init
ok -q areas import "$SAMPLE/areas.csv"
ok -q import "$SAMPLE/observations.csv"
ok -q import "$SAMPLE/observations-more.csv"
ok -q --overlay "$OVERLAY" import "$OVERLAY/local-observations.csv"
for city in demo_capital_metro demo_secondary_city demo_coastal_town; do
  ok -q assess import "$SAMPLE/assessment-$city.yml"
done
ok -q score --area demo_capital_metro --year 2025
ok -q score --area demo_secondary_city --year 2025
ok -q --overlay "$OVERLAY" score --area demo_coastal_town --year 2025
ok rank --country DEMO --year 2025
expect_out "Ranking by overall score, 2025: sub-national areas of country DEMO
3 ranked, 0 without an official score; change of rank since 2024

RANK  AREA                 NAME                             SCORE  CHANGE
1     demo_capital_metro   Demo capital metro (fictional)   70.0   new
2     demo_secondary_city  Demo secondary city (fictional)  60.9   new
3     demo_coastal_town    Demo coastal town (fictional)    45.7   new"

echo "rank: ok"
