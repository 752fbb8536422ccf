#!/bin/sh
# Common mistakes through the built binary: the exit status and the exact message, and that a
# failed import leaves the workspace as it was.
set -eu
. "$(dirname "$0")/lib/assert.sh"

# no workspace yet: exit 3, and the way out
run score --area demo_capital_metro --year 2025
expect_rc 3
expect_err "acvtrack: acvtrack.db: no workspace here; create it with 'acvtrack init'"
[ ! -e acvtrack.db ] || fail "a command other than init created acvtrack.db"

# usage errors: exit 2
run frobnicate
expect_rc 2
expect_err "acvtrack: unknown command 'frobnicate'
Try 'acvtrack --help'."
run --no-such-option 7 status
expect_rc 2
expect_err "acvtrack: unknown option '--no-such-option'
Try 'acvtrack --help'."

ok init
ok areas import "$SAMPLE/areas.csv"
run score
expect_rc 2
expect_err "acvtrack: score needs --area CODE or --all
Try 'acvtrack score --help'."
run report --area demo_capital_metro --format docx
expect_rc 2
expect_err "acvtrack: unknown --format 'docx' (md, html, json, csv, xlsx or pdf)
Try 'acvtrack report --help'."

# a bad row stops the whole import (exit 3) and names file, line and column
printf 'area,indicator,period,value\ndemo_capital_metro,PS.DRR.1,2024,0.3\ndemo_capital_metro,PS.DRR.1,2025,abc\n' >bad.csv
run import bad.csv
expect_rc 3
expect_err "acvtrack: bad.csv:3: column 'value': 'abc' is not a number (use a dot for decimals and no thousands separators)
acvtrack: nothing was imported"
printf 'area,indicator,period,value\nnowhere,PS.DRR.1,2025,1\n' >unknown.csv
run import unknown.csv
expect_rc 3
expect_err "acvtrack: unknown.csv:2: column 'area': unknown area 'nowhere' (see 'acvtrack areas list'; add it with 'acvtrack areas import')
acvtrack: nothing was imported"
run import missing.csv
expect_rc 1
expect_err "acvtrack: missing.csv: cannot open: No such file or directory
acvtrack: nothing was imported"

# nothing of the failed imports is there: the good row of bad.csv imports as new, as import 1
printf 'area,indicator,period,value\ndemo_capital_metro,PS.DRR.1,2024,0.3\n' >good.csv
ok import good.csv
expect_out "good.csv: import 1: 1 observations: 1 new, 0 revised, 0 unchanged"

echo "errors: ok"
