#!/bin/sh
# An overlay holding only plugins/ (no indicators/) is a valid overlay: `acvtrack plugins` lists
# its plugin beside the shipped ones, named by the overlay's display path, and scoring with it
# gives exactly the scores scoring without it gives. An overlay folder that does not exist is
# still refused.
set -eu
: "${ACVTRACK:?}" "${ACV_SOURCE:?}" "${ACV_TMP:?}"
rm -rf "$ACV_TMP"
mkdir -p "$ACV_TMP/city/plugins"
cd "$ACV_TMP"
cp "$ACV_SOURCE/tests/fixtures/plugins/nil-cells.lua" city/plugins/
SAMPLE="$ACV_SOURCE/indicators/sample"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# acv DB [--overlay DIR] ARGS...: acvtrack on the shipped framework and workspace DB
acv() {
    db=$1
    shift
    "$ACVTRACK" -q --framework "$ACV_SOURCE" --db "$ACV_TMP/$db" "$@"
}

for db in plain.db overlay.db; do
    acv $db init >/dev/null
    acv $db areas import "$SAMPLE/areas.csv" >/dev/null
    acv $db import "$SAMPLE/observations.csv" >/dev/null
    acv $db import "$SAMPLE/observations-more.csv" >/dev/null
done

acv plain.db plugins >plugins-plain.txt
acv overlay.db --overlay city plugins >plugins-overlay.txt
grep -q 'nil-cells' plugins-plain.txt && fail "nil-cells listed without the overlay"
grep -Eq '^nil-cells +exporter +0\.0\.1 +city/plugins/nil-cells\.lua +rows with nil cells$' \
    plugins-overlay.txt || fail "the overlay's plugin is not listed: $(cat plugins-overlay.txt)"
# the shipped plugins are all still there
grep -v nil-cells plugins-overlay.txt | cmp -s - plugins-plain.txt ||
    fail "the overlay changed the shipped plugins' listing"

acv plain.db score --area demo_capital_metro --year 2025 >/dev/null
acv overlay.db --overlay city score --area demo_capital_metro --year 2025 >/dev/null
acv plain.db report --area demo_capital_metro --format csv -o plain.csv
acv overlay.db --overlay city report --area demo_capital_metro --format csv -o overlay.csv
test -s plain.csv || fail "no report"
cmp plain.csv overlay.csv || fail "scores differ with a plugins-only overlay"

if acv plain.db --overlay no-such-city plugins >/dev/null 2>err.txt; then
    fail "a missing overlay folder was accepted"
fi
grep -q 'no-such-city: cannot read the overlay folder' err.txt ||
    fail "unexpected message: $(cat err.txt)"
echo "ok"
