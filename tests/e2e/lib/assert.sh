# Shared by the end-to-end scripts in tests/e2e/ (sourced, not a test itself; docs/testing.md).
# The environment comes from tests/CMakeLists.txt: ACVTRACK (the built binary), ACV_SOURCE (the
# project) and ACV_TMP (a folder for this script alone, emptied here).

: "${ACVTRACK:?set ACVTRACK to the built acvtrack}"
: "${ACV_SOURCE:?set ACV_SOURCE to the project folder}"
: "${ACV_TMP:?set ACV_TMP to a scratch folder}"

rm -rf "$ACV_TMP"
mkdir -p "$ACV_TMP"
cd "$ACV_TMP"

SAMPLE="$ACV_SOURCE/indicators/sample"
SCRIPT_NAME=$(basename "$0")

fail() {
  printf '%s: FAIL: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 1
}

# run ARGS...: runs acvtrack in the workspace folder; sets RC, OUT (stdout) and ERR (stderr)
# without stopping the script when acvtrack fails.
run() {
  LAST="acvtrack $*"
  set +e
  "$ACVTRACK" "$@" >"$ACV_TMP/.out" 2>"$ACV_TMP/.err"
  RC=$?
  set -e
  OUT=$(cat "$ACV_TMP/.out")
  ERR=$(cat "$ACV_TMP/.err")
}

# ok ARGS...: run, and fail unless the exit status is 0.
ok() {
  run "$@"
  [ "$RC" -eq 0 ] || fail "'$LAST' exited $RC, expected 0; stderr: $ERR"
}

expect_rc() {
  [ "$RC" -eq "$1" ] || fail "'$LAST' exited $RC, expected $1; stderr: $ERR"
}

expect_out() {
  [ "$OUT" = "$1" ] || fail "'$LAST' printed
$OUT
expected
$1"
}

expect_err() {
  [ "$ERR" = "$1" ] || fail "'$LAST' printed on stderr
$ERR
expected
$1"
}

# expect_equal WHAT ACTUAL EXPECTED
expect_equal() {
  [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# expect_line FILE LINE: FILE has LINE as one of its lines, exactly.
expect_line() {
  grep -qxF -- "$2" "$1" || fail "$1 has no line
$2"
}

# csv_field FILE ID COLUMN: the COLUMN-th field of the CSV line whose first field is ID (quoted
# fields are emptied first, so a comma inside quotes does not shift the columns).
csv_field() {
  sed 's/"[^"]*"//g' "$1" | awk -F, -v id="$2" -v col="$3" '$1 == id { print $col; exit }'
}
