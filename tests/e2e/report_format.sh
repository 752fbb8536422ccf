#!/bin/sh
# report -o FILE without --format takes the format from the file name's extension; an explicit
# --format that disagrees with the extension is refused and writes nothing; a file without an
# extension (and standard output) keeps Markdown, the default.
set -eu
. "$(dirname "$0")/lib/assert.sh"

ok -q init
ok -q areas import "$SAMPLE/areas.csv"
ok -q import "$SAMPLE/observations.csv"
ok -q score --area demo_capital_metro --year 2025
ok -q score --area demo_secondary_city --year 2025

# each extension gives the same bytes as the explicit --format (written to a name without an
# extension, which does not infer anything)
for fmt in md html json csv; do
  ok report --area demo_capital_metro --year 2025 -o "inferred.$fmt"
  expect_err "acvtrack: report written to inferred.$fmt"
  ok -q report --area demo_capital_metro --year 2025 --format "$fmt" -o "explicit-$fmt"
  cmp -s "inferred.$fmt" "explicit-$fmt" || fail "report -o inferred.$fmt is not the $fmt report"
  ok -q report --compare country:DEMO --year 2025 -o "compare.$fmt"
  ok -q report --compare country:DEMO --year 2025 --format "$fmt" -o "compare-$fmt"
  cmp -s "compare.$fmt" "compare-$fmt" || fail "report --compare -o compare.$fmt is not $fmt"
done
# and the four differ from one another, so the comparison above can fail
cmp -s inferred.md inferred.html && fail "the md and html reports are the same bytes"
cmp -s compare.json compare.csv && fail "the json and csv comparisons are the same bytes"
head -1 inferred.html | grep -qx '<!DOCTYPE html>' || fail "inferred.html is not an HTML page"
expect_line inferred.md "# ACV 2045 localisation report: Demo capital metro (fictional)"

# upper-case extensions and the long spellings count too
ok -q report --area demo_capital_metro --year 2025 -o REPORT.HTML
cmp -s REPORT.HTML inferred.html || fail "REPORT.HTML is not the html report"
ok -q report --area demo_capital_metro --year 2025 -o report.htm
cmp -s report.htm inferred.html || fail "report.htm is not the html report"
ok -q report --area demo_capital_metro --year 2025 -o report.markdown
cmp -s report.markdown inferred.md || fail "report.markdown is not the md report"

# no extension, no --format: Markdown, as on standard output; a dot in a folder name or at the
# start of the file name is not an extension
mkdir -p out.html
ok -q report --area demo_capital_metro --year 2025 -o out.html/plain
cmp -s out.html/plain inferred.md || fail "a file without extension is not Markdown"
ok -q report --area demo_capital_metro --year 2025 -o .hidden
cmp -s .hidden inferred.md || fail "a dot file is not Markdown"
ok report --area demo_capital_metro --year 2025
cmp -s .out inferred.md || fail "standard output is not Markdown"

# a matching --format is fine
ok -q report --area demo_capital_metro --year 2025 --format json -o same.json
cmp -s same.json inferred.json || fail "--format json -o same.json is not the json report"

# a disagreeing --format is refused (exit 2) and writes nothing
run report --area demo_capital_metro --year 2025 --format csv -o x.html
expect_rc 2
expect_err "acvtrack: --format csv does not match the file name 'x.html' (.html is html): drop --format or change the file name
Try 'acvtrack report --help'."
[ ! -e x.html ] || fail "a refused report wrote x.html"
run report --compare country:DEMO --format md -o c.json
expect_rc 2
expect_err "acvtrack: --format md does not match the file name 'c.json' (.json is json): drop --format or change the file name
Try 'acvtrack report --help'."
[ ! -e c.json ] || fail "a refused comparison wrote c.json"

# an extension that is no report format needs --format, and with it the file is written
run report --area demo_capital_metro --year 2025 -o report.docx
expect_rc 2
expect_err "acvtrack: cannot tell the report format from 'report.docx' (.docx): name the file .md, .html, .json, .csv, .xlsx or .pdf, or give --format md|html|json|csv|xlsx|pdf
Try 'acvtrack report --help'."
[ ! -e report.docx ] || fail "a refused report wrote report.docx"
ok -q report --area demo_capital_metro --year 2025 --format md -o notes.txt
cmp -s notes.txt inferred.md || fail "--format md -o notes.txt is not the md report"

echo "report_format: ok"
