#!/bin/sh
# A log transform scores log(value) between log(worst) and log(best), so both bounds must be above
# 0: `framework check` refuses a bound of 0 or less with its file and line, loading a city overlay
# refuses it the same way, and the shipped framework (whose log-scored indicators have bounds of 1 and
# above) passes.
set -eu
. "$(dirname "$0")/lib/assert.sh"

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" fw/
ok --framework fw framework check
expect_out ""

# PS.DRR.2 persons affected per 100,000, lower is better, log transform, bounds worst 10000 best 1:
# the reference's best of 0 put back. The best line is the first 'best: 1' after the id line.
ps=fw/indicators/political-security.yml
id=$(grep -n '^  - id: PS.DRR.2$' "$ps" | cut -d: -f1)
B=$(awk -v from="$id" 'NR > from && /^      best: 1$/ { print NR; exit }' "$ps")
T=$(awk -v from="$id" 'NR > from && /scoring: \{transform: log/ { print NR; exit }' "$ps")
[ -n "$B" ] && [ -n "$T" ] || fail "PS.DRR.2 has no 'best: 1' or no log transform line"
sed "${B}s/best: 1$/best: 0/" "$ps" >ps.yml && mv ps.yml "$ps"
run --framework fw framework check
expect_rc 3
# the problem is at the transform's value, column 26: '    scoring: {transform: ' is 25 characters
expect_out "indicators/political-security.yml:$T:26: the log transform of indicator PS.DRR.2 needs bounds above 0, found worst 10000 and best 0"
expect_err "1 problem in the framework at fw"
# scoring with it stops before any workspace is made
run --framework fw init
expect_rc 3
[ ! -e acvtrack.db ] || fail "init created a workspace from a framework with a log of 0"

# an overlay that gives PS.DRR.1 (worst 5, best 0) a log transform is refused at the transform
mkdir -p city/indicators
cat >city/indicators/overlay.yml <<'YML'
overlay: {name: log city}
overrides:
  - indicator: PS.DRR.1
    reason: skewed
    scoring: {transform: log}
YML
# (`framework check` reads the framework alone; any command that loads the overlay says it)
run --overlay city indicators
expect_rc 3
expect_err "acvtrack: city/indicators/overlay.yml:5:26: the log transform of the override of PS.DRR.1 needs bounds above 0, found worst 5 and best 0"

echo "log_bounds: ok"
