#!/bin/sh
# A derived indicator without data says which data element is missing by the name the framework
# gives it (indicators/data-elements.yml), and which indicator needs it, in every report format:
# never a bare code like DE.SVY.FEEL_SAFE that an officer does not know.
set -eu
. "$(dirname "$0")/lib/assert.sh"

ok -q init
ok -q areas import "$SAMPLE/areas.csv"
# PS.SRL.2 = 100 × DE.SVY.FEEL_SAFE / DE.SVY.RESPONDENTS_15PLUS: the numerator alone is given
printf 'area,indicator,period,value\ndemo_coastal_town,DE.SVY.FEEL_SAFE,2025,41000\ndemo_coastal_town,PS.DRR.5,2025,90\n' >obs.csv
ok -q import obs.csv
ok -q score --area demo_coastal_town
for fmt in md csv json html; do
  ok -q report --area demo_coastal_town -o "report.$fmt"
done

# the missing denominator, by its name, needed by PS.SRL.2 (the CSV report has CRLF line ends);
# with one scored core indicator the official score needs 43 more (the collect-first list, in the
# note), PS.SRL.2 a survey among the last of them
tr -d '\r' <report.csv >report.txt
expect_line report.txt 'PS.SRL.2,Residents who feel safe walking alone in their area after dark,%,,,≥ 75,,,"collect first: 40 of 43 (surveys and censuses); no data for “Survey respondents aged 15 and over”, needed by PS.SRL.2",false'
# a name with straight quotes of its own (PS.SRL.2's numerator, when nothing is given)
printf 'area,indicator,period,value\ndemo_secondary_city,PS.DRR.5,2025,80\n' >obs2.csv
ok -q import obs2.csv
ok -q score --area demo_secondary_city
ok -q report --area demo_secondary_city -o second.csv
tr -d '\r' <second.csv >second.txt
expect_line second.txt 'PS.SRL.2,Residents who feel safe walking alone in their area after dark,%,,,≥ 75,,,"collect first: 40 of 43 (surveys and censuses); no data for “Respondents feeling ""very safe"" or ""fairly safe"" walking alone after dark”, needed by PS.SRL.2",false'
grep -qF '| no data for “Survey respondents aged 15 and over”, needed by PS.SRL.2 |' report.md ||
  fail "report.md does not name the missing data element"
grep -qF '"note":"no data for “Survey respondents aged 15 and over”, needed by PS.SRL.2"' report.json ||
  fail "report.json does not name the missing data element"
grep -qF 'no data for “Survey respondents aged 15 and over”, needed by PS.SRL.2' report.html ||
  fail "report.html does not name the missing data element"
# and no report shows a data element's code
for f in report.md report.csv report.json report.html second.csv; do
  if grep -q 'DE\.[A-Z]' "$f"; then
    fail "$f names a data element by its code: $(grep -o 'DE\.[A-Z_.0-9]*' "$f" | head -1)"
  fi
done

echo "data_element_notes: ok"
