#!/bin/sh
# Boundary changes (docs/boundaries.md), on the worked example of a Vietnamese commune merger of
# 2025: bad crosswalks refused with file:line and nothing recorded; the merger recorded, the
# dissolved communes left out of 2025's ranking and refused for scoring in 2025; the series
# carried onto the new commune with hand-computed values; and a merger with a split.
set -eu
. "$(dirname "$0")/lib/assert.sh"

FIX="$ACV_SOURCE/tests/fixtures/boundaries"
ok -q init
ok -q areas import "$FIX/vn-communes.csv"
ok -q import "$FIX/vn-observations.csv"

# shares of a predecessor must sum to 1; codes must be known; a failure records nothing
run areas change "$FIX/bad-shares.csv"
expect_rc 3
expect_err "acvtrack: $FIX/bad-shares.csv:4: the shares of predecessor 'VN-EX-C3' sum to 0.9, not 1 (every part of its population goes to a successor; list it as its own successor for the part it keeps)
acvtrack: nothing was recorded"
run areas change "$FIX/bad-code.csv"
expect_rc 3
expect_err "acvtrack: $FIX/bad-code.csv:3: column 'successor': unknown area 'VN-EX-ZZ' (import the areas first with 'acvtrack areas import'; see 'acvtrack areas list')
acvtrack: nothing was recorded"
ok areas list --country VN
case "$OUT" in *"[-"*|*"-]"*) fail "a refused crosswalk changed the areas: $OUT" ;; esac

# the merger: C1, C2 and C3 end in 2024, N begins in 2025
ok areas change "$FIX/vn-merger.csv"
expect_out "$FIX/vn-merger.csv: change 1, a merger from 2025: 3 links; 3 areas end in 2024, 1 begin in 2025"
ok areas change "$FIX/vn-merger.csv"
expect_out "$FIX/vn-merger.csv: already recorded as change 1; nothing changed"
ok areas list --country VN
echo "$OUT" >list.txt
expect_line list.txt "VN-EX-C1               municipality  VN       VN             12000 (2024)  Commune C1 (example) [-2024]"
expect_line list.txt "VN-EX-N                municipality  VN       VN             25000 (2025)  Commune N (example; formed on 1 July 2025) [2025-]"

# carried onto N, hand-computed: households (a count) 3000 + 2100 + 1400 = 6500; SC.EDU.1 (a
# percentage) weighted by population (12000 x 80 + 8000 x 90 + 5000 x 70) / 25000 = 81.2;
# PS.DRR.4 (a score 0-100) not comparable; SC.EDU.1 of 2022 known for C1 only: incomplete
ok areas carry --to VN-EX-N
expect_out "INDICATOR        YEAR   VALUE          RULE                       FROM (PREDECESSOR=VALUE x SHARE)
DE.HH            2023   6500           sum                        VN-EX-C1=3000 x 1, VN-EX-C2=2100 x 1, VN-EX-C3=1400 x 1
PS.DRR.4         2023   -              not comparable             VN-EX-C1=60 x 1, VN-EX-C2=50 x 1, VN-EX-C3=40 x 1
SC.EDU.1         2022   -              incomplete: a predecessor has no value VN-EX-C1=75 x 1
SC.EDU.1         2023   81.2           population-weighted mean   VN-EX-C1=80 x 1, VN-EX-C2=90 x 1, VN-EX-C3=70 x 1
VN-EX-N: import 2: 2 values carried from before 2025; 1 not comparable, 1 incomplete"
ok history --area VN-EX-N --indicator SC.EDU.1
expect_equal "carried SC.EDU.1" "$(echo "$OUT" | awk 'NR == 3 { print $1, $2, $3 }')" "2023 81.2 estimated"
ok history --area VN-EX-N --indicator DE.HH
expect_equal "carried DE.HH" "$(echo "$OUT" | awk 'NR == 3 { print $1, $2 }')" "2023 6500"
# carried values are an import like any other: taken back by imports revert
ok imports revert 2 --dry-run
case "$OUT" in *"2 values"*) ;; *) fail "revert of the carry: $OUT" ;; esac

# scores over time use the boundaries of the year: C1 has no boundaries in 2025
run score --area VN-EX-C1 --year 2025
expect_rc 3
expect_err "acvtrack: area 'VN-EX-C1' ended in 2024 with a boundary change; in 2025 its population is in VN-EX-N (score that area; 'acvtrack areas carry --to CODE' carries the older series onto it)"
ok -q score --area VN-EX-C1 --year 2024
ok -q score --area VN-EX-N --year 2025
# score --all --year 2025 leaves the dissolved communes out
ok score --all --force --verbose --year 2025
case "$OUT" in *VN-EX-C1*) fail "score --all scored a dissolved commune in 2025: $OUT" ;; esac
case "$OUT" in *"VN-EX-N 2025"*) ;; *) fail "score --all left out the new commune: $OUT" ;; esac
ok rank --country VN --year 2025
case "$OUT" in *VN-EX-C1*) fail "a dissolved commune ranked in 2025: $OUT" ;; esac
case "$OUT" in *VN-EX-N*) ;; *) fail "the new commune is not in 2025's ranking: $OUT" ;; esac
ok rank --country VN --year 2024
case "$OUT" in *VN-EX-N*) fail "the new commune ranked in 2024: $OUT" ;; esac
case "$OUT" in *VN-EX-C1*) ;; *) fail "C1 is not in 2024's ranking: $OUT" ;; esac

# a merger with a split, in a workspace of its own: 60% of C3's population went to N, 40% to M.
# Households 3000 + 2100 + 0.6 x 1400 = 5940; SC.EDU.1 (12000 x 80 + 8000 x 90 + 0.6 x 5000 x 70)
# / (12000 + 8000 + 0.6 x 5000) = 1890000 / 23000 = 82.1739130434783
export ACVTRACK_DB="$ACV_TMP/split.db"
ok -q init
ok -q areas import "$FIX/vn-communes.csv"
ok -q import "$FIX/vn-observations.csv"
ok areas change "$FIX/vn-split.csv"
expect_out "$FIX/vn-split.csv: change 1, a merger and split from 2025: 5 links; 3 areas end in 2024, 1 begin in 2025"
ok areas carry --to VN-EX-N --dry-run
echo "$OUT" >split.txt
expect_line split.txt "DE.HH            2023   5940           sum                        VN-EX-C1=3000 x 1, VN-EX-C2=2100 x 1, VN-EX-C3=1400 x 0.6"
expect_line split.txt "SC.EDU.1         2023   82.1739130434783 population-weighted mean   VN-EX-C1=80 x 1, VN-EX-C2=90 x 1, VN-EX-C3=70 x 0.6"
expect_line split.txt "VN-EX-N: dry run, nothing written: would be import 2: 2 values carried from before 2025; 1 not comparable, 1 incomplete"
ok history --area VN-EX-N --indicator DE.HH
expect_equal "dry run wrote nothing" "$(echo "$OUT" | head -1)" "VN-EX-N DE.HH: 0 values, 0 earlier versions"
