#!/bin/sh
# Review of submitted datasets through the command line (docs/submissions.md, "Review"): two
# cities submit their 2025 data to the ministry; the capital's is returned with a comment on one
# value, the signed return file goes back to the city, which sees it in `status`, corrects the
# value and submits again; the ministry accepts it. The secondary city's stays returned, the
# coastal town never reports. The listing says exactly that, against the shipped calendar.
set -eu
. "$(dirname "$0")/lib/assert.sh"

export ACVTRACK_USER=somchai
mkdir nat cap sec
N=nat/acvtrack.db
C=cap/acvtrack.db
D=sec/acvtrack.db
for db in $N $C $D; do
  ok -q --db $db init
  ok -q --db $db areas import "$SAMPLE/areas.csv"
done
printf 'area,indicator,period,value\ndemo_capital_metro,EC.MSME.1,2025,42\ndemo_capital_metro,PS.DRR.4,2025,60\n' >cap.csv
printf 'area,indicator,period,value\ndemo_secondary_city,EC.MSME.1,2025,30\n' >sec.csv
ok -q --db $C import cap.csv
ok -q --db $D import sec.csv
ok -q --db $C keys create Capital
ok -q --db $D keys create Secondary
ok -q --db $N keys create Ministry
ok -q --db $N keys trust $C.pub --areas demo_capital_metro
ok -q --db $N keys trust $D.pub --areas demo_secondary_city
ok -q --db $C keys trust $N.pub --areas demo_capital_metro
cap_key=$(sed -n 's/^id: //p' $C.pub)
nat_key=$(sed -n 's/^id: //p' $N.pub)

# nothing waits yet; a decision on a draft is refused and records nothing
ok --db $N review
expect_out "No dataset waits for review."
run --db $N review accept demo_capital_metro 2025
expect_rc 3
expect_err "acvtrack: cannot accept demo_capital_metro 2025: it is a draft: nothing was submitted to accept
acvtrack: nothing was recorded"
run --db $N review return demo_capital_metro 2025 --indicator EC.MSME.1
expect_rc 2

ok -q --db $C submission create --area demo_capital_metro --year 2025 -o cap1.acvs
ok -q --db $D submission create --area demo_secondary_city --year 2025 -o sec1.acvs
today=$(date -u +%Y-%m-%d)
ok -q --db $N submission receive cap1.acvs sec1.acvs
ok --db $N review
printf '%s\n' "$OUT" | sed "s/${today}T[0-9:]*Z/TIME/; s/submission [0-9a-f]*$/submission S/" >waiting.txt
expect_equal "waiting" "$(cat waiting.txt)" "2 datasets wait for review (accept or return each):

AREA                 YEAR  BEFORE  RECEIVED              FROM
demo_capital_metro   2025  draft   TIME  submission S
demo_secondary_city  2025  draft   TIME  submission S"
# receiving the same package again records nothing
ok -q --db $N submission receive cap1.acvs
ok --db $N review history demo_capital_metro 2025
expect_equal "decisions after a second receive" "$(printf '%s\n' "$OUT" | head -1)" \
  "Review of demo_capital_metro: 1 decision, oldest first"

# the ministry returns the capital's dataset, with the signed file for the city
ok --db $N review return demo_capital_metro 2025 --comment "one value to check" \
  --indicator EC.MSME.1 --period 2025 --comment "42 is twice the 2024 value; a unit error?" \
  -o cap-return.yml
case "$OUT" in
  "demo_capital_metro 2025: submitted -> returned by somchai at ${today}T"*"Z (decision 3, 2 comments)") ;;
  *) fail "review return printed: $OUT" ;;
esac
grep -qx "key_id: \"$nat_key\"" cap-return.yml || fail "the return file does not name the ministry's key"
ok -q --db $N review return demo_secondary_city 2025 --comment "the source of EC.MSME.1 is missing"
run --db $N review accept demo_capital_metro 2025
expect_rc 3
case "$ERR" in
  "acvtrack: cannot accept demo_capital_metro 2025: it was returned and waits for a corrected submission; accept that one (returned by somchai at ${today}T"*) ;;
  *) fail "accepting a returned dataset: $ERR" ;;
esac

# a changed byte, or a city that does not trust the ministry's key: refused, nothing recorded
sed 's/twice/three times/' cap-return.yml >tampered.yml
run --db $C review import-return tampered.yml
expect_rc 3
expect_err "acvtrack: tampered.yml: the signature does not match the content (the file was changed after it was signed, or damaged)
acvtrack: nothing was imported"
run --db $D review import-return cap-return.yml
expect_rc 3
expect_err "acvtrack: cap-return.yml: signed by key $nat_key, which this workspace does not trust for demo_capital_metro (acvtrack keys trust THEIR-KEY.pub --areas demo_capital_metro)
acvtrack: nothing was imported"

# the city imports the return; status lists the returned value and its comment
ok --db $C review import-return cap-return.yml
expect_out "cap-return.yml: demo_capital_metro 2025 returned, 2 comments; see 'acvtrack status --area demo_capital_metro'"
ok --db $C review import-return cap-return.yml
expect_out "cap-return.yml: demo_capital_metro 2025: this return was imported before; nothing changed"
ok --db $C status --area demo_capital_metro --year 2025
printf '%s\n' "$OUT" | sed -n '/^Review$/,$p' | sed "s/at ${today}T[0-9:]*Z/at TIME/" >review-status.txt
expect_equal "status at the city" "$(cat review-status.txt)" "Review
  2025: returned by somchai (key $nat_key) at TIME (return file cap-return.yml)
    dataset: one value to check
    EC.MSME.1 2025: 42 is twice the 2024 value; a unit error?
      now 42 (2025, from cap.csv:2): not changed since"

# corrected and submitted again: the value 21 reaches the ministry, which accepts it
printf 'area,indicator,period,value\ndemo_capital_metro,EC.MSME.1,2025,21\n' >fix.csv
ok -q --db $C import fix.csv
ok --db $C status --area demo_capital_metro --year 2025
expect_equal "corrected" "$(printf '%s\n' "$OUT" | tail -1)" "      now 21 (2025, from fix.csv:2): changed since the return"
ok -q --db $C submission create --area demo_capital_metro --year 2025 -o cap2.acvs
ok -q --db $N submission receive cap2.acvs
ok --db $N review
expect_equal "waiting again" "$(printf '%s\n' "$OUT" | sed -n 4p | awk '{ print $1, $2, $3 }')" \
  "demo_capital_metro 2025 returned"
ok --db $N review accept demo_capital_metro 2025
case "$OUT" in
  "demo_capital_metro 2025: submitted -> accepted by somchai at ${today}T"*"Z (decision 6, 0 comments)") ;;
  *) fail "review accept printed: $OUT" ;;
esac
ok --db $N history --area demo_capital_metro --indicator EC.MSME.1
# 42 kept as the earlier version, 21 current, from the city's fix.csv line 2
expect_equal "values at the ministry" "$(printf '%s\n' "$OUT" | awk 'NR > 2 { print $1, $2, $4 }')" "2025 42 replaced
2025 21 current"
printf '%s\n' "$OUT" | grep -q "current .*, key $cap_key, fix.csv:2 " || fail "provenance of 21: $OUT"
ok --db $N review history demo_capital_metro 2025
printf '%s\n' "$OUT" | sed "s/at ${today}T[0-9:]*Z/at TIME/; s/submission [0-9a-f]*)/submission S)/; s/key [0-9a-f]*)/key K)/" >history.txt
expect_equal "history" "$(cat history.txt)" "Review of demo_capital_metro: 4 decisions, oldest first
  2025: draft -> submitted by Capital (key K) at TIME (submission S)
  2025: submitted -> returned by somchai (key K) at TIME (review)
    dataset: one value to check
    EC.MSME.1 2025: 42 is twice the 2024 value; a unit error?
  2025: returned -> submitted by Capital (key K) at TIME (submission S)
  2025: submitted -> accepted by somchai (key K) at TIME (review)"
run --db $N review return demo_capital_metro 2025 --comment "again"
expect_rc 3
case "$ERR" in
  "acvtrack: cannot return demo_capital_metro 2025: an accepted dataset is not returned; a new submission reopens it (accepted by somchai at ${today}T"*) ;;
  *) fail "returning an accepted dataset: $ERR" ;;
esac

# the listing, against the shipped calendar (2025 due on 2026-03-31): both received after the
# deadline (late); the coastal town sent nothing: overdue after the deadline, not yet due before
ok --db $N submissions --year 2025 --country DEMO --as-of 2026-05-01
printf '%s\n' "$OUT" | sed "s/$today/TODAY/g" >listing.txt
expect_equal "listing" "$(cat listing.txt)" "Submissions for 2025: DEMO, as of 2026-05-01
3 areas expected: 1 accepted, 1 returned, 0 submitted (waiting for review), 1 missing; 2 late, 1 overdue
SCORE HERE: the latest run of the year in this workspace, with its own framework; SENDER'S SCORE: the
area's own run that its package carried, with the sender's framework and overlay (not comparable as such).

AREA                 NAME                             STATE     RECEIVED    DEADLINE    TIMELINESS  SCORE HERE  SENDER'S SCORE  DECIDED
demo_capital_metro   Demo capital metro (fictional)   accepted  TODAY  2026-03-31  late        -           -               TODAY by somchai
demo_coastal_town    Demo coastal town (fictional)    missing   -           2026-03-31  overdue     -           -               -
demo_secondary_city  Demo secondary city (fictional)  returned  TODAY  2026-03-31  late        -           -               TODAY by somchai"
ok --db $N submissions --year 2025 --country DEMO --as-of 2026-03-31 -o listing.csv
tr -d '\r' <listing.csv | sed "s/${today}T[0-9:]*Z/TIME/g" >listing.txt
expect_equal "listing.csv" "$(cat listing.txt)" "year,area,name,country,state,received_at,deadline,timeliness,decided_at,decided_by,score,score_overlay,sender_score,sender_overlay
2025,demo_capital_metro,Demo capital metro (fictional),DEMO,accepted,TIME,2026-03-31,late,TIME,somchai,,,,
2025,demo_coastal_town,Demo coastal town (fictional),DEMO,missing,,2026-03-31,not due yet,,,,,,
2025,demo_secondary_city,Demo secondary city (fictional),DEMO,returned,TIME,2026-03-31,late,TIME,somchai,,,,"
ok -q --db $N submissions --year 2025 --country DEMO -o listing.html
grep -q '<td class="accepted">accepted</td>' listing.html || fail "listing.html has no accepted row"
run --db $N submissions --year 2025 --format xml
expect_rc 2

# forwarding carries the accepted capital's packages only
ok --db $N submission forward --area DEMO -o nat.acvs
case "$OUT" in
  "submission "*" (package 1 sent): 2 packages received for DEMO forwarded, signed with key $nat_key, in nat.acvs") ;;
  *) fail "forward printed: $OUT" ;;
esac
echo "review: ok"
