#!/bin/sh
# The opensdg importer on the shapes real Open SDG repositories have (tests/fixtures/opensdg/<case>,
# one small repository per defect class): every numeric row is imported or skipped with its file,
# line and reason (numeric rows = imported + skipped, exactly), disaggregations kept for any id,
# series codes bounded, only data/ files read, damaged files reported, `..`/`-` counted by marker,
# provenance in `history`, and export → import giving the same observations, units and series.
set -eu
. "$(dirname "$0")/lib/assert.sh"

FX="$ACV_SOURCE/tests/fixtures/opensdg"
ok -q init

# the plugin's account line "opensdg: numeric rows N = imported A + skipped S"
account() {
  printf '%s\n' "$ERR" | sed -n 's/^lua: opensdg: numeric rows //p'
}
# stored observations of an area: code|disaggregation|period|value, from `history` of each code
stored() {
  area=$1
  shift
  for code in "$@"; do
    ok history --area "$area" --indicator "$code"
    printf '%s\n' "$OUT" | awk -v c="$code" 'NR > 2 {
      if ($2 ~ /=/) print c "|" $2 "|" $1 "|" $3; else print c "||" $1 "|" $2 }'
  done
}

# A. empty columns after Value (Year,Units,GeoCode,Value,,,,): every row read; E. history names
# the repository file and line
ok import --format opensdg --opt area=A "$FX/trailing-columns"
expect_equal "A account" "$(account)" "3 = imported 3 + skipped 0"
expect_out "opensdg: 1 files read; import 1: 1 areas and 1 data series added; 3 observations: 3 new, 0 revised, 0 unchanged"
ok history --area A --indicator SDG:1.2.1
printf '%s\n' "$OUT" | awk 'NR > 2 { if ($2 ~ /=/) print $1, $2, $3, $7; else print $1, $2, $6 }' >a.txt
printf '%s\n' "2018 GeoCode=ES51 12.5 trailing-columns/data/indicator_1-2-1.csv:2" \
  "2019 GeoCode=ES51 13 trailing-columns/data/indicator_1-2-1.csv:3" \
  "2020 14.25 trailing-columns/data/indicator_1-2-1.csv:4" >a.expected
cmp -s a.txt a.expected || fail "A stored as $(cat a.txt)"

# B. national four-part and local ids keep every disaggregation (8 rows, 8 observations)
ok import --format opensdg --opt area=B "$FX/national-ids"
expect_equal "B account" "$(account)" "8 = imported 8 + skipped 0"
stored B 8.3.1.1 5.5.2a >b.txt
printf '%s\n' "8.3.1.1||2020|40.5" "8.3.1.1|Sex=Female|2020|38" "8.3.1.1|Sex=Male|2020|43" \
  "8.3.1.1||2021|41" "8.3.1.1|Sex=Female|2021|39" "5.5.2a||2019|21.5" >b.expected
# ("Age group=15-24 years" has spaces, which this column split cannot read: those two rows are
# counted by the history line below)
grep -v '|Age$' b.txt >b2.txt || true
cmp -s b2.txt b.expected || fail "B stored as $(cat b.txt)"
ok history --area B --indicator 5.5.2a
expect_equal "5.5.2a values" "$(printf '%s\n' "$OUT" | head -1)" \
  "B 5.5.2a: 3 values, 0 earlier versions"

# C. labels longer than a series code: the code is bounded (100 characters: 91 of the full code,
# "~" and its FNV-1a hash), the disaggregation keeps its label in full
ok import --format opensdg --opt area=C "$FX/long-labels"
expect_equal "C account" "$(account)" "3 = imported 3 + skipped 0"
LONG="SDG:16.3.3|Series=Proportion of victims of violence in the previous 12 months who reported ~48313aa0"
expect_equal "C code length" "${#LONG}" "100"
ok history --area C --indicator "$LONG"
case "$OUT" in *"Physical assault reported to the police or other competent authorities in the twelve months before the survey"*) ;;
  *) fail "C: the long disaggregation label was not kept: $OUT" ;; esac
expect_equal "C values" "$(printf '%s\n' "$OUT" | head -1 | sed 's/.*: //')" "2 values, 0 earlier versions"

# D. a copy in a subfolder of data/ is not read (its 2 rows skipped); 8.0 repeats 8 (numbers
# compared, not text); 9.5 conflicts with 9 and the first value stays
ok import --format opensdg --opt area=D "$FX/subfolder-copy"
expect_equal "D account" "$(account)" "7 = imported 3 + skipped 4"
expect_err_tail="subfolder-copy/data/indicator_1-1-1/indicator_1-1-1.csv:2: not an indicator file (Open SDG reads data/indicator_*.csv and data/*-*.csv only); row skipped
subfolder-copy/data/indicator_1-1-1/indicator_1-1-1.csv:3: not an indicator file (Open SDG reads data/indicator_*.csv and data/*-*.csv only); row skipped
subfolder-copy/data/indicator_1-1-1.csv:4: repeats line 3 (same series, disaggregation and year, same value); row skipped
subfolder-copy/data/indicator_1-1-1.csv:6: conflicts with line 5 (same series, disaggregation and year 2017, value 9); row skipped"
expect_equal "D listing" "$(printf '%s\n' "$ERR" | grep -v '^lua: ')" "$expect_err_tail"
expect_equal "D summary" "$(printf '%s\n' "$OUT" | tail -1)" "opensdg: 7 rows: 3 imported, 4 skipped (listed on stderr)"
stored D SDG:1.1.1 >d.txt
printf '%s\n' "SDG:1.1.1||2015|7" "SDG:1.1.1||2016|8" "SDG:1.1.1||2017|9" >d.expected
cmp -s d.txt d.expected || fail "D stored as $(cat d.txt)"

# the same with --rejects: every skipped row in the file, with its file, line and reason
ok import --format opensdg --opt area=D2 --rejects d-rejects.csv "$FX/subfolder-copy"
expect_equal "D rejects summary" "$(printf '%s\n' "$OUT" | tail -1)" "opensdg: 7 rows: 3 imported, 4 rejected (written to d-rejects.csv)"
tr -d '\r' <d-rejects.csv >d-rejects.txt # the rejects file ends its lines with CRLF
expect_line d-rejects.txt "subfolder-copy/data/indicator_1-1-1.csv,6,\"conflicts with line 5 (same series, disaggregation and year 2017, value 9); row skipped\",D2,SDG:1.1.1,2017,9.5,,,,"
expect_equal "D rejects rows" "$(($(wc -l <d-rejects.csv) - 1))" "4"

# damaged files: a last line without a newline may be cut (3607 of 3607.9): skipped, not stored
# (the only other file is not valid CSV, so nothing shows how this repository ends its files);
# a file cut inside a quoted cell: its 2 numeric rows counted and skipped
ok import --format opensdg --opt area=E "$FX/damaged"
expect_equal "damaged account" "$(account)" "4 = imported 1 + skipped 3"
case "$ERR" in *"damaged/data/indicator_2-1-1.csv:3: the file ends inside this line without a newline and no other data file shows whether this repository ends its files with one: the value '3607' may have been cut; row skipped"*) ;;
  *) fail "damaged: the cut line is not reported: $ERR" ;; esac
expect_equal "damaged reasons" "$(printf '%s\n' "$ERR" | sed -n 's/^lua: opensdg: skipped rows by reason: //p')" \
  "file not read: 2; last line without a newline: 1"
stored E SDG:2.1.1 >e.txt
expect_equal "damaged stored" "$(cat e.txt)" "SDG:2.1.1||2017|3500.5"

# a last line without a newline (docs/plugins.md "Damaged files"): 2-2-1 ends with a newline, so
# 2-2-2's unterminated "2018,3607" may be a cut download and is skipped; 2-2-3 (",," after the
# value), 2-2-4 (a quoted "4.75") and 2-2-5 (a CRLF file that lost only its last "\n") mark where
# their value ends, so theirs are whole: 10 numeric rows = 9 imported + 1 skipped
ok import --format opensdg --opt area=NL "$FX/newline-cut"
expect_equal "newline-cut account" "$(account)" "10 = imported 9 + skipped 1"
expect_equal "newline-cut listing" "$(printf '%s\n' "$ERR" | grep -v '^lua: ')" \
  "newline-cut/data/indicator_2-2-2.csv:3: the file ends inside this line without a newline while 1 other data file of the repository ends with one (a cut download?): the value '3607' may have been cut; row skipped"
stored NL SDG:2.2.3 SDG:2.2.4 SDG:2.2.5 >nl.txt
printf '%s\n' "SDG:2.2.3||2017|1" "SDG:2.2.3||2018|2.5" "SDG:2.2.4||2017|4" "SDG:2.2.4||2018|4.75" \
  "SDG:2.2.5||2017|6" "SDG:2.2.5||2018|6.5" >nl.expected
cmp -s nl.txt nl.expected || fail "newline-cut stored as $(cat nl.txt)"
# no data file of the repository ends with a newline: that is how it writes them, the last
# lines are read (3 numeric rows, all imported) and the summary says so
ok import --format opensdg --opt area=NN "$FX/no-final-newline"
expect_equal "no-final-newline account" "$(account)" "3 = imported 3 + skipped 0"
case "$ERR" in *"lua: opensdg: 2 data files end without a newline, as every data file of this repository does: their last lines were read as whole"*) ;;
  *) fail "no-final-newline: no summary line: $ERR" ;; esac
stored NN SDG:3.2.1 SDG:3.2.2 >nn.txt
printf '%s\n' "SDG:3.2.1||2019|8.25" "SDG:3.2.2||2019|40" "SDG:3.2.2|Sex=Female|2019|41.5" >nn.expected
cmp -s nn.txt nn.expected || fail "no-final-newline stored as $(cat nn.txt)"

# the rejects file has the disaggregation of a skipped row (and its series code): 12.5 conflicts
# with 11 (Sex=Female, 2020); corrected to 2021 and with the first three columns cut it is a
# long-layout CSV that imports into the same series and disaggregation
ok import --format opensdg --opt area=R --rejects r-rejects.csv "$FX/rejects-disaggregated"
expect_equal "R account" "$(account)" "3 = imported 2 + skipped 1"
tr -d '\r' <r-rejects.csv >r-rejects.txt
expect_line r-rejects.txt "rejects-disaggregated/data/indicator_5-1-1.csv,4,\"conflicts with line 3 (same series, disaggregation and year 2020, value 11); row skipped\",R,SDG:5.1.1,2020,12.5,,,,Sex=Female"
sed -n '1s/^file,line,error,//p; 2s/^.*row skipped",//p' r-rejects.txt | sed '2s/,2020,/,2021,/' >r-fixed.csv
ok import r-fixed.csv
stored R SDG:5.1.1 >r.txt
printf '%s\n' "SDG:5.1.1||2020|10" "SDG:5.1.1|Sex=Female|2020|11" "SDG:5.1.1|Sex=Female|2021|12.5" >r.expected
cmp -s r.txt r.expected || fail "R stored as $(cat r.txt)"

# the markers of values not available, counted by marker in the summary: 3 marked, 1 blank,
# 1 other text (n/a); 1 numeric row
ok import --format opensdg --opt area=M "$FX/markers"
expect_equal "markers account" "$(account)" "1 = imported 1 + skipped 0"
case "$ERR" in *"1 rows without a value; 3 rows marked not available ('-' 1, '..' 2); 1 rows with other text values"*) ;;
  *) fail "markers: no counts by marker: $ERR" ;; esac

# a capped listing on the terminal says how many more there are; --rejects has them all:
# 60 numeric rows of a file Open SDG does not read = 50 listed + 10 more
mkdir -p many/data many/meta # an empty folder too: read as no files
{ echo "Year,Value"; i=0; while [ $i -lt 60 ]; do echo "$((1960 + i)),$i"; i=$((i + 1)); done; } >many/data/other.csv
ok import --format opensdg --opt area=N many
expect_equal "many account" "$(account)" "60 = imported 0 + skipped 60"
expect_equal "many listed" "$(printf '%s\n' "$ERR" | grep -c '^many/data/other.csv:')" "50"
expect_equal "many more" "$(printf '%s\n' "$ERR" | tail -1)" \
  "opensdg: 10 more skipped rows not listed here (--rejects FILE writes every one with its file, line and reason)"
ok import --format opensdg --opt area=N2 --rejects many-rejects.csv many
expect_equal "many rejects rows" "$(($(wc -l <many-rejects.csv) - 1))" "60"
tr -d '\r' <many-rejects.csv >many-rejects.txt
expect_line many-rejects.txt "many/data/other.csv,61,not an indicator file (Open SDG reads data/indicator_*.csv and data/*-*.csv only); row skipped,N2,,2019,59,,,,"

# units and series: the first unit (Cyrillic) is the series' unit, the second unit a series of
# its own; round trip: export, import into a fresh workspace, export again: the same files (17
# significant digits, units, disaggregations); re-importing marks nothing as changed
ok import --format opensdg --opt area=U "$FX/units"
expect_equal "U account" "$(account)" "4 = imported 4 + skipped 0"
ok history --area U --indicator SDG:4.1.1
expect_equal "U first unit" "$(printf '%s\n' "$OUT" | head -1)" "U SDG:4.1.1: 3 values, 0 earlier versions"
ok history --area U --indicator "SDG:4.1.1|UNIT_MEASURE=PERCENT"
expect_equal "U second unit" "$(printf '%s\n' "$OUT" | head -1)" "U SDG:4.1.1|UNIT_MEASURE=PERCENT: 1 value, 0 earlier versions"
ok --db rt.db -q init
ok import --format opensdg --opt area=S "$FX/series-comments"
expect_equal "S account" "$(account)" "5 = imported 5 + skipped 0"
for a in A B C U S; do
  ok export --format opensdg-export --area "$a" -o "ex1-$a/"
  ok --db rt.db import --format opensdg --opt "area=$a" "ex1-$a"
  acc=$(account)
  expect_equal "round trip $a account" "$acc" "${acc%% =*} = imported ${acc%% =*} + skipped 0"
  ok --db rt.db export --format opensdg-export --area "$a" -o "ex2-$a/"
  diff -r "ex1-$a" "ex2-$a" >/dev/null || fail "round trip $a: the second export differs: $(diff -r "ex1-$a" "ex2-$a")"
done
tr -d '\r' <ex1-U/data/indicator_4-1-1.csv >u.txt
expect_line u.txt "2019,,тысяч человек,1234.5678901234567"
expect_line u.txt "2019,,PERCENT,0.30000000000000004"
expect_line ex1-B/meta/5-5-2a.md "acvtrack_code: '5.5.2a'"
# (imports 1-15 above: A, B, C, D, D2, E, NL, NN, R, the corrected R rows, M, N, N2, U, S)
ok import --format opensdg --opt area=U ex1-U
expect_out "opensdg: 2 files read; import 16: 0 areas and 0 data series added; 4 observations: 0 new, 0 revised, 4 unchanged"
ok import --format opensdg --opt area=U "$FX/units"
expect_out "opensdg: 1 files read; import 17: 0 areas and 0 data series added; 4 observations: 0 new, 0 revised, 4 unchanged"

# the first series' label (not in the code SDG:16.3.3) and every long label come back in full:
# the export of C is the fixture, byte for byte (apart from the CRLF line ends)
tr -d '\r' <ex1-C/data/indicator_16-3-3.csv | cmp -s - "$FX/long-labels/data/indicator_16-3-3.csv" ||
  fail "C export differs from the fixture: $(cat ex1-C/data/indicator_16-3-3.csv)"

# series labels and comments: the first series' label is kept in the series' name and exported
# in the Series column; the comments (a year range's original, the row's COMMENT_OBS, the 2030
# target line) are exported in COMMENT_OBS and read back as they were, a leading "-" too ("-2
# compared with 2016" is not a formula a spreadsheet would run, so the export writes it as it is;
# a defused cell's "'" is taken off by the import)
tr -d '\r' <ex1-S/data/indicator_3-4-1.csv >s.txt
expect_line s.txt "Year,Series,Sex,Units,COMMENT_OBS,Value"
expect_line s.txt "2016,Mortality rate attributed to cardiovascular disease (30-70 years),,Percent,period 2015-2016 in the source; 2030 target (Open SDG graph_target_lines): 2030 target = 12,18.5"
expect_line s.txt "2017,Mortality rate attributed to cardiovascular disease (30-70 years),,Number,,1200"
expect_line s.txt "2017,Suicide mortality rate,,Per 100000,-2 compared with 2016,4.5"
expect_line ex1-S/meta/3-4-1.md "indicator_name: 'Mortality from non-communicable diseases'"
for db in acvtrack.db rt.db; do
  ok --db "$db" history --area S --indicator "SDG:3.4.1|Series=Suicide mortality rate|Units=Per 100000"
  case "$OUT" in *"Open SDG data  -2 compared with 2016"*) ;;
    *) fail "S comment in $db: $OUT" ;; esac
  ok --db "$db" history --area S --indicator SDG:3.4.1
  case "$OUT" in *"Provisional figure; 2030 target (Open SDG graph_target_lines): 2030 target = 12"*) ;;
    *) fail "S comment in $db: $OUT" ;; esac
done
ok import --format opensdg --opt area=S ex1-S
expect_out "opensdg: 2 files read; import 18: 0 areas and 0 data series added; 5 observations: 0 new, 0 revised, 5 unchanged"

echo "opensdg_import: ok"
