#!/bin/sh
# --format pdf: the HTML report printed by headless Chromium with its print stylesheet. The PDF is
# read back with poppler-utils: its A4 page count, its text extractable (the city's name and its
# figures, in Latin and Thai script), every font embedded. Without Chromium the error says how to
# get it, and a failure writes nothing. Chromium, fonts-noto-core and poppler-utils come from
# .ci/bootstrap: without them this test fails, it does not skip.
set -eu
. "$(dirname "$0")/lib/assert.sh"

for tool in pdfinfo pdftotext pdffonts; do
  command -v $tool >/dev/null || fail "$tool is missing: install poppler-utils (make bootstrap)"
done
command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
  fail "chromium is missing: install chromium and fonts-noto-core (make bootstrap)"

export TMPDIR="$ACV_TMP/tmp"
mkdir "$TMPDIR"
ok -q init
ok -q areas import "$SAMPLE/areas.csv"
ok -q import "$SAMPLE/observations.csv"
ok -q score --area demo_capital_metro --year 2025

# the demo capital: its figures are worked out in tests/unit/test_demo.c (pillar PS 74.5 on 3 of
# its 4 action areas, the provisional overall 72.7 on 20 of 55 core indicators); it prints on 4 to
# 6 A4 pages, as the browser test of the HTML finds (21 before the print stylesheet)
ok report --area demo_capital_metro --year 2025 --format pdf -o capital.pdf
expect_err "acvtrack: report written to capital.pdf"
head -c 5 capital.pdf | grep -q '^%PDF-' || fail "capital.pdf is not a PDF"
pdfinfo capital.pdf >info.txt
pages=$(awk '$1 == "Pages:" { print $2 }' info.txt)
[ "$pages" -ge 4 ] && [ "$pages" -le 6 ] || fail "capital.pdf has $pages pages, expected 4 to 6"
grep -q '^Page size: *594.96 x 841.92 pts (A4)' info.txt || fail "capital.pdf is not A4: $(cat info.txt)"
pdftotext -layout capital.pdf capital.txt
grep -q 'Demo capital metro (fictional)' capital.txt || fail "the city's name is not in the PDF's text"
grep -q 'provisional 72.7 (provisional: 20 of 55 core indicators), not an official score' capital.txt ||
  fail "the provisional overall score is not in the PDF's text"
grep -q 'provisional 74.5' capital.txt || fail "the PS pillar's 74.5 is not in the PDF's text"
# every font embedded (pdffonts: name type encoding emb sub uni object ID)
pdffonts capital.pdf >fonts.txt
awk 'NR > 2 && $(NF - 4) != "yes" { bad = 1; print } END { exit bad }' fonts.txt ||
  fail "capital.pdf has fonts that are not embedded: $(cat fonts.txt)"
grep -q 'NotoSans-Regular' fonts.txt || fail "capital.pdf does not use Noto Sans: $(cat fonts.txt)"
# -o FILE.pdf alone chooses the format
ok -q report --area demo_capital_metro --year 2025 -o inferred.pdf
head -c 5 inferred.pdf | grep -q '^%PDF-' || fail "inferred.pdf is not a PDF"

# a Thai city: its name comes out of the PDF as Thai text, drawn with the embedded Noto Sans Thai;
# its figures (tests/e2e/xlsx_reports.sh): PS.DRR.6 = 10% in high-hazard zones scores
# (40 - 10) / 40 × 100 = 75, the action area PS.DRR (100 + 80 + 75) / 3 = 85
ok -q areas import "$ACV_SOURCE/tests/fixtures/xlsx/areas.csv"
ok -q import "$ACV_SOURCE/tests/fixtures/xlsx/observations.csv"
ok -q score --area xl_b --year 2025
ok -q report --area xl_b --year 2025 -o thai.pdf
pdftotext thai.pdf thai.txt
grep -q 'เชียงใหม่' thai.txt || fail "the Thai name is not in the PDF's text"
grep -q '^Score 75.0 / 100$' thai.txt || fail "PS.DRR.6's score 75.0 is not in the PDF's text"
grep -q '^PS.DRR · Political-Security · score 85.0$' thai.txt ||
  fail "PS.DRR's score 85.0 is not in the PDF's text"
pdffonts thai.pdf >thai-fonts.txt
awk '/NotoSansThai/ && $(NF - 4) == "yes" { found = 1 } END { exit !found }' thai-fonts.txt ||
  fail "thai.pdf has no embedded Noto Sans Thai: $(cat thai-fonts.txt)"

# run_env VAR=VALUE... ARGS: run with variables set for acvtrack alone (an assignment before a
# shell function would outlive it in some shells)
run_env() {
  LAST="acvtrack $*"
  set +e
  env "$@" >"$ACV_TMP/.out" 2>"$ACV_TMP/.err"
  RC=$?
  set -e
  OUT=$(cat "$ACV_TMP/.out")
  ERR=$(cat "$ACV_TMP/.err")
}

# no Chromium: the error says what to install, and nothing is written; what was there is kept
run_env ACVTRACK_CHROMIUM="$ACV_TMP/no-such-chromium" "$ACVTRACK" report --area demo_capital_metro --year 2025 -o nochrome.pdf
expect_rc 1
expect_err "acvtrack: cannot print the PDF: ACVTRACK_CHROMIUM is '$ACV_TMP/no-such-chromium', which is not an executable file"
[ ! -e nochrome.pdf ] || fail "a failed PDF report wrote nochrome.pdf"
run_env PATH=/nonexistent ACVTRACK_CHROMIUM= "$ACVTRACK" report --area demo_capital_metro --year 2025 -o nochrome.pdf
expect_rc 1
expect_err "acvtrack: cannot print the PDF: Chromium was not found (looked for chromium, chromium-browser and google-chrome on the PATH); install it (Debian: apt-get install chromium fonts-noto-core) or set ACVTRACK_CHROMIUM to its path, or use --format html and print from a browser"
[ ! -e nochrome.pdf ] || fail "a failed PDF report wrote nochrome.pdf"
# a Chromium that fails: its exit status is reported and the old file is kept
cp capital.pdf keep.pdf
run_env ACVTRACK_CHROMIUM=/bin/false "$ACVTRACK" report --area demo_capital_metro --year 2025 -o keep.pdf
expect_rc 1
expect_err "acvtrack: cannot print the PDF: /bin/false exited with status 1"
cmp -s capital.pdf keep.pdf || fail "a failed PDF report changed keep.pdf"
# a Chromium that succeeds without printing anything
run_env ACVTRACK_CHROMIUM=/bin/true "$ACVTRACK" report --area demo_capital_metro --year 2025 -o keep.pdf
expect_rc 1
expect_err "acvtrack: the PDF was not written: No such file or directory"
cmp -s capital.pdf keep.pdf || fail "a failed PDF report changed keep.pdf"
# the temporary folders (page, Chromium's profile, the PDF) are all removed
expect_equal "left in TMPDIR" "$(ls -A "$TMPDIR" | grep '^acvtrack-' || true)" ""

echo "pdf_report: ok"
