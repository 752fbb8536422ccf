#!/bin/sh
# `runs list` and `runs prune`: which runs are kept (exact ids) by --keep-latest, --before, the
# references of a written report and of a submission; a dry run changes nothing; the space is
# given back (the file shrinks to the size printed); a workspace without incremental auto-vacuum
# is vacuumed in full and converted.
set -eu
. "$(dirname "$0")/lib/assert.sh"

command -v sqlite3 >/dev/null 2>&1 || fail "sqlite3 (Debian package sqlite3) is needed to set run times"

ok -q init
ok -q areas import "$SAMPLE/areas.csv"
ok -q import "$SAMPLE/observations.csv"

# Scoring the three cities (in code order: capital, coastal, secondary) stores runs 1-3; the
# report written now uses the coastal town's run 2; two more rounds store 4-6 and 7-9, and 2024
# stores 10-12.
ok -q score --all --year 2025
ok -q report --area demo_coastal_town --year 2025 -o first.md
ok -q score --all --force --year 2025
ok -q score --all --force --year 2025
ok -q score --all --year 2024
# a submission (built elsewhere) records the run it used, as storage_runs.h asks
sqlite3 acvtrack.db "INSERT INTO run_references(run_id, kind, ref, created_at) VALUES (5, 'submission', 'S-1', '2026-03-11T00:00:00Z')"
# the runs' times, set so --before has something to tell apart
sqlite3 acvtrack.db "UPDATE runs SET created_at = CASE WHEN id <= 3 THEN '2026-01-10T08:00:00Z' WHEN id <= 6 THEN '2026-03-10T08:00:00Z' ELSE '2026-06-01T08:00:00Z' END"

ok runs list --format csv
cat >list.expected <<'EOF'
run,area,year,created,latest,referenced_by
10,demo_capital_metro,2024,2026-06-01T08:00:00Z,true,
1,demo_capital_metro,2025,2026-01-10T08:00:00Z,false,
4,demo_capital_metro,2025,2026-03-10T08:00:00Z,false,
7,demo_capital_metro,2025,2026-06-01T08:00:00Z,true,
11,demo_coastal_town,2024,2026-06-01T08:00:00Z,true,
2,demo_coastal_town,2025,2026-01-10T08:00:00Z,false,report 1
5,demo_coastal_town,2025,2026-03-10T08:00:00Z,false,submission S-1
8,demo_coastal_town,2025,2026-06-01T08:00:00Z,true,
12,demo_secondary_city,2024,2026-06-01T08:00:00Z,true,
3,demo_secondary_city,2025,2026-01-10T08:00:00Z,false,
6,demo_secondary_city,2025,2026-03-10T08:00:00Z,false,
9,demo_secondary_city,2025,2026-06-01T08:00:00Z,true,
EOF
printf '%s\n' "$OUT" | tr -d '\r' >list.txt
cmp -s list.txt list.expected || fail "runs list --format csv printed
$(cat list.txt)"
expect_err "12 runs"
ok runs list --area demo_coastal_town
expect_out "RUN  AREA               YEAR  CREATED               LATEST  REFERENCED BY
11   demo_coastal_town  2024  2026-06-01T08:00:00Z  yes
2    demo_coastal_town  2025  2026-01-10T08:00:00Z          report 1
5    demo_coastal_town  2025  2026-03-10T08:00:00Z          submission S-1
8    demo_coastal_town  2025  2026-06-01T08:00:00Z  yes"
# the report is recorded with its file and format
expect_equal "reports table" "$(sqlite3 acvtrack.db "SELECT id || ' ' || file || ' ' || format FROM reports")" "1 first.md md"

# ---- dry runs: counts, and nothing changes -------------------------------------------------------
pages_before=$(sqlite3 acvtrack.db "PRAGMA page_count")
# keep 2 per (area, year): runs 1, 2, 3 are third; 2 is referenced: 1 and 3 would go
ok runs prune --keep-latest 2 --dry-run
expect_out "runs prune --dry-run: 2 of 12 runs would be removed; kept: 9 latest of their area and year (up to 2 each), 1 older referenced by a report or a submission
workspace: $(($(sqlite3 acvtrack.db "PRAGMA page_size") * pages_before)) bytes; nothing changed"
# keep 1, only before 2026-03-01: of 1-6, 2 and 5 are referenced, 4 and 6 are of March: 1 and 3
ok runs prune --before 2026-03-01 --dry-run
expect_out "runs prune --dry-run: 2 of 12 runs would be removed; kept: 6 latest of their area and year (up to 1 each), 2 older referenced by a report or a submission, 2 older created on or after 2026-03-01
workspace: $(($(sqlite3 acvtrack.db "PRAGMA page_size") * pages_before)) bytes; nothing changed"
ok runs list --format csv
printf '%s\n' "$OUT" | tr -d '\r' >list-after-dry.txt
cmp -s list-after-dry.txt list.expected || fail "a dry run changed the runs"
expect_equal "pages after the dry runs" "$(sqlite3 acvtrack.db "PRAGMA page_count")" "$pages_before"
expect_equal "results after the dry runs" "$(sqlite3 acvtrack.db "SELECT count(DISTINCT run_id) FROM run_results")" 12

# ---- prune before a date ------------------------------------------------------------------------
ok runs prune --before 2026-03-01
first_line=$(printf '%s\n' "$OUT" | head -n 1)
expect_equal "prune --before" "$first_line" "runs prune: 2 of 12 runs removed; kept: 6 latest of their area and year (up to 1 each), 2 older referenced by a report or a submission, 2 older created on or after 2026-03-01"
expect_equal "runs kept" "$(sqlite3 acvtrack.db "SELECT group_concat(id, ' ') FROM (SELECT id FROM runs ORDER BY id)")" "2 4 5 6 7 8 9 10 11 12"
# their results went with them
expect_equal "results of removed runs" "$(sqlite3 acvtrack.db "SELECT count(*) FROM run_results WHERE run_id IN (1, 3)")" 0

# ---- prune to the latest: the referenced runs stay; the file shrinks to the size printed ---------
size_before=$(wc -c <acvtrack.db)
ok runs prune
line1=$(printf '%s\n' "$OUT" | sed -n 1p)
line2=$(printf '%s\n' "$OUT" | sed -n 2p)
expect_equal "prune" "$line1" "runs prune: 2 of 10 runs removed; kept: 6 latest of their area and year (up to 1 each), 2 older referenced by a report or a submission"
expect_equal "runs kept" "$(sqlite3 acvtrack.db "SELECT group_concat(id, ' ') FROM (SELECT id FROM runs ORDER BY id)")" "2 5 7 8 9 10 11 12"
# "workspace: B bytes before, A after: R bytes (M MiB) reclaimed": R = B - A > 0, and A is the
# file's size now (checkpointed)
before=$(printf '%s\n' "$line2" | sed -n 's/^workspace: \([0-9]*\) bytes before, \([0-9]*\) after: \([0-9]*\) bytes (.*) reclaimed$/\1/p')
after=$(printf '%s\n' "$line2" | sed -n 's/^workspace: \([0-9]*\) bytes before, \([0-9]*\) after: \([0-9]*\) bytes (.*) reclaimed$/\2/p')
reclaimed=$(printf '%s\n' "$line2" | sed -n 's/^workspace: \([0-9]*\) bytes before, \([0-9]*\) after: \([0-9]*\) bytes (.*) reclaimed$/\3/p')
[ -n "$reclaimed" ] || fail "no size line: $line2"
expect_equal "reclaimed = before - after" "$reclaimed" "$((before - after))"
[ "$reclaimed" -gt 0 ] || fail "nothing reclaimed: $line2"
expect_equal "file size after" "$(wc -c <acvtrack.db)" "$after"
[ "$after" -lt "$size_before" ] || fail "the file did not shrink: $size_before -> $after"
expect_equal "auto_vacuum" "$(sqlite3 acvtrack.db "PRAGMA auto_vacuum")" 2
# nothing left to prune: nothing removed, nothing vacuumed
ok runs prune
expect_out "runs prune: 0 of 8 runs removed; kept: 6 latest of their area and year (up to 1 each), 2 older referenced by a report or a submission
workspace: $after bytes before, $after after: 0 bytes (0.0 MiB) reclaimed"

# a referenced run cannot be deleted behind acvtrack's back either (the foreign key)
if sqlite3 acvtrack.db "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE id = 5" 2>/dev/null; then
  fail "a referenced run was deleted"
fi

# ---- a workspace without incremental auto-vacuum: a full VACUUM, which turns it on ------------------
sqlite3 acvtrack.db "PRAGMA auto_vacuum = NONE; VACUUM;"
expect_equal "auto_vacuum off" "$(sqlite3 acvtrack.db "PRAGMA auto_vacuum")" 0
ok -q score --area demo_capital_metro --year 2025
ok runs prune
case "$OUT" in
  "runs prune: 1 of 9 runs removed;"*"reclaimed (a full VACUUM: the file had no incremental auto-vacuum yet)") ;;
  *) fail "prune of a workspace without auto-vacuum printed $OUT" ;;
esac
expect_equal "auto_vacuum on" "$(sqlite3 acvtrack.db "PRAGMA auto_vacuum")" 2

# ---- mistakes ------------------------------------------------------------------------------------
run runs prune --before 2026-13-01
expect_rc 2
expect_err "acvtrack: --before '2026-13-01' is not a date like 2026-01-31
Try 'acvtrack runs --help'."
run runs prune --keep-latest 0
expect_rc 2
run runs list --area nowhere
expect_rc 3
expect_err "acvtrack: no area 'nowhere' in the workspace"
run runs
expect_rc 2
