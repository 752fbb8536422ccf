#!/bin/sh
# CSV saved by a spreadsheet in a comma-decimal locale: columns separated by ';' (or tabs), values
# with a decimal comma. The separator comes from the header line; a decimal comma is accepted only
# when the separator is not a comma; a header that is one column holding ';' says what was found.
set -eu
. "$(dirname "$0")/lib/assert.sh"

ok -q init
ok -q areas import "$SAMPLE/areas.csv"

# the wide layout as a spreadsheet saves it: semicolons, CRLF, a byte order mark, decimal commas
printf '\357\273\277area;indicator;2023;2024;2025\r\ndemo_coastal_town;SC.ENV.1;18,5;17,25;16\r\ndemo_coastal_town;CN.DIG.1;78;81,5;\r\n' >semi.csv
ok import semi.csv
expect_out "semi.csv: import 1 (wide layout): 5 observations: 5 new, 0 revised, 0 unchanged"
expect_err ""
ok history --area demo_coastal_town --indicator SC.ENV.1
printf '%s\n' "$OUT" | awk 'NR > 2 { print $1, $2, $6 }' >env.txt
printf '2023 18.5 semi.csv:2\n2024 17.25 semi.csv:2\n2025 16 semi.csv:2\n' >env.expected
cmp -s env.txt env.expected || fail "SC.ENV.1 stored as $(cat env.txt)"
ok history --area demo_coastal_town --indicator CN.DIG.1
printf '%s\n' "$OUT" | awk 'NR > 2 { print $1, $2 }' >dig.txt
printf '2023 78\n2024 81.5\n' >dig.expected
cmp -s dig.txt dig.expected || fail "CN.DIG.1 stored as $(cat dig.txt)"

# the long layout separated by tabs; a value with a dot works there too; a source with a comma
# stays text
printf 'area\tindicator\tperiod\tvalue\tsource\ndemo_coastal_town\tSC.ENV.1\t2021\t19,75\tcity, env office\ndemo_coastal_town\tSC.ENV.1\t2022\t19.25\t\n' >tabs.csv
ok import tabs.csv
expect_out "tabs.csv: import 2: 2 observations: 2 new, 0 revised, 0 unchanged"
ok history --area demo_coastal_town --indicator SC.ENV.1
printf '%s\n' "$OUT" | awk 'NR > 2 && $1 < 2023 { print $1, $2, $6 }' >env2.txt
printf '2021 19.75 tabs.csv:2\n2022 19.25 tabs.csv:3\n' >env2.expected
cmp -s env2.txt env2.expected || fail "tabs.csv stored as $(cat env2.txt)"
case "$OUT" in *"city, env office"*) ;; *) fail "the source 'city, env office' was not kept: $OUT" ;; esac

# a comma-separated file: a decimal comma (quoted, so it is one cell) is not a number there
printf 'area,indicator,period,value\ndemo_coastal_town,SC.ENV.1,2020,"20,5"\n' >comma.csv
run import comma.csv
expect_rc 3
expect_err "acvtrack: comma.csv:2: column 'value': '20,5' is not a number (use a dot for decimals and no thousands separators)
acvtrack: nothing was imported"

# thousands separators are refused in a semicolon file too, naming the cell as written
printf 'area;indicator;period;value\ndemo_coastal_town;SC.ENV.1;2020;1.234,5\n' >thousands.csv
run import thousands.csv
expect_rc 3
expect_err "acvtrack: thousands.csv:2: column 'value': '1.234,5' is not a number (use a dot for decimals and no thousands separators)
acvtrack: nothing was imported"

# the whole header quoted as one cell: what was found, and how to fix it
printf '"area;indicator;2023"\ndemo_coastal_town;SC.ENV.1;12,5\n' >quoted.csv
run import quoted.csv
expect_rc 3
expect_err "acvtrack: quoted.csv:1: the header is one column, 'area;indicator;2023', with ';' inside it: the column names must be separated by commas, or by semicolons outside quotes
acvtrack: nothing was imported"
printf '"area\tindicator\tperiod\tvalue"\n' >quoted-tabs.csv
run import quoted-tabs.csv
expect_rc 3
case "$ERR" in "acvtrack: quoted-tabs.csv:1: the header is one column, 'area	indicator	period	value', with tabs inside it: the column names must be separated by commas, or by tabs outside quotes"*) ;;
  *) fail "quoted-tabs.csv: $ERR" ;; esac

# nothing of the refused files was stored: 5 + 2 observations
ok history --area demo_coastal_town --indicator SC.ENV.1
expect_equal "SC.ENV.1 values" "$(printf '%s\n' "$OUT" | head -1)" \
  "demo_coastal_town SC.ENV.1 (Annual mean PM2.5, population-weighted (ug/m3)): 5 values, 0 earlier versions"

echo "spreadsheet_csv: ok"
