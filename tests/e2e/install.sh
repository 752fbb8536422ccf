#!/bin/sh
# `make install PREFIX=...` into a folder outside the project, moved after installing: the
# installed binary finds the framework, scripts and plugins beside itself (<prefix>/share/acvtrack
# for <prefix>/bin/acvtrack), not in the source tree, and runs the first steps of the README from
# another folder. The man page is installed and names every command, option, variable and exit
# code that `acvtrack --help` prints.
set -eu
. "$(dirname "$0")/lib/assert.sh"

T=$(mktemp -d /tmp/acvtrack-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
T=$(cd "$T" && pwd -P)
BUILD_DIR=$(dirname "$ACVTRACK")

# install from the build folder the tests run from (it is reused, not reconfigured)
set +e
make -s -C "$ACV_SOURCE" install PREFIX="$T/prefix" BUILD="$BUILD_DIR" >"$T/make.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "make install exited $rc: $(cat "$T/make.out")"
expect_equal "make install summary" "$(tail -1 "$T/make.out")" \
  "install: $T/prefix/bin/acvtrack, its framework, scripts and plugins in $T/prefix/share/acvtrack, docs in $T/prefix/share/doc/acvtrack, man page acvtrack(1)"

# what is installed is the project's own files, byte for byte
P="$T/prefix"
[ -x "$P/bin/acvtrack" ] || fail "no $P/bin/acvtrack"
for d in indicators scripts plugins; do
  diff -r "$ACV_SOURCE/$d" "$P/share/acvtrack/$d" >/dev/null || fail "share/acvtrack/$d differs from $d/"
done
for f in "$ACV_SOURCE"/docs/*.md "$ACV_SOURCE/README.md"; do
  cmp -s "$f" "$P/share/doc/acvtrack/$(basename "$f")" || fail "share/doc/acvtrack lacks $(basename "$f")"
done
MAN="$P/share/man/man1/acvtrack.1"
cmp -s "$ACV_SOURCE/docs/acvtrack.1" "$MAN" || fail "no man page at $MAN"
[ ! -e "$P/share/doc/acvtrack/acvtrack.1" ] || fail "the man page is also among the docs"

# the installed tree is found relative to the binary: move it, and run it from a folder that is
# neither the project nor the prefix, with no ACVTRACK_* variable set
mv "$T/prefix" "$T/moved"
P="$T/moved"
MAN="$P/share/man/man1/acvtrack.1"
unset ACVTRACK_FRAMEWORK ACVTRACK_DB ACVTRACK_OVERLAY
mkdir "$T/work"
cd "$T/work"
ACVTRACK="$P/bin/acvtrack"
ok --help
printf '%s\n' "$OUT" >"$T/help.txt"
expect_line "$T/help.txt" "                     else $P/share/acvtrack)"

ok init
case "$OUT" in
  "workspace acvtrack.db ready: framework acv2045-asean-starter 0.1.0 with 86 indicators in 4 pillars and 17 action areas; 44 areas; "*) ;;
  *) fail "init printed: $OUT" ;;
esac
[ -f "$T/work/acvtrack.db" ] || fail "init did not create acvtrack.db in the current folder"
ok areas import "$P/share/acvtrack/indicators/sample/areas.csv"
expect_out "$P/share/acvtrack/indicators/sample/areas.csv: 4 areas read, 4 added or changed"
n=$(($(wc -l <"$P/share/acvtrack/indicators/sample/observations.csv") - 1))
ok import "$P/share/acvtrack/indicators/sample/observations.csv"
expect_out "$P/share/acvtrack/indicators/sample/observations.csv: import 1: $n observations: $n new, 0 revised, 0 unchanged"
ok indicators
expect_equal "indicators | head -3" "$(printf '%s\n' "$OUT" | head -3)" \
  "ID         CORE  DIR            UNIT            SDG               NAME
PS.DRR.1   yes   lower          per 100,000     11.5.1,1.5.1,     Disaster deaths and missing per 100,000 (5-yr avg)
                                                13.1.1"
# the scoring scripts and a plugin come from the installed tree too
ok -q score --area demo_capital_metro --year 2025
case "$OUT" in
  "demo_capital_metro 2025: run 1: 20 of 86 indicators have data, "*) ;;
  *) fail "score printed: $OUT" ;;
esac
ok plugins
printf '%s\n' "$OUT" >"$T/plugins.txt"
grep -q '^indicator-csv  *exporter  *[0-9.]*  *plugins/indicator-csv.lua ' "$T/plugins.txt" ||
  fail "plugins does not list the installed indicator-csv: $OUT"
ok -q export --format indicator-csv --area demo_capital_metro -o table.csv
[ -s table.csv ] || fail "export wrote nothing"
# a changed installed framework is what the installed binary reads (not the project's)
sed 's/^  version: "0.1.0"/  version: "0.1.0-installed"/' "$P/share/acvtrack/indicators/framework.yml" >"$T/fw.yml"
cmp -s "$T/fw.yml" "$P/share/acvtrack/indicators/framework.yml" && fail "framework.yml has no version line to change"
cp "$T/fw.yml" "$P/share/acvtrack/indicators/framework.yml"
ok framework check
case "$ERR" in
  "$P/share/acvtrack: framework acv2045-asean-starter 0.1.0-installed is valid: "*) ;;
  *) fail "framework check printed: $ERR" ;;
esac

# the man page renders (with man, when this machine has it) ...
if command -v man >/dev/null 2>&1; then
  first=$(LC_ALL=C MANWIDTH=80 man -l "$MAN" 2>"$T/man.err" | head -5 | sed 's/  */ /g')
  expect_equal "man -l acvtrack.1 | head -5" "$first" "ACVTRACK(1) User Commands ACVTRACK(1)

NAME
 acvtrack - localise the ASEAN Community Vision 2045 and track a city's
 progress"
  [ ! -s "$T/man.err" ] || fail "man warned: $(cat "$T/man.err")"
else
  echo "install.sh: the man program is not installed: not rendering acvtrack.1 (the checks of its text below still run)"
fi

# ... and says what --help says: the version, every command (both ways), every option of every
# command, every environment variable and every exit code with its meaning
man_text=$(sed 's/\\-/-/g; s/\\f[BIR]//g; s/\\://g' "$MAN")
printf '%s\n' "$man_text" >"$T/man.txt"
ok --version
grep -q "^\.TH ACVTRACK 1 \"\" \"$OUT\" " "$T/man.txt" || fail "the man page is not for $OUT"
help_cmds=$(sed -n '/^Commands:/,/^$/p' "$T/help.txt" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | sort -u)
man_cmds=$(sed -n '/^\.SH COMMANDS/,/^\.SH OPTIONS/p' "$T/man.txt" | awk 'prev == ".TP" { print $1 } { prev = $0 }' | sort -u)
expect_equal "commands in the man page" "$man_cmds" "$help_cmds"
global_opts=$(sed -n '/^Options for every command:/,/^$/p' "$T/help.txt" |
  grep -o -- '^  -[-a-z]*\(, --[a-z]*\)\?' | tr -d ' ,' | sed 's/\(.\)--/\1 --/')
global_opts=$(echo $global_opts) # one line
expect_equal "options for every command" "$global_opts" "--db --framework --overlay -q --quiet -h --help --version"
for opt in $global_opts; do
  sed -n '/^\.SH OPTIONS/,/^\.SH ENVIRONMENT/p' "$T/man.txt" | grep -qE -- "^\.B[RI]? (.* )?$opt( |\$)" ||
    fail "the man page has no option $opt"
done
for cmd in $help_cmds; do
  run "$cmd" --help
  usage=$(printf '%s\n' "$OUT" | head -1)
  for opt in $(printf '%s\n' "$usage" | grep -o -- '[[ |]-[-a-z]*[a-z]' | cut -c2- | sort -u); do
    case " $global_opts " in *" $opt "*) continue ;; esac # under OPTIONS, checked above
    sed -n '/^\.SH COMMANDS/,/^\.SH OPTIONS/p' "$T/man.txt" | grep -q -- "$opt\b" ||
      fail "the man page does not show $cmd's option $opt"
  done
done
for var in $(grep -o 'ACVTRACK_[A-Z_]*' "$T/help.txt" | sort -u); do
  grep -qx "\.B $var" "$T/man.txt" || fail "the man page's ENVIRONMENT lacks $var"
done
sed -n 's/^  \([0-9]\)  \(.*\)/\1 \2/p' "$T/help.txt" >"$T/codes.txt"
expect_equal "exit codes in --help" "$(wc -l <"$T/codes.txt")" 7
while read -r code meaning; do
  man_meaning=$(sed -n "/^\.SH EXIT STATUS/,/^\.SH /{/^\.B $code\$/{n;p;}}" "$T/man.txt")
  expect_equal "exit status $code" "$(printf '%s' "$man_meaning" | tr 'A-Z' 'a-z' | sed 's/,//g; s/\.$//')" \
    "$(printf '%s' "$meaning" | tr 'A-Z' 'a-z' | sed 's/,//g')"
done <"$T/codes.txt"

echo "install: ok"
