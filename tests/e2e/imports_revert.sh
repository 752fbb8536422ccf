#!/bin/sh
# Taking a wrong import back: `acvtrack imports` lists the imports with their counts, and
# `imports revert N` puts back the values from before import N, removes the values it added, keeps
# every version in the history and records itself as an import (which can be reverted in turn).
# A value changed since by a later import stops the revert unless --force.
set -eu
. "$(dirname "$0")/lib/assert.sh"

# the import times change from run to run: masked to the same width in listings and histories
masked() {
  printf '%s\n' "$OUT" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/YYYY-MM-DDTHH:MM:SSZ/g'
}

ok -q init
ok -q areas import "$SAMPLE/areas.csv"
ok imports
expect_out "no imports yet"

printf 'area,indicator,period,value\ndemo_capital_metro,CN.DIG.3,2023,61.8\ndemo_capital_metro,CN.DIG.3,2024,63\ndemo_capital_metro,CN.DIG.3,2025,66.4\n' >a.csv
ok import a.csv
expect_out "a.csv: import 1: 3 observations: 3 new, 0 revised, 0 unchanged"
# b.csv: 2023 as stored (unchanged), 2024 and 2025 revised, and a value for another city (new)
printf 'area,indicator,period,value\ndemo_capital_metro,CN.DIG.3,2023,61.8\ndemo_capital_metro,CN.DIG.3,2024,64.5\ndemo_capital_metro,CN.DIG.3,2025,67\ndemo_secondary_city,CN.DIG.3,2025,50\n' >b.csv
ok import b.csv
expect_out "b.csv: import 2: 4 observations: 1 new, 2 revised, 1 unchanged"
ok imports
OUT=$(masked)
expect_out "ID  IMPORTED AT           ROWS  NEW  REVISED  REMOVED  FILE
1   YYYY-MM-DDTHH:MM:SSZ  3     3    0        0        a.csv
2   YYYY-MM-DDTHH:MM:SSZ  4     1    2        0        b.csv"

# a dry run: 2024 and 2025 go back to 63 and 66.4, the other city's 50 goes; nothing is written
ok imports revert 2 --dry-run
expect_out "dry run, nothing written: would revert import 2 (b.csv) as import 3: 2 values put back as before it, 1 value it added removed"
expect_err ""
ok history --area demo_secondary_city --indicator CN.DIG.3
OUT=$(masked)
expect_out "demo_secondary_city CN.DIG.3 (Youth and adults with basic ICT skills (%)): 1 value, 0 earlier versions
PERIOD  VALUE  STATUS  STATE    IMPORT  FILE:LINE  IMPORTED AT           SOURCE
2025       50  -       current  2       b.csv:5    YYYY-MM-DDTHH:MM:SSZ  -"

# a later import changes 2025 again: reverting import 2 would throw that away, so it is refused
printf 'area,indicator,period,value\ndemo_capital_metro,CN.DIG.3,2025,66.9\n' >c.csv
ok import c.csv
expect_out "c.csv: import 3: 1 observations: 0 new, 1 revised, 0 unchanged"
run imports revert 2
expect_rc 3
expect_out ""
expect_err "acvtrack: import 2 (b.csv): 1 of the 3 values it changed has been changed since by a later import: import 3 (c.csv) changed 1 value: demo_capital_metro CN.DIG.3 2025. Revert that import first, or use --force to put back the values from before import 2 anyway (the later ones stay in the history)
acvtrack: nothing was reverted"
ok imports
expect_equal "imports after a refused revert" "$(printf '%s\n' "$OUT" | wc -l)" "4"

# --force: 2024 back to 63 (import 1's), 2025 back to 66.4 over import 3's 66.9, 50 removed
ok imports revert 2 --force
expect_out "reverted import 2 (b.csv) as import 4: 2 values put back as before it, 1 value it added removed; 1 of them had been changed since by a later import (--force)"
expect_err "acvtrack: score again to bring the reports up to date"
ok history --area demo_capital_metro --indicator CN.DIG.3
OUT=$(masked)
# the values put back are set by import 4 and name the line they came from (a.csv)
expect_out "demo_capital_metro CN.DIG.3 (Youth and adults with basic ICT skills (%)): 3 values, 5 earlier versions
PERIOD  VALUE  STATUS  STATE                 IMPORT  FILE:LINE  IMPORTED AT           SOURCE
2023     61.8  -       current               1       a.csv:2    YYYY-MM-DDTHH:MM:SSZ  -
2024       63  -       replaced by import 2  1       a.csv:3    YYYY-MM-DDTHH:MM:SSZ  -
2024     64.5  -       reverted by import 4  2       b.csv:3    YYYY-MM-DDTHH:MM:SSZ  -
2024       63  -       current               4       a.csv:3    YYYY-MM-DDTHH:MM:SSZ  -
2025     66.4  -       replaced by import 2  1       a.csv:4    YYYY-MM-DDTHH:MM:SSZ  -
2025       67  -       replaced by import 3  2       b.csv:4    YYYY-MM-DDTHH:MM:SSZ  -
2025     66.9  -       reverted by import 4  3       c.csv:2    YYYY-MM-DDTHH:MM:SSZ  -
2025     66.4  -       current               4       a.csv:4    YYYY-MM-DDTHH:MM:SSZ  -"
ok history --area demo_secondary_city --indicator CN.DIG.3
OUT=$(masked)
expect_out "demo_secondary_city CN.DIG.3 (Youth and adults with basic ICT skills (%)): 0 values, 1 earlier version
PERIOD  VALUE  STATUS  STATE                 IMPORT  FILE:LINE  IMPORTED AT           SOURCE
2025       50  -       reverted by import 4  2       b.csv:5    YYYY-MM-DDTHH:MM:SSZ  -"
# import 4: rows 3 = 2 revised (2024, 2025) + 1 removed (the other city's 2025)
ok imports
OUT=$(masked)
expect_out "ID  IMPORTED AT           ROWS  NEW  REVISED  REMOVED  FILE
1   YYYY-MM-DDTHH:MM:SSZ  3     3    0        0        a.csv
2   YYYY-MM-DDTHH:MM:SSZ  4     1    2        0        b.csv (reverted by import 4)
3   YYYY-MM-DDTHH:MM:SSZ  1     0    1        0        c.csv
4   YYYY-MM-DDTHH:MM:SSZ  3     0    2        1        revert of import 2"

run imports revert 2
expect_rc 3
expect_err "acvtrack: import 2 (b.csv) was already reverted by import 4 (revert import 4 to bring its values back)
acvtrack: nothing was reverted"
# a reverted file is not 'already imported': the same b.csv may come in again (2024, 2025 and
# the other city's value change again; 2023 is as stored)
ok import b.csv --dry-run
expect_out "b.csv: dry run, nothing written: would be import 5: 4 observations: 1 new, 2 revised, 1 unchanged"

# reverting the revert puts back what it replaced: 2024 64.5 (import 2's), 2025 66.9 (import
# 3's) and the other city's 50 (new again): 3 values put back, none removed
ok -q imports revert 4
expect_out "reverted import 4 (revert of import 2) as import 5: 3 values put back as before it, 0 values it added removed"
expect_err ""
ok history --area demo_capital_metro --indicator CN.DIG.3 --year 2025
OUT=$(masked)
expect_out "demo_capital_metro CN.DIG.3 (Youth and adults with basic ICT skills (%)), 2025: 1 value, 4 earlier versions
PERIOD  VALUE  STATUS  STATE                 IMPORT  FILE:LINE  IMPORTED AT           SOURCE
2025     66.4  -       replaced by import 2  1       a.csv:4    YYYY-MM-DDTHH:MM:SSZ  -
2025       67  -       replaced by import 3  2       b.csv:4    YYYY-MM-DDTHH:MM:SSZ  -
2025     66.9  -       reverted by import 4  3       c.csv:2    YYYY-MM-DDTHH:MM:SSZ  -
2025     66.4  -       reverted by import 5  4       a.csv:4    YYYY-MM-DDTHH:MM:SSZ  -
2025     66.9  -       current               5       c.csv:2    YYYY-MM-DDTHH:MM:SSZ  -"
ok history --area demo_secondary_city --indicator CN.DIG.3
OUT=$(masked)
expect_out "demo_secondary_city CN.DIG.3 (Youth and adults with basic ICT skills (%)): 1 value, 1 earlier version
PERIOD  VALUE  STATUS  STATE                 IMPORT  FILE:LINE  IMPORTED AT           SOURCE
2025       50  -       reverted by import 4  2       b.csv:5    YYYY-MM-DDTHH:MM:SSZ  -
2025       50  -       current               5       b.csv:5    YYYY-MM-DDTHH:MM:SSZ  -"
# import 2 is in effect again, so b.csv is 'already imported' as import 2
ok import b.csv
expect_out "b.csv: already imported as import 2; nothing changed"

# an import that changed nothing has nothing to revert; unknown and malformed numbers
printf 'area,indicator,period,value\ndemo_capital_metro,CN.DIG.3,2023,61.8\n' >same.csv
ok import same.csv
expect_out "same.csv: import 6: 1 observations: 0 new, 0 revised, 1 unchanged"
run imports revert 6
expect_rc 3
expect_err "acvtrack: import 6 (same.csv) changed no values (every value it held was already stored): nothing to revert
acvtrack: nothing was reverted"
run imports revert 99
expect_rc 3
expect_err "acvtrack: there is no import 99 (see 'acvtrack imports')
acvtrack: nothing was reverted"
run imports revert two
expect_rc 2
expect_err "acvtrack: 'two' is not an import number (see the ID column of 'acvtrack imports')
Try 'acvtrack imports --help'."
run imports --force
expect_rc 2
