#!/bin/sh
# What `submission receive` refuses, each with its message and nothing written to the receiving
# workspace (docs/submissions.md, "What is refused"): one byte changed anywhere, a truncated
# package, an untrusted key, a key not allowed for an area, a package from a newer acvtrack,
# another framework, files that are not packages, a package over the size limit; and kill -9
# at random points of a receive leaves the workspace without the package or with all of it.
set -eu
. "$(dirname "$0")/lib/assert.sh"

# a city with data and a key; a second city whose key the ministry does not trust
for city in demo_capital_metro demo_secondary_city; do
  mkdir "$city"
  (cd "$city" && "$ACVTRACK" -q init && "$ACVTRACK" -q areas import "$SAMPLE/areas.csv" &&
    "$ACVTRACK" -q import "$SAMPLE/observations.csv" 2>/dev/null &&
    "$ACVTRACK" -q keys create "$city") || fail "setting up $city"
  ok --db "$city/acvtrack.db" -q submission create --area "$city" -o "$city.acvs"
done
mkdir nat
N=nat/acvtrack.db
(cd nat && "$ACVTRACK" -q init && "$ACVTRACK" -q areas import "$SAMPLE/areas.csv") || fail "nat"
ok --db $N keys trust demo_capital_metro/acvtrack.db.pub --areas demo_capital_metro
cap_key=$(sed -n 's/^id: //p' demo_capital_metro/acvtrack.db.pub)

# everything the workspace holds, to show a refusal wrote nothing
state() {
  sqlite3 $N .dump | sha256sum
}
BEFORE=$(state)
# refused FILE MESSAGE: receive FILE exits 3 with MESSAGE and the workspace is unchanged
refused() {
  run --db $N submission receive "$1"
  expect_rc 3
  expect_err "acvtrack: $2"
  expect_equal "workspace after refusing $1" "$(state)" "$BEFORE"
}
# refused_any FILE: exits 3 with a message naming FILE, the workspace unchanged
refused_any() {
  run --db $N submission receive "$1"
  expect_rc 3
  case "$ERR" in "acvtrack: $1"*) ;; *) fail "receive $1: $ERR" ;; esac
  expect_equal "workspace after refusing $1" "$(state)" "$BEFORE"
}
# flip FILE OFFSET: adds one to the byte at OFFSET
flip() {
  b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
  printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

SIZE=$(wc -c <demo_capital_metro.acvs)
# ---- one byte changed: every 4999th byte, the first and last, and each of the signature's ----
SIG_AT=$(sqlite3 demo_capital_metro.acvs "SELECT hex(substr(seal, 1, 32)) FROM signature" | tr 'A-F' 'a-f')
mark_at=$(od -An -v -tx1 demo_capital_metro.acvs | tr -d ' \n' | grep -ob "$SIG_AT" | cut -d: -f1)
[ -n "$mark_at" ] || fail "the signature's mark is not in the file"
sig_at=$(( mark_at / 2 + 32 ))
offsets="0 99 $(( SIZE - 1 )) $sig_at $(( sig_at + 63 )) $(( sig_at - 1 ))"
o=7
while [ $o -lt "$SIZE" ]; do offsets="$offsets $o"; o=$(( o + 4999 )); done
n=0
for off in $offsets; do
  cp demo_capital_metro.acvs t.acvs
  flip t.acvs "$off"
  cmp -s t.acvs demo_capital_metro.acvs && fail "byte $off did not change"
  refused_any t.acvs
  n=$(( n + 1 ))
done
[ $n -gt 20 ] || fail "only $n tampered copies tried"
# a byte of the data itself: the signature says so
cp demo_capital_metro.acvs t.acvs
flip t.acvs $(( SIZE / 2 ))
run --db $N submission receive t.acvs
case "$ERR" in
  "acvtrack: t.acvs: the signature does not verify: the package was changed after key $cap_key signed it, or it is damaged; nothing was received"|"acvtrack: t.acvs: not a readable submission package"*) ;;
  *) fail "tampered: $ERR" ;;
esac
# a value changed with SQLite itself (a well-formed file): the signature fails
cp demo_capital_metro.acvs t.acvs
sqlite3 t.acvs "UPDATE observations SET value = value + 1 WHERE indicator = 'PS.DRR.1' AND period = '2019'"
refused t.acvs "t.acvs: the signature does not verify: the package was changed after key $cap_key signed it, or it is damaged; nothing was received"

# ---- truncated --------------------------------------------------------------------------------
head -c $(( SIZE / 2 )) demo_capital_metro.acvs >half.acvs
refused_any half.acvs
head -c 50 demo_capital_metro.acvs >head.acvs
refused head.acvs "head.acvs: not a submission package: not a SQLite database (or it is truncated)"

# ---- keys -------------------------------------------------------------------------------------
sec_key=$(sed -n 's/^id: //p' demo_secondary_city/acvtrack.db.pub)
refused demo_secondary_city.acvs "demo_secondary_city.acvs: signed by key $sec_key (demo_secondary_city), which this workspace does not trust (add it with 'acvtrack keys trust PUBLIC-KEY-FILE --areas CODES'); nothing was received"
# the capital's key may submit for the capital only
ok --db demo_capital_metro/acvtrack.db -q submission create --area demo_secondary_city -o other.acvs
refused other.acvs "other.acvs: key $cap_key (demo_capital_metro) may not submit for area 'demo_secondary_city' (see 'acvtrack keys list'); nothing was received"
# the whole country neither
ok --db demo_capital_metro/acvtrack.db -q submission create --area DEMO -o country.acvs
refused country.acvs "country.acvs: key $cap_key (demo_capital_metro) may not submit for area 'DEMO' (see 'acvtrack keys list'); nothing was received"

# ---- a newer acvtrack: a table this one does not know, a newer format -------------------------
cp demo_capital_metro.acvs newer.acvs
sqlite3 newer.acvs "CREATE TABLE targets(area TEXT, value REAL); CREATE TABLE zones(code TEXT)"
refused newer.acvs "newer.acvs: made by a newer acvtrack: tables this acvtrack does not know (targets, zones); upgrade acvtrack to receive it"
cp demo_capital_metro.acvs format.acvs
sqlite3 format.acvs "PRAGMA user_version = 2"
refused format.acvs "format.acvs: made by a newer acvtrack (package format 2; this acvtrack reads up to 1); upgrade acvtrack to receive it"

# ---- another framework ------------------------------------------------------------------------
mkdir cmci
(cd cmci && "$ACVTRACK" -q --framework "$ACV_SOURCE/indicators/frameworks/cmci" init &&
  "$ACVTRACK" -q --framework "$ACV_SOURCE/indicators/frameworks/cmci" areas import "$SAMPLE/areas.csv" &&
  "$ACVTRACK" -q keys create cmci) || fail "cmci workspace"
ok --db cmci/acvtrack.db --framework "$ACV_SOURCE/indicators/frameworks/cmci" -q submission create --area demo_coastal_town -o cmci.acvs
ok --db $N keys trust cmci/acvtrack.db.pub --areas demo_coastal_town
BEFORE=$(state)
fw_id=$(sqlite3 cmci.acvs "SELECT value FROM manifest WHERE key = 'framework_id'")
expect_equal "cmci framework id" "$fw_id" "ph-cmci"
refused cmci.acvs "cmci.acvs: made with framework 'ph-cmci', this workspace uses 'acv2045-asean-starter': a package is received into a workspace of the same framework; nothing was received"

# ---- not a package ----------------------------------------------------------------------------
: >empty.acvs
refused empty.acvs "empty.acvs: not a submission package: the file is empty"
sqlite3 random.acvs "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
refused random.acvs "random.acvs: not a submission package: a SQLite database of another application (application_id 0)"
cp demo_capital_metro/acvtrack.db workspace.acvs
refused workspace.acvs "workspace.acvs: not a submission package: it is an acvtrack workspace (make a package with 'acvtrack submission create')"
printf 'PK\003\004\024\000\000\000\010\000' >zip.acvs
cat demo_capital_metro.acvs >>zip.acvs
refused zip.acvs "zip.acvs: not a submission package: it is a zip archive (send the .acvs file itself)"
printf 'area,indicator,period,value\n' >csv.acvs
refused csv.acvs "csv.acvs: not a submission package: not a SQLite database (or it is truncated)"

# ---- too large --------------------------------------------------------------------------------
ACVTRACK_MAX_PACKAGE_BYTES=4096 run --db $N submission receive demo_capital_metro.acvs
expect_rc 3
expect_err "acvtrack: demo_capital_metro.acvs: larger than the 4096 bytes a package may have (set ACVTRACK_MAX_PACKAGE_BYTES to allow more); nothing was received"
expect_equal "workspace after a package too large" "$(state)" "$BEFORE"

# ---- kill -9 during receive: without the package or with all of it ---------------------------
obs_before=$(sqlite3 $N "SELECT count(*) FROM observations")
cp $N base.db
for delay in 0.01 0.03 0.05 0.08 0.12 0.2; do
  rm -f k.db k.db-wal k.db-shm
  cp base.db k.db
  "$ACVTRACK" --db k.db submission receive demo_capital_metro.acvs >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  got=$(sqlite3 k.db "SELECT count(*) FROM submissions_received; SELECT count(*) FROM observations; SELECT count(*) FROM imports" | tr '\n' ' ')
  case "$got" in
    "0 $obs_before 0 ") state_k=without ;;
    "1 $(( obs_before + 133 )) 1 ") state_k=with ;;
    *) fail "after kill -9 at $delay s: received, observations, imports = $got" ;;
  esac
  # either way the workspace works and ends up with the package once
  run --db k.db submission receive demo_capital_metro.acvs
  expect_rc 0
  expect_equal "observations after receiving again ($state_k)" "$(sqlite3 k.db "SELECT count(*) FROM observations")" $(( obs_before + 133 ))
done

echo "submission_bad_input: ok"
