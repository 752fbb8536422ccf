#!/bin/sh
# Runs every libFuzzer harness of tests/fuzz (docs/testing.md, "Fuzzers"): each target first
# replays its corpus (the committed regression inputs of tests/fuzz/corpus/TARGET, the seeds made
# from tests/fixtures and indicators/, and what earlier runs found), then mutates for SECONDS.
# Fails when a target reports a crash, a leak, a timeout or running out of memory; the input is
# left as BUILD/artifacts/TARGET/crash-* (replay it: BUILD/tests/fuzz/fuzz_TARGET FILE).
#
# usage: run.sh BUILD SECONDS [PARALLEL]   (BUILD: a folder configured with -DACV_FUZZ=ON)
set -eu
build=$1
seconds=$2
parallel=${3:-1}
src=$(cd "$(dirname "$0")/../.." && pwd)
fuzz=$src/tests/fuzz
targets="csv yaml framework lua package"

# Seeds from the project's own files, made again on every run (the fixtures may change).
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds/csv" "$seeds/yaml" "$seeds/framework" "$seeds/lua" "$seeds/package"
n=0
for f in "$src"/tests/fixtures/csv/*.csv "$src"/tests/fixtures/import/*.csv \
  "$src"/indicators/sample/*.csv; do
  [ "$(wc -c <"$f")" -le 65536 ] || continue
  n=$((n + 1))
  # the first byte chooses the separator: 0 comma, 3 detect (fuzz_csv.c)
  { printf '\000'; cat "$f"; } >"$seeds/csv/$n-comma"
  { printf '\003'; cat "$f"; } >"$seeds/csv/$n-detect"
done
n=0
find "$src/tests/fixtures" "$src/indicators" -name '*.yml' -size -64k | sort | while read -r f; do
  n=$((n + 1))
  cp "$f" "$seeds/yaml/$n.yml"
done
# fuzz_framework's layout: framework.yml, a pillar file, data-elements.yml, an assessment file,
# an overlay file, separated by the line "#~~~" (fuzz_framework.c)
pack() { # FRAMEWORK_DIR OVERLAY_DIR_OR_EMPTY OUT
  ind=$1/indicators
  pillar=$(ls "$ind"/*.yml | grep -v -e /framework.yml -e /data-elements.yml -e /units.yml | head -1)
  for part in "$ind/framework.yml" "$pillar" "$ind/data-elements.yml" \
    "$(ls "$ind"/assessment/*.yml 2>/dev/null | head -1)" \
    "$( [ -n "$2" ] && ls "$2"/indicators/*.yml | head -1)"; do
    [ -n "$part" ] && [ -f "$part" ] && cat "$part"
    printf '#~~~\n'
  done >"$3"
}
for d in "$src"/tests/fixtures/framework/*/; do
  [ -f "$d/indicators/framework.yml" ] || continue
  pack "$d" "" "$seeds/framework/$(basename "$d")"
  pack "$d" "$src/tests/fixtures/overlays/any-data" "$seeds/framework/$(basename "$d")-overlay"
done
pack "$src" "$src/scripts/adaptations/demo-coastal-town" "$seeds/framework/shipped-demo-overlay"
# Lua sources: the first byte 'L' (even) makes fuzz_lua read the rest as a script
find "$src/scripts" "$src/plugins" "$src/tests/lua" -name '*.lua' -size -64k | sort |
  while read -r f; do
    { printf 'L'; cat "$f"; } >"$seeds/lua/$(echo "${f#"$src"/}" | tr / _)"
  done

run_target() { # TARGET
  t=$1
  bin=$build/tests/fuzz/fuzz_$t
  work=$build/corpus/$t # what this machine's runs found: first, so new inputs go there
  art=$build/artifacts/$t
  mkdir -p "$work" "$art"
  rm -f "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*
  case $t in
    csv) dict=csv; maxlen=65536; extra= ;;
    yaml) dict=yaml; maxlen=65536; extra= ;;
    framework) dict=yaml; maxlen=262144; extra= ;;
    # scripts print: keep their stderr out of the log (libFuzzer's own report still shows)
    lua) dict=lua; maxlen=65536; extra=-close_fd_mask=2 ;;
    # a package is a SQLite file: no dictionary, and room for a small package (the corpus's are
    # 48 KiB); its seeds are the committed corpus
    package) dict=; maxlen=262144; extra= ;;
  esac
  # -timeout 10: the sandbox's own limit is 0.1 s and its watchdog ends a run after 2.1 s
  status=0
  # the corpus alone first (no mutation), so SECONDS of fuzzing come after it whatever its size
  "$bin" -runs=0 -timeout=10 -rss_limit_mb=2560 -max_len=$maxlen -artifact_prefix="$art/" \
    $extra "$work" "$fuzz/corpus/$t" "$seeds/$t" >"$build/fuzz-$t-replay.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $t FAILED on its corpus (exit $status): $(ls "$art")" >&2
    grep -E 'ERROR|SUMMARY|Running: |deadly|stopped by the watchdog' "$build/fuzz-$t-replay.log" |
      head -20 >&2
    echo "fuzz: the whole log is $build/fuzz-$t-replay.log" >&2
    return 1
  fi
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=$maxlen \
    ${dict:+"-dict=$fuzz/dict/$dict.dict"} -artifact_prefix="$art/" -print_final_stats=1 $extra \
    "$work" "$fuzz/corpus/$t" "$seeds/$t" >"$build/fuzz-$t.log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz-$t.log")
  cov=$(grep -o 'cov: [0-9]*' "$build/fuzz-$t.log" | tail -1)
  found=$(ls "$art" | grep -c -e '^crash-' -e '^leak-' -e '^timeout-' -e '^oom-' || true)
  if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
    echo "fuzz: $t FAILED (exit $status; ${runs:-?} runs; ${cov:-cov: ?}): $(ls "$art")" >&2
    grep -E 'ERROR|SUMMARY|==[0-9]+==|deadly|stopped by the watchdog' "$build/fuzz-$t.log" | head -20 >&2
    echo "fuzz: the whole log is $build/fuzz-$t.log" >&2
    return 1
  fi
  echo "fuzz: $t ok (${runs:-?} runs in ${seconds} s after the corpus; ${cov:-cov: ?}; corpus $(ls "$work" | wc -l) found here + $(ls "$fuzz/corpus/$t" | wc -l) committed + $(ls "$seeds/$t" | wc -l) seeds)"
}

failed=0
set -- $targets
while [ $# -gt 0 ]; do
  pids=""
  i=0
  while [ $# -gt 0 ] && [ $i -lt "$parallel" ]; do
    run_target "$1" &
    pids="$pids $!"
    shift
    i=$((i + 1))
  done
  for p in $pids; do
    wait "$p" || failed=1
  done
done
exit $failed
