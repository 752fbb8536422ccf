#!/usr/bin/env bash
# bench/run.sh — the ASEAN-scale benchmark of issue 8 (see bench/README.md).
#
#   bench/run.sh [SIZE]        SIZE: full (default: 20,000 local governments, ~10M observations),
#                              medium (2,000), small (200), tiny (20), or a number of local governments
#
# Environment (all optional):
#   SIZE          as the argument
#   BUILD         the build folder (default: build, relative to the source folder)
#   ACVTRACK      the acvtrack binary (default: $BUILD/acvtrack)
#   BENCH_BIN     folder with acvbench-gen, acvbench-insert, acvbench-score (default: $BUILD/bench;
#                 when they are missing they are compiled with cc into the work folder)
#   BENCH_OUT     where results-<size>.json and the work folder run-<size>/ go (default: $BUILD/bench)
#   SEED, YEAR    generator seed (default 2045) and the year scored (default 2025)
#   PYTHON        the Python with pandas (default: /usr/bin/python3, Debian's python3-pandas)
#   BENCH_PANDAS  auto (default: run when pandas imports), 0 (never) or 1 (required)
#   BENCH_KEEP    1 keeps the CSV files and workspaces (they are large at full size)
#
# Prints one line per step (rows, rows/s, wall time, peak memory), then the issue's target ratios
# and whether each is met, and writes the same figures to $BENCH_OUT/results-<size>.json.
set -u
export LC_ALL=C

SIZE=${1:-${SIZE:-full}}
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
ACVTRACK=${ACVTRACK:-$BUILD/acvtrack}
BENCH_BIN=${BENCH_BIN:-$BUILD/bench}
BENCH_OUT=${BENCH_OUT:-$BUILD/bench}
SEED=${SEED:-2045}
YEAR=${YEAR:-2025}
PYTHON=${PYTHON:-/usr/bin/python3}
BENCH_PANDAS=${BENCH_PANDAS:-auto}
BENCH_KEEP=${BENCH_KEEP:-0}
mkdir -p "$BENCH_OUT" && BENCH_OUT=$(cd "$BENCH_OUT" && pwd) || { echo "bench: cannot create $BENCH_OUT" >&2; exit 1; }
WORK=$BENCH_OUT/run-$SIZE
JSON=$BENCH_OUT/results-$SIZE.json
ACV=("$ACVTRACK" -q --framework "$SRC")

die() { echo "bench: $*" >&2; exit 1; }

case $SIZE in
  tiny|small|medium|full) ;;
  *[!0-9]*|'') die "SIZE '$SIZE' is not tiny, small, medium, full or a number of areas" ;;
esac
[ -x "$ACVTRACK" ] || die "no acvtrack at $ACVTRACK (build first: make build)"
command -v sqlite3 >/dev/null || die "the sqlite3 shell is needed (Debian package sqlite3)"

rm -rf "$WORK"
mkdir -p "$WORK/logs" || die "cannot create $WORK"

# ---- the helper programs ----------------------------------------------------------------------
if [ ! -x "$BENCH_BIN/acvbench-gen" ] || [ ! -x "$BENCH_BIN/acvbench-insert" ] ||
   [ ! -x "$BENCH_BIN/acvbench-score" ]; then
  BENCH_BIN=$WORK/bin
  mkdir -p "$BENCH_BIN"
  CC=${CC:-cc}
  SQLFLAGS=$(pkg-config --cflags --libs sqlite3 2>/dev/null || echo -lsqlite3)
  $CC -O2 -std=c11 -o "$BENCH_BIN/acvbench-gen" "$SRC/bench/gen.c" &&
    $CC -O2 -std=c11 -o "$BENCH_BIN/acvbench-insert" "$SRC/bench/baseline_insert.c" $SQLFLAGS &&
    $CC -O2 -std=c11 -o "$BENCH_BIN/acvbench-score" "$SRC/bench/baseline_score.c" $SQLFLAGS ||
    die "cannot compile the bench programs (build them with cmake instead)"
fi

# Peak memory: GNU time (Debian package time) when present, else a getrusage wrapper.
if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
  PEAK=(/usr/bin/time -f '%M' -o "$WORK/.peak")
else
  mkdir -p "$WORK/bin"
  cat >"$WORK/bin/peak.c" <<'EOF'
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    FILE *f = fopen(argv[1], "w");
    if (f) {
        fprintf(f, "%ld\n", ru.ru_maxrss);
        fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
EOF
  ${CC:-cc} -O2 -o "$WORK/bin/peak" "$WORK/bin/peak.c" || die "no /usr/bin/time and no C compiler"
  PEAK=("$WORK/bin/peak" "$WORK/.peak")
fi

# ---- measuring ----------------------------------------------------------------------------------
STEPS=()   # JSON objects, one per step
declare -A SEC KIB ROWS
fmt_table() { printf '%-50s %11s %11s %9s %9s  %s\n' "$@"; }
fmt_table step rows rows/s wall_s peak_MiB note

# measure KEY "label" ROWS "note" CMD... ; stdout and stderr go to logs/KEY.log
measure() {
  local key=$1 label=$2 rows=$3 note=$4
  shift 4
  local t0=$EPOCHREALTIME
  "${PEAK[@]}" "$@" >"$WORK/logs/$key.log" 2>&1
  local rc=$? t1=$EPOCHREALTIME
  if [ $rc -ne 0 ]; then
    tail -5 "$WORK/logs/$key.log" >&2
    die "step '$label' failed (exit $rc); log: $WORK/logs/$key.log"
  fi
  record "$key" "$label" "$rows" "$note" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')" \
    "$(tail -1 "$WORK/.peak")"
}

# record KEY "label" ROWS "note" SECONDS PEAK_KIB
record() {
  local key=$1 label=$2 rows=$3 note=$4 sec=$5 kib=$6
  SEC[$key]=$sec KIB[$key]=$kib ROWS[$key]=$rows
  [ "${QUIET:-0}" = 1 ] && return 0
  local rate mib
  rate=$(awk -v r="$rows" -v s="$sec" 'BEGIN{ if (s > 0 && r > 0) printf "%.0f", r / s; else print "-" }')
  mib=$(awk -v k="$kib" 'BEGIN{printf "%.1f", k / 1024}')
  fmt_table "$label" "$rows" "$rate" "$sec" "$mib" "$note"
  STEPS+=("{\"key\": \"$key\", \"step\": \"$label\", \"rows\": $rows, \"seconds\": $sec, \"rows_per_s\": $( [ "$rate" = - ] && echo null || echo "$rate"), \"peak_kib\": $kib, \"note\": \"$note\"}")
}

# ---- 0. the data set ------------------------------------------------------------------------------
DATA=$WORK/data
QUIET=1 measure generate "" 0 "" \
  "$BENCH_BIN/acvbench-gen" --framework "$SRC" --out "$DATA" --size "$SIZE" --seed "$SEED" \
  --last-year "$YEAR" --shuffle
N_OBS=$(($(wc -l <"$DATA/observations.csv") - 1))
N_AREAS=$(($(wc -l <"$DATA/areas.csv") - 1))
N_LG=$(grep -c -- ',\(city\|municipality\),' "$DATA/areas.csv")
record generate "0. generate (acvbench-gen, + shuffled copy)" "$N_OBS" "seed $SEED" "${SEC[generate]}" "${KIB[generate]}"
echo "data: $N_LG local governments ($N_AREAS areas with ASEAN, countries and provinces), $N_OBS observations; $(du -h "$DATA/observations.csv" | cut -f1) of CSV"

# ---- 1. import into a fresh workspace -------------------------------------------------------------
new_workspace() { # DB
  rm -f "$1" "$1-wal" "$1-shm"
  "${ACV[@]}" --db "$1" init >/dev/null && "${ACV[@]}" --db "$1" areas import "$DATA/areas.csv" >/dev/null
}
WS=$WORK/ws-sorted.db
WS2=$WORK/ws-shuffled.db
new_workspace "$WS" || die "cannot create the workspace $WS"
new_workspace "$WS2" || die "cannot create the workspace $WS2"
# the key-ordered file must be in the workspace's key order: indicators numbered as the generator listed them
sqlite3 "$WS" "SELECT code FROM indicators ORDER BY id" | head -n "$(($(wc -l <"$DATA/indicators.csv") - 1))" |
  cmp -s - <(tail -n +2 "$DATA/indicators.csv" | cut -d, -f1) ||
  echo "bench: warning: the workspace numbers the indicators differently from the generator: observations.csv is not in key order"

measure import_sorted "1. import (key-ordered CSV)" "$N_OBS" "fresh workspace" \
  "${ACV[@]}" --db "$WS" import "$DATA/observations.csv"
measure import_shuffled "1. import (shuffled CSV)" "$N_OBS" "fresh workspace" \
  "${ACV[@]}" --db "$WS2" import "$DATA/observations-shuffled.csv"
[ "$BENCH_KEEP" = 1 ] || rm -f "$WS2" "$WS2-wal" "$WS2-shm"

# ---- 1b. signed submissions: receiving the same rows as packages (issue 16) ---------------------
# The key-ordered workspace signs one package per country (every area of the country, all years);
# a fresh workspace that trusts its key for every country receives the ten packages: the same
# rows as the import above, verified and imported with their provenance.
COUNTRIES=$(awk -F, '$3 == "country" {print $1}' "$DATA/areas.csv")
export COUNTRIES_LIST="$COUNTRIES"
rm -f "$WS.key" "$WS.pub"
"${ACV[@]}" --db "$WS" keys create bench >/dev/null || die "keys create failed"
PKGS=()
for cc in $COUNTRIES; do
  PKGS+=("$WORK/submission-$cc.acvs")
done
measure submission_create "1b. submission create --full (one per country)" "$N_OBS" "$(echo $COUNTRIES | wc -w) packages" \
  bash -c 'db=$1 work=$2; shift 2; for cc in $COUNTRIES_LIST; do "$@" --db "$db" submission create --area "$cc" --full -o "$work/submission-$cc.acvs" || exit 1; done' \
  create "$WS" "$WORK" "${ACV[@]}"
WSR=$WORK/ws-received.db
new_workspace "$WSR" || die "cannot create the workspace $WSR"
"${ACV[@]}" --db "$WSR" keys trust "$WS.pub" --areas "$(echo $COUNTRIES | tr ' ' ',')" >/dev/null ||
  die "keys trust failed"
measure submission_receive "1b. submission receive (the packages)" "$N_OBS" "fresh workspace, $(du -ch "${PKGS[@]}" | tail -1 | cut -f1) of packages" \
  "${ACV[@]}" --db "$WSR" submission receive "${PKGS[@]}"
RECEIVED=$(sqlite3 "$WSR" "SELECT count(*) || ' ' || printf('%.6f', sum(value)) FROM observations")
IMPORTED=$(sqlite3 "$WS" "SELECT count(*) || ' ' || printf('%.6f', sum(value)) FROM observations")
if [ "$RECEIVED" = "$IMPORTED" ]; then
  echo "check: the received workspace holds the imported one's observations ($RECEIVED: count, sum)"
else
  echo "check: received ($RECEIVED) and imported ($IMPORTED) observations DISAGREE"
  SUBMISSIONS_OK=false
fi
[ "$BENCH_KEEP" = 1 ] || rm -f "$WSR" "$WSR-wal" "$WSR-shm" "${PKGS[@]}"

# ---- 2. scoring -------------------------------------------------------------------------------------
measure score "2. score --all --year $YEAR" "$N_OBS" "$N_LG areas, Lua methods, runs stored, $(nproc) threads" \
  "$ACVTRACK" --framework "$SRC" --db "$WS" score --all --year "$YEAR"
ENGINE_CHECK_THREADS=$(sqlite3 "$WS" "SELECT count(*) || ' ' || printf('%.6f', sum(score)) FROM run_results WHERE level = 'overall' AND score IS NOT NULL AND run_id IN (SELECT max(id) FROM runs WHERE year = $YEAR GROUP BY area_id)")
# the same on one thread, for the record (not a target): what each core does
if "$ACVTRACK" score --help 2>&1 | grep -q -- '--jobs'; then
  measure score_1 "2. score --all --jobs 1 (one thread, not a target)" "$N_OBS" "the same runs again" \
    "$ACVTRACK" --framework "$SRC" --db "$WS" score --all --year "$YEAR" --jobs 1
fi
ENGINE_CHECK=$(sqlite3 "$WS" "SELECT count(*) || ' ' || printf('%.6f', sum(score)) FROM run_results WHERE level = 'overall' AND score IS NOT NULL AND run_id IN (SELECT max(id) FROM runs WHERE year = $YEAR GROUP BY area_id)")

# ---- 3. ranking and comparison (SQL over the stored runs; acvtrack has no ranking command yet) ---
PILLARS=$(tail -n +2 "$DATA/indicators.csv" | awk -F, '$2 == "indicator" && !seen[$7]++ {print $7}')
PCOLS=""
for p in $PILLARS; do
  PCOLS="$PCOLS, round(max(CASE WHEN r.level = 'pillar' AND r.code = '$p' THEN r.score END), 1) AS $p"
done
SCORES="WITH latest AS (SELECT area_id, max(id) AS run_id FROM runs WHERE year = $YEAR GROUP BY area_id),
 scores AS (SELECT a.code, a.name, a.country,
   round(max(CASE WHEN r.level = 'overall' THEN r.score END), 1) AS overall $PCOLS
   FROM latest l JOIN areas a ON a.id = l.area_id
   JOIN run_results r ON r.run_id = l.run_id AND r.level IN ('overall', 'pillar')
   %s GROUP BY a.id)"
COUNTRY=TH
# shellcheck disable=SC2059
Q_COUNTRY="$(printf "$SCORES" "WHERE a.country = '$COUNTRY'")
 SELECT rank() OVER (ORDER BY overall DESC) AS rank, * FROM scores ORDER BY rank;"
# shellcheck disable=SC2059
Q_ASEAN="$(printf "$SCORES" "")
 SELECT rank() OVER (ORDER BY overall DESC) AS asean_rank,
   rank() OVER (PARTITION BY country ORDER BY overall DESC) AS country_rank, * FROM scores
 ORDER BY asean_rank;
 $(printf "$SCORES" "")
 SELECT country, count(*) AS areas, round(avg(overall), 1) AS mean, min(overall) AS min,
   max(overall) AS max FROM scores GROUP BY country ORDER BY mean DESC;"
N_COUNTRY=$(grep -c "^$COUNTRY-P[0-9]*-" "$DATA/areas.csv")
if "$ACVTRACK" report --help 2>&1 | grep -q -- '--compare'; then
  measure compare_country "3. report --compare country:$COUNTRY (csv)" "$N_COUNTRY" "acvtrack command" \
    "$ACVTRACK" --framework "$SRC" --db "$WS" report --compare "country:$COUNTRY" --year "$YEAR" \
    --format csv -o "$WORK/compare-$COUNTRY.csv"
else
  echo "3. report --compare: skipped (this acvtrack has no --compare)"
fi
measure rank_country "3. rank all areas of one country ($COUNTRY)" "$N_COUNTRY" "SQL over stored runs" \
  sqlite3 -csv -header "$WS" "$Q_COUNTRY"
cp "$WORK/logs/rank_country.log" "$WORK/rank-$COUNTRY.csv"
measure rank_asean "3. rank all ASEAN areas + country means" "$N_LG" "SQL over stored runs" \
  sqlite3 -csv -header "$WS" "$Q_ASEAN"
cp "$WORK/logs/rank_asean.log" "$WORK/rank-asean.csv"

# ---- 4. one city's report (HTML when this acvtrack has it, and Markdown) -----------------------------
CITY=$(grep -m1 -o '^TH-P01-0001,' "$DATA/areas.csv" | tr -d ,)
[ -n "$CITY" ] || CITY=$(sed -n 2p "$DATA/observations.csv" | cut -d, -f1)
FORMATS=md
"$ACVTRACK" report --help 2>&1 | grep -q 'html' && FORMATS="html md"
REPORT_KEY=""
for format in $FORMATS; do
  best=""
  for i in 1 2 3 4 5; do
    QUIET=1 measure "report_${format}_$i" "report #$i" 0 "" \
      "$ACVTRACK" --framework "$SRC" --db "$WS" report --area "$CITY" --year "$YEAR" \
      --format "$format" -o "$WORK/report-$CITY.$format"
    if [ -z "$best" ] || awk -v a="${SEC[report_${format}_$i]}" -v b="${SEC[$best]}" 'BEGIN{exit !(a < b)}'; then
      best=report_${format}_$i
    fi
  done
  # the fastest of five runs (the first one also pays for a cold page cache)
  record "report_$format" "4. report --format $format (one city, best of 5)" 0 "$CITY" "${SEC[$best]}" "${KIB[$best]}"
  [ -n "$REPORT_KEY" ] || REPORT_KEY=report_$format
done

# ---- 5. baselines -----------------------------------------------------------------------------------------
# the sqlite3 shell with the engine's journal settings: into a plain table (what the issue names:
# no key, no checks), and into a table keyed like observations (what the probe measured)
for table in plain keyed; do
  for order in sorted shuffled; do
    csv=$DATA/observations.csv
    [ $order = sorted ] || csv=$DATA/observations-shuffled.csv
    key="" note="no key, no checks"
    if [ $table = keyed ]; then
      key=", PRIMARY KEY (area, indicator, period)) WITHOUT ROWID"
      note="PRIMARY KEY (area, indicator, period)"
    else
      key=")"
    fi
    rm -f "$WORK/plain.db" "$WORK/plain.db-wal" "$WORK/plain.db-shm"
    printf '%s\n' "PRAGMA journal_mode = WAL;" "PRAGMA synchronous = NORMAL;" \
      "CREATE TABLE obs(area TEXT, indicator TEXT, period TEXT, value REAL$key;" \
      ".import --csv --skip 1 $csv obs" >"$WORK/import-$table-$order.sql"
    label="5. sqlite3 .import, $table table ($([ $order = sorted ] && echo key order || echo shuffled))"
    measure "sqlite_import_${table}_$order" "$label" "$N_OBS" "$note" \
      sqlite3 -bail "$WORK/plain.db" ".read $WORK/import-$table-$order.sql"
  done
done
rm -f "$WORK/plain.db" "$WORK/plain.db-wal" "$WORK/plain.db-shm"
measure c_insert "5. C prepared inserts (key order)" "$N_OBS" "same schema, FKs on" \
  "$BENCH_BIN/acvbench-insert" "$WORK/base.db" "$DATA/areas.csv" "$DATA/indicators.csv" "$DATA/observations.csv"
measure c_insert_nofk "5. C prepared inserts (key order, no FKs)" "$N_OBS" "same schema, FKs off" \
  "$BENCH_BIN/acvbench-insert" --no-fk "$WORK/base.db" "$DATA/areas.csv" "$DATA/indicators.csv" "$DATA/observations.csv"
measure c_insert_shuffled "5. C prepared inserts (shuffled)" "$N_OBS" "same schema, FKs on" \
  "$BENCH_BIN/acvbench-insert" "$WORK/base.db" "$DATA/areas.csv" "$DATA/indicators.csv" "$DATA/observations-shuffled.csv"
# what an import that sorts before inserting could reach, with bounded memory (2M rows, 48 MB)
measure c_insert_sorted_chunks "5. C sort 2M-row chunks, then insert (shuffled)" "$N_OBS" "same schema, FKs on; 48 MB of rows" \
  "$BENCH_BIN/acvbench-insert" --sort-chunk 2000000 "$WORK/base.db" "$DATA/areas.csv" "$DATA/indicators.csv" "$DATA/observations-shuffled.csv"
rm -f "$WORK/base.db" "$WORK/base.db-wal" "$WORK/base.db-shm"
measure sql_aggregate "5. SQL aggregate (count, mean per area)" "$N_OBS" "GROUP BY area_id" \
  sqlite3 "$WS" "SELECT area_id, count(*), avg(value) FROM observations GROUP BY area_id"
measure c_score "5. C min-max loop over the workspace" "$N_OBS" "reads, scores, stores nothing" \
  "$BENCH_BIN/acvbench-score" "$WS" "$DATA/indicators.csv" "$YEAR"
C_CHECK=$(sed -n 's/.* \([0-9]*\) areas scored, sum of overall scores \([0-9.]*\)$/\1 \2/p' "$WORK/logs/c_score.log")

PANDAS_CHECK=""
run_pandas=0
if [ "$BENCH_PANDAS" != 0 ] && "$PYTHON" -c 'import pandas' 2>/dev/null; then
  run_pandas=1
elif [ "$BENCH_PANDAS" = 1 ]; then
  die "BENCH_PANDAS=1 but $PYTHON cannot import pandas (apt-get install python3-pandas)"
fi
if [ $run_pandas = 1 ]; then
  measure pandas "5. pandas: read CSV, same scores" "$N_OBS" "re-reads the CSV every time" \
    "$PYTHON" "$SRC/bench/pandas_score.py" "$DATA/observations.csv" "$DATA/indicators.csv" "$YEAR"
  PANDAS_CHECK=$(sed -n 's/.* \([0-9]*\) areas scored, sum of overall scores \([0-9.]*\)$/\1 \2/p' "$WORK/logs/pandas.log")
else
  echo "5. pandas: skipped ($PYTHON cannot import pandas; Debian package python3-pandas)"
fi

# ---- the same scores? ------------------------------------------------------------------------------------
same() { awk -v a="$1" -v b="$2" 'BEGIN{ split(a, x, " "); split(b, y, " ");
  d = x[2] - y[2]; if (d < 0) d = -d; exit !(x[1] == y[1] && d <= 1e-6 * (1 + (x[2] < 0 ? -x[2] : x[2]))) }'; }
# The baselines apply min-max to the latest value and nested means; the shipped Lua methods may do
# more (smoothing, log transforms, derived indicators, imputation), so the engine is compared for
# information only, while the C loop and pandas must agree with each other.
CHECKS_OK=true
[ "${SUBMISSIONS_OK:-true}" = true ] || CHECKS_OK=false
ENGINE_SAME=true
echo "check: areas scored and sum of overall scores: engine $ENGINE_CHECK; C loop $C_CHECK${PANDAS_CHECK:+; pandas $PANDAS_CHECK}"
if [ "$ENGINE_CHECK_THREADS" = "$ENGINE_CHECK" ]; then
  echo "check: score --all on $(nproc) threads and on one thread stored the same overall scores"
else
  echo "check: score --all on $(nproc) threads ($ENGINE_CHECK_THREADS) and on one thread ($ENGINE_CHECK) DISAGREE"
  CHECKS_OK=false
fi
if same "$ENGINE_CHECK" "$C_CHECK"; then
  echo "check: the engine's overall scores equal the plain min-max method's"
else
  ENGINE_SAME=false
  echo "check: the engine's overall scores differ from the plain min-max method's (expected when the shipped methods smooth, transform, derive or impute; see docs/performance.md)"
fi
if [ -n "$PANDAS_CHECK" ] && ! same "$C_CHECK" "$PANDAS_CHECK"; then
  CHECKS_OK=false
  echo "check: pandas and the C loop DISAGREE"
fi

# ---- targets (issue 8) -------------------------------------------------------------------------------------
TARGETS=()
MISSED=0
target() { # "name" MEASURED LIMIT "unit" [<] ; met when MEASURED <= LIMIT (< LIMIT with a 5th "<")
  local name=$1 measured=$2 limit=$3 unit=$4 op=${5:-<=} met
  if awk -v m="$measured" -v l="$limit" -v op="$op" 'BEGIN{exit !(op == "<" ? m < l : m <= l)}'; then
    met=met
  else
    met=MISSED
    MISSED=$((MISSED + 1))
  fi
  printf '  %-70s %10s %10s  %s\n' "$name" "$measured" "$op $limit" "$met"
  TARGETS+=("{\"target\": \"$name\", \"measured\": $measured, \"limit\": $limit, \"unit\": \"$unit\", \"met\": $( [ $met = met ] && echo true || echo false)}")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "0" }'; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k / 1024}'; }
echo "targets (ratios measured in this run):"
printf '  %-70s %10s %10s  %s\n' target measured limit ""
target "import, key-ordered CSV / C prepared inserts (key order)" "$(ratio "${SEC[import_sorted]}" "${SEC[c_insert]}")" 2 ratio
target "import, shuffled CSV / C prepared inserts (key order)" "$(ratio "${SEC[import_shuffled]}" "${SEC[c_insert]}")" 2 ratio
target "import, key-ordered CSV / sqlite3 .import, plain table (key order)" "$(ratio "${SEC[import_sorted]}" "${SEC[sqlite_import_plain_sorted]}")" 1 ratio "<"
target "import, shuffled CSV / sqlite3 .import, plain table (shuffled)" "$(ratio "${SEC[import_shuffled]}" "${SEC[sqlite_import_plain_shuffled]}")" 1 ratio "<"
target "import, key-ordered CSV / sqlite3 .import, keyed table (key order)" "$(ratio "${SEC[import_sorted]}" "${SEC[sqlite_import_keyed_sorted]}")" 1 ratio "<"
target "import, shuffled CSV / sqlite3 .import, keyed table (shuffled)" "$(ratio "${SEC[import_shuffled]}" "${SEC[sqlite_import_keyed_shuffled]}")" 1 ratio "<"
printf '  %-70s %10s\n' "(reference) C sort-then-insert, shuffled / C prepared inserts (key order)" \
  "$(ratio "${SEC[c_insert_sorted_chunks]}" "${SEC[c_insert]}")"
target "import peak memory, key-ordered CSV (MiB)" "$(mib "${KIB[import_sorted]}")" 256 MiB
target "import peak memory, shuffled CSV (MiB)" "$(mib "${KIB[import_shuffled]}")" 256 MiB
target "submission receive / import, key-ordered CSV (same rows)" "$(ratio "${SEC[submission_receive]}" "${SEC[import_sorted]}")" 1.5 ratio
target "submission receive peak memory (MiB)" "$(mib "${KIB[submission_receive]}")" 256 MiB
target "score --all / C min-max loop" "$(ratio "${SEC[score]}" "${SEC[c_score]}")" 3 ratio
target "score --all peak memory (MiB)" "$(mib "${KIB[score]}")" 512 MiB
if [ $run_pandas = 1 ]; then
  target "re-scoring from the workspace / pandas re-reading the CSV (time)" "$(ratio "${SEC[score]}" "${SEC[pandas]}")" 1 ratio "<"
  target "re-scoring from the workspace / pandas (peak memory)" "$(ratio "${KIB[score]}" "${KIB[pandas]}")" 1 ratio "<"
fi
target "one city's report (${REPORT_KEY#report_}), best of 5 (ms)" "$(awk -v s="${SEC[$REPORT_KEY]}" 'BEGIN{printf "%.0f", s * 1000}')" 100 ms "<"
echo "targets: $((${#TARGETS[@]} - MISSED)) of ${#TARGETS[@]} met$( [ $MISSED -gt 0 ] && echo "; $MISSED MISSED (see docs/performance.md for the profile and the engine changes that would meet them)")"

# ---- JSON -------------------------------------------------------------------------------------------------
join() { local IFS=,; echo "$*"; }
{
  echo "{"
  echo "  \"benchmark\": \"acvtrack ASEAN scale (issue 8)\","
  echo "  \"size\": \"$SIZE\", \"seed\": $SEED, \"year\": $YEAR,"
  echo "  \"local_governments\": $N_LG, \"areas\": $N_AREAS, \"observations\": $N_OBS,"
  echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"cpus\": $(nproc 2>/dev/null || echo 0),"
  echo "  \"acvtrack\": \"$("$ACVTRACK" --version | sed 's/"/\\"/g')\", \"sqlite\": \"$(sqlite3 -version | cut -d' ' -f1)\","
  echo "  \"baselines_agree\": $CHECKS_OK, \"engine_equals_plain_minmax\": $ENGINE_SAME,"
  echo "  \"steps\": ["
  join "${STEPS[@]}" | sed 's/},{/},\n    {/g; s/^/    /'
  echo "  ],"
  echo "  \"targets\": ["
  join "${TARGETS[@]}" | sed 's/},{/},\n    {/g; s/^/    /'
  echo "  ],"
  echo "  \"targets_missed\": $MISSED"
  echo "}"
} >"$JSON"
echo "results: $JSON"

if [ "$BENCH_KEEP" != 1 ]; then
  rm -rf "$DATA" "$WS" "$WS-wal" "$WS-shm"
fi
$CHECKS_OK || exit 1
exit 0
