#!/bin/sh
# A YAML mistake in a framework file is one problem, reported where it is: a tab in the
# indentation says so with its line and column, and a structural error in one file is not
# followed by a problem for everything the other files refer to in it (before, one tab in
# economic.yml gave 14: pillar_order and every self-assessment question of the pillar).
set -eu
. "$(dirname "$0")/lib/assert.sh"

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" fw/
eco=fw/indicators/economic.yml
cp "$eco" economic.yml.orig
# the line of the first action area's name, indented with four spaces
L=$(grep -n '^    name: MSME innovation and enterprise development$' "$eco" | cut -d: -f1)
[ -n "$L" ] || fail "economic.yml has no EC.MSME name line"

# the framework as shipped has no problem, so everything below is caused by the one change
ok --framework fw framework check
expect_out ""

# a tab, then two spaces, instead of four spaces
sed "${L}s/^    name:/	  name:/" economic.yml.orig >"$eco"
cmp -s "$eco" economic.yml.orig && fail "the tab was not put in"
run --framework fw framework check
expect_rc 3
expect_out "indicators/economic.yml:$L:1: tab characters are not allowed for indentation (line $L, column 1)"
expect_err "1 problem in the framework at fw"
# any command that loads the framework stops with the same one message
run --framework fw init
expect_rc 3
expect_err "acvtrack: indicators/economic.yml:$L:1: tab characters are not allowed for indentation (line $L, column 1)"
[ ! -e acvtrack.db ] || fail "init created a workspace from a broken framework"

# two spaces then a tab: the tab is in column 3
sed "${L}s/^    name:/  	  name:/" economic.yml.orig >"$eco"
run --framework fw framework check
expect_rc 3
expect_out "indicators/economic.yml:$L:3: tab characters are not allowed for indentation (line $L, column 3)"

# a structural error without a tab (three spaces where four belong) is one problem as well
sed "${L}s/^    name:/   name:/" economic.yml.orig >"$eco"
run --framework fw framework check
expect_rc 3
expect_out "indicators/economic.yml:$L:4: did not find expected '-' indicator while parsing a block collection"
expect_err "1 problem in the framework at fw"

# problems in files that read as YAML are still all listed: two unknown keys in two files
cp economic.yml.orig "$eco"
sed "${L}s/^    name:/    nmae:/" economic.yml.orig >"$eco"
cp fw/indicators/connectivity.yml connectivity.yml.orig
C=$(grep -n '^    name: ' connectivity.yml.orig | head -1 | cut -d: -f1)
sed "${C}s/^    name:/    nmae:/" connectivity.yml.orig >fw/indicators/connectivity.yml
run --framework fw framework check
expect_rc 3
printf '%s\n' "$OUT" >problems.txt
grep -q "^indicators/economic.yml:$L:5: unknown key 'nmae'" problems.txt ||
  fail "no unknown key in economic.yml: $OUT"
grep -q "^indicators/connectivity.yml:$C:5: unknown key 'nmae'" problems.txt ||
  fail "no unknown key in connectivity.yml: $OUT"
cp connectivity.yml.orig fw/indicators/connectivity.yml
cp economic.yml.orig "$eco"

# the self-assessment answer sheet: the same message, and nothing imported
ok -q --framework fw init
ok -q --framework fw areas import "$SAMPLE/areas.csv"
ok -q --framework fw assess template --area demo_capital_metro --year 2025 -o answers.yml
A=$(grep -n '^    level:$' answers.yml | head -1 | cut -d: -f1)
sed "${A}s/^    level:/	level: 2/" answers.yml >tabbed.yml
run --framework fw assess import tabbed.yml
expect_rc 3
expect_err "acvtrack: tabbed.yml:$A:1: tab characters are not allowed for indentation (line $A, column 1)
acvtrack: nothing was imported"

echo "yaml_errors: ok"
