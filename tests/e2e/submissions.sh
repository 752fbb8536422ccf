#!/bin/sh
# Signed submissions from three city workspaces to a national workspace to the secretariat
# (docs/submissions.md): every value arrives with its origin, counts and values agree at each
# level, the scores of a city computed at each level agree, a package received twice changes
# nothing, an incremental package carries only what changed, a value that replaces one the
# ministry held from its own import is listed as a conflict, and the secretariat's copy keeps
# each city's own signed package (chain of custody); after `submission ack` the next package
# holds only what changed, and the runs a package carried are kept by `runs prune`.
set -eu
. "$(dirname "$0")/lib/assert.sh"

CITIES="demo_capital_metro demo_secondary_city demo_coastal_town"
head -2 "$SAMPLE/areas.csv" >country.csv # DEMO only: the cities arrive with their packages

# the values of a workspace as "area,indicator,disaggregation,period,value" lines
values() {
  sqlite3 "$1" "SELECT a.code, i.code, o.disaggregation, o.period, o.value FROM observations o \
    JOIN areas a ON a.id = o.area_id JOIN indicators i ON i.id = o.indicator_id \
    WHERE a.code LIKE '${2:-%}' ORDER BY 1, 2, 3, 4" | tr '|' ','
}
count() {
  sqlite3 "$1" "$2"
}

# ---- three cities: data, answers, a stored run, a key and a package each --------------------
for city in $CITIES; do
  mkdir "$city"
  (cd "$city" && "$ACVTRACK" -q init && "$ACVTRACK" -q areas import "$SAMPLE/areas.csv" &&
    "$ACVTRACK" -q import "$SAMPLE/observations.csv" 2>/dev/null &&
    "$ACVTRACK" -q assess import "$SAMPLE/assessment-$city.yml" >/dev/null &&
    "$ACVTRACK" -q score --area "$city" --year 2025 >../score-$city.txt) ||
    fail "setting up $city"
  ok --db "$city/acvtrack.db" keys create "$city"
  expect_equal "$city key file mode" "$(stat -c %a "$city/acvtrack.db.key")" 600
  ok --db "$city/acvtrack.db" submission create --area "$city" -o "$city.acvs"
  # 133 lines of observations.csv are this city's; one stored run; every answer of its sheet
  answers=$(count "$city/acvtrack.db" "SELECT count(*) FROM assessment_answers")
  case "$OUT" in
    "submission "*" (package 1 sent): 133 observations, 0 earlier versions, $answers answers, 1 runs for $city, signed with key "*", in $city.acvs") ;;
    *) fail "create for $city printed: $OUT" ;;
  esac
  # the secret key never goes into a package
  secret=$(sed -n 's/^secret: //p' "$city/acvtrack.db.key")
  ! grep -q "$secret" "$city.acvs" || fail "the secret key is in $city.acvs"
  ! grep -qa "$(printf '%s' "$secret" | cut -c1-64)" "$city.acvs" || fail "secret in package"
done
expect_equal "answers of the capital" "$(count demo_capital_metro/acvtrack.db "SELECT count(*) FROM assessment_answers")" 51
# the package is a SQLite file of its own, readable with any SQLite tool
expect_equal "package application_id" "$(sqlite3 demo_capital_metro.acvs 'PRAGMA application_id')" 1094932051
expect_equal "package format" "$(sqlite3 demo_capital_metro.acvs 'PRAGMA user_version')" 1
expect_equal "package observations" "$(sqlite3 demo_capital_metro.acvs 'SELECT count(*) FROM observations')" 133
expect_equal "package manifest" "$(sqlite3 demo_capital_metro.acvs "SELECT value FROM manifest WHERE key IN ('kind', 'areas', 'framework_id', 'first_year', 'last_year') ORDER BY key" | tr '\n' ' ')" \
  "demo_capital_metro 2019 acv2045-asean-starter submission 2025 "

# ---- the ministry: trusts each city's key for its city, receives the three packages ---------
mkdir nat
N=nat/acvtrack.db
(cd nat && "$ACVTRACK" -q init && "$ACVTRACK" -q areas import ../country.csv) || fail "nat"
# the cities are not in the national workspace yet: trust needs the area
run --db $N keys trust demo_capital_metro/acvtrack.db.pub --areas demo_capital_metro
expect_rc 3
expect_err "acvtrack: area 'demo_capital_metro' is not in this workspace (see 'acvtrack areas list')"
ok --db $N -q areas import "$SAMPLE/areas.csv"
for city in $CITIES; do
  ok --db $N keys trust "$city/acvtrack.db.pub" --areas "$city"
done
ok --db $N keys list
expect_equal "trusted keys" "$(printf '%s\n' "$OUT" | grep -c '^trusted ')" 3

# the ministry held a value of its own for the coastal town: the city's replaces it, listed
printf 'area,indicator,period,value\ndemo_coastal_town,PS.DRR.1,2020,2.5\n' >ministry.csv
ok --db $N -q import ministry.csv
ok --db $N submission receive demo_capital_metro.acvs demo_secondary_city.acvs demo_coastal_town.acvs
cap_id=$(sqlite3 demo_capital_metro.acvs "SELECT value FROM manifest WHERE key = 'submission_id'")
coast_id=$(sqlite3 demo_coastal_town.acvs "SELECT value FROM manifest WHERE key = 'submission_id'")
cap_key=$(sed -n 's/^id: //p' demo_capital_metro/acvtrack.db.pub)
printf '%s\n' "$OUT" >receive.txt
expect_line receive.txt "demo_capital_metro.acvs: submission $cap_id from demo_capital_metro (key $cap_key, demo_capital_metro): 133 observations (133 new, 0 revised, 0 unchanged), 51 answers, 1 runs, 0 conflicts"
# 133 observations, 132 new and the one the ministry held revised
grep -q "^demo_coastal_town.acvs: submission $coast_id from demo_coastal_town (key [0-9a-f]*, demo_coastal_town): 133 observations (132 new, 1 revised, 0 unchanged), [0-9]* answers, 1 runs, 1 conflicts$" receive.txt ||
  fail "coastal town receive: $OUT"
expect_line receive.txt "conflict: demo_coastal_town PS.DRR.1 2020: received 1.65 (submission $coast_id) replaces 2.5 (import 1), kept as an earlier version"
expect_equal "conflicts stored" "$(count $N "SELECT area || ' ' || indicator || ' ' || period || ' ' || received_value || ' ' || held_value FROM submission_conflicts")" \
  "demo_coastal_town PS.DRR.1 2020 1.65 2.5"

# counts and values agree with each city's own
expect_equal "national observations" "$(count $N "SELECT count(*) FROM observations")" 399
for city in $CITIES; do
  [ "$(values $N "$city")" = "$(values "$city/acvtrack.db" "$city")" ] || fail "values of $city differ at the ministry"
  expect_equal "$city answers at the ministry" \
    "$(count $N "SELECT count(*) FROM assessment_answers a JOIN areas r ON r.id = a.area_id WHERE r.code = '$city'")" \
    "$(count "$city/acvtrack.db" "SELECT count(*) FROM assessment_answers a JOIN areas r ON r.id = a.area_id WHERE r.code = '$city'")"
done
# provenance: the submission, the city, its key and the city's own file and line
ok --db $N history --area demo_capital_metro --indicator PS.DRR.1 --year 2019
printf '%s\n' "$OUT" | grep -qF "submission $cap_id from demo_capital_metro, key $cap_key, $SAMPLE/observations.csv:2 " ||
  fail "no provenance in: $OUT"
# the datasets, the sender's run and the package bytes are recorded
expect_equal "datasets of the capital" "$(count $N "SELECT group_concat(year || ':' || observations, ' ') FROM (SELECT d.year, d.observations FROM submission_datasets d JOIN submissions_received r ON r.id = d.received_id WHERE r.submission_id = '$cap_id' ORDER BY d.year)")" \
  "$(awk -F, '$1 == "demo_capital_metro" { n[$3]++ } END { for (y in n) print y ":" n[y] }' "$SAMPLE/observations.csv" | sort | tr '\n' ' ' | sed 's/ $//')"
expect_equal "datasets of the capital (by hand)" "$(count $N "SELECT group_concat(year || ':' || observations, ' ') FROM (SELECT d.year, d.observations FROM submission_datasets d JOIN submissions_received r ON r.id = d.received_id WHERE r.submission_id = '$cap_id' ORDER BY d.year)")" \
  "2019:20 2020:18 2021:19 2022:19 2023:19 2024:18 2025:20"
sqlite3 $N "SELECT writefile('stored.acvs', package) FROM submissions_received WHERE submission_id = '$cap_id'" >/dev/null
cmp -s stored.acvs demo_capital_metro.acvs || fail "the stored package differs from the file received"

# scores: the capital scored at the ministry with the same framework gives the city's figures
ok --db $N score --area demo_capital_metro --year 2025
expect_equal "capital score at the ministry" "$OUT" "$(cat score-demo_capital_metro.txt)"

# ---- the same package again changes nothing ----------------------------------------------------
before=$(count $N "SELECT count(*) FROM imports") 
ok --db $N submission receive demo_capital_metro.acvs
expect_out "demo_capital_metro.acvs: submission $cap_id from demo_capital_metro (key $cap_key) was received before; nothing changed"
expect_equal "imports after receiving twice" "$(count $N "SELECT count(*) FROM imports")" "$before"

# ---- an incremental package: one value corrected in the capital --------------------------------
printf 'area,indicator,period,value\ndemo_capital_metro,PS.DRR.1,2019,0.4\n' >fix.csv
ok --db demo_capital_metro/acvtrack.db -q import fix.csv
ok --db demo_capital_metro/acvtrack.db submission create --area demo_capital_metro --since 1 -o cap2.acvs
case "$OUT" in
  "submission "*" (package 2 sent): 1 observations, 1 earlier versions, 51 answers, 1 runs for demo_capital_metro (changes since the last package acknowledged), signed with key $cap_key, in cap2.acvs") ;;
  *) fail "incremental create printed: $OUT" ;;
esac
ok --db $N submission receive cap2.acvs
case "$OUT" in
  *": 1 observations (0 new, 1 revised, 0 unchanged), 51 answers, 1 runs, 0 conflicts") ;;
  *) fail "incremental receive printed: $OUT" ;;
esac
[ "$(values $N demo_capital_metro)" = "$(values demo_capital_metro/acvtrack.db demo_capital_metro)" ] || fail "capital after the correction"

# ---- the ministry forwards everything it received to the secretariat --------------------------
ok --db $N keys create "Ministry DEMO"
# only packages whose datasets were all accepted are forwarded (docs/submissions.md, "Review"):
# the ministry accepts every dataset waiting for review first
ok --db $N review
printf '%s\n' "$OUT" | awk 'NR > 3 && NF { print $1, $2 }' >waiting.txt
[ -s waiting.txt ] || fail "no dataset waits for review after the receives: $OUT"
while read -r area year; do ok -q --db $N review accept "$area" "$year"; done <waiting.txt
ok --db $N submission forward --area DEMO -o nat.acvs
nat_key=$(sed -n 's/^id: //p' nat/acvtrack.db.pub)
case "$OUT" in
  "submission "*" (package 1 sent): 4 packages received for DEMO forwarded, signed with key $nat_key, in nat.acvs") ;;
  *) fail "forward printed: $OUT" ;;
esac
nat_id=$(sqlite3 nat.acvs "SELECT value FROM manifest WHERE key = 'submission_id'")
# each city's package is inside, byte for byte
sqlite3 nat.acvs "SELECT writefile('inner1.acvs', package) FROM forwarded WHERE seq = 1" >/dev/null
cmp -s inner1.acvs demo_capital_metro.acvs || fail "the forwarded package differs from the city's"

mkdir sec
S=sec/acvtrack.db
(cd sec && "$ACVTRACK" -q init && "$ACVTRACK" -q areas import ../country.csv) || fail "sec"
ok --db $S keys trust nat/acvtrack.db.pub --areas DEMO
ok --db $S submission receive nat.acvs
# 400 values in the four packages (3 x 133 and the correction); the capital's first package's
# 2019 value is superseded by its second, so 399 are imported; 4 x 51 answers (the answers of
# the capital's second package replace its first's)
expect_out "nat.acvs: forward $nat_id from DEMO (key $nat_key, Ministry DEMO): 4 packages received (0 received before), 399 observations (399 new, 0 revised, 0 unchanged, 1 superseded by a later package), 204 answers, 4 runs, 0 conflicts"
expect_equal "secretariat observations" "$(count $S "SELECT count(*) FROM observations")" 399
for city in $CITIES; do
  [ "$(values $S "$city")" = "$(values $N "$city")" ] || fail "values of $city differ at the secretariat"
done
# one row for the forward and one per city package, inside it (via), with the city's own key
expect_equal "received rows at the secretariat" "$(count $S "SELECT kind || ':' || sender_key || ':' || coalesce(via, 0) FROM submissions_received ORDER BY 1" | tr '\n' ' ')" \
  "$( (echo "forward:$nat_key:0"; for city in $CITIES demo_capital_metro; do echo "submission:$(sed -n 's/^id: //p' $city/acvtrack.db.pub):1"; done) | sort | tr '\n' ' ')"
ok --db $S history --area demo_capital_metro --indicator PS.DRR.1 --year 2020
printf '%s\n' "$OUT" | grep -qF "submission $cap_id from demo_capital_metro, key $cap_key, forwarded in $nat_id by key $nat_key, $SAMPLE/observations.csv:3 " ||
  fail "no chain of custody in: $OUT"
ok --db $S score --area demo_secondary_city --year 2025
expect_equal "secondary city score at the secretariat" "$OUT" "$(cat score-demo_secondary_city.txt)"
ok --db $S submission receive nat.acvs
expect_out "nat.acvs: submission $nat_id from DEMO (key $nat_key) was received before; nothing changed"

# ---- acknowledgement: the next package without --since starts after the acknowledged one -------
C=demo_capital_metro/acvtrack.db
cap2_id=$(sqlite3 cap2.acvs "SELECT value FROM manifest WHERE key = 'submission_id'")
# an id never sent from here is refused, and nothing is written
dump_before=$(sqlite3 $C .dump | sha256sum)
run --db $C submission ack 0123456789abcdef
expect_rc 3
expect_err "acvtrack: submission 0123456789abcdef was not sent from this workspace: nothing acknowledged"
expect_equal "workspace after a refused ack" "$(sqlite3 $C .dump | sha256sum)" "$dump_before"
expect_equal "acknowledged before ack" "$(count $C "SELECT count(*) FROM submissions_sent WHERE acknowledged_at IS NOT NULL")" 0
ok --db $C submission ack "$cap2_id"
expect_out "submission $cap2_id acknowledged: the next 'submission create' of its area without --since or --full holds what changed after it"
expect_equal "acknowledged package" "$(count $C "SELECT id FROM submissions_sent WHERE acknowledged_at IS NOT NULL")" 2
# one value changed after package 2: package 3 (no --since) holds exactly that observation
printf 'area,indicator,period,value\ndemo_capital_metro,PS.DRR.1,2020,0.7\n' >fix3.csv
ok --db $C -q import fix3.csv
ok --db $C submission create --area demo_capital_metro -o cap3.acvs
case "$OUT" in
  "submission "*" (package 3 sent): 1 observations, 1 earlier versions, 51 answers, 1 runs for demo_capital_metro (changes since the last package acknowledged), signed with key $cap_key, in cap3.acvs") ;;
  *) fail "create after ack printed: $OUT" ;;
esac
expect_equal "package 3 observations" "$(sqlite3 cap3.acvs "SELECT area || ' ' || indicator || ' ' || period || ' ' || value FROM observations")" \
  "demo_capital_metro PS.DRR.1 2020 0.7"
expect_equal "package 3 continues package 2" "$(sqlite3 cap3.acvs "SELECT value FROM manifest WHERE key = 'since_submission'")" 2
cap3_id=$(sqlite3 cap3.acvs "SELECT value FROM manifest WHERE key = 'submission_id'")

# ---- the runs a package carried are kept by runs prune ---------------------------------------
# the capital's only stored run (1) went in packages 1, 2 and 3; two forced rounds of the three
# cities store runs 2-4 and 5-7; keeping the latest per (area, year) removes 2-4 and keeps 1
expect_equal "runs carried" "$(sqlite3 cap3.acvs "SELECT group_concat(run_key) FROM runs")" 1
ok --db $C -q score --all --force
ok --db $C -q score --all --force
expect_equal "runs before prune" "$(count $C "SELECT group_concat(id, ' ') FROM (SELECT id FROM runs ORDER BY id)")" "1 2 3 4 5 6 7"
ok --db $C runs prune --keep-latest 1
expect_equal "prune" "$(printf '%s\n' "$OUT" | head -n 1)" \
  "runs prune: 3 of 7 runs removed; kept: 3 latest of their area and year (up to 1 each), 1 older referenced by a report or a submission"
expect_equal "runs after prune" "$(count $C "SELECT group_concat(id, ' ') FROM (SELECT id FROM runs ORDER BY id)")" "1 5 6 7"
ok --db $C runs list --area demo_capital_metro --format csv
expect_equal "run 1 names the submissions" "$(printf '%s\n' "$OUT" | tr -d '\r' | grep '^1,')" \
  "1,demo_capital_metro,2025,$(count $C "SELECT created_at FROM runs WHERE id = 1"),false,$(printf 'submission %s\n' "$cap_id" "$cap2_id" "$cap3_id" | sort | paste -sd ';' | sed 's/;/; /g')"

echo "submissions: ok"
