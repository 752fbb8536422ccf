#!/bin/sh
# Files and paths a hostile plugin, overlay or command line can name (docs/reports.md "Where the
# output goes", docs/plugins.md "Output files"): a failed export leaves no new file and changes no
# existing one; -o never replaces a symbolic link, FIFO or device with a regular file; an
# importer's areas pass the same check as `areas import`; folder walks do not loop on symbolic
# links or block on FIFOs; require does not follow a link out of the overlay. Every command runs
# under `timeout` so a hang fails the test instead of stalling it.
set -eu
. "$(dirname "$0")/lib/assert.sh"

# run under a 20 s bound (exit 124 from timeout is then a failure of expect_rc)
trun() {
  LAST="acvtrack $*"
  set +e
  timeout -s KILL 20 "$ACVTRACK" "$@" >"$ACV_TMP/.out" 2>"$ACV_TMP/.err"
  RC=$?
  set -e
  OUT=$(cat "$ACV_TMP/.out")
  ERR=$(cat "$ACV_TMP/.err")
}

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" "$ACV_SOURCE/plugins" fw/
cat >fw/plugins/two-files.lua <<'LUA'
return {
  api = 1, name = "two-files", version = "0.1.0", kind = "exporter",
  description = "Writes first.txt and a second file named by --opt second",
  options = { { name = "second", help = "name of the second file" } },
  export = function(ctx)
    ctx.out:file("first.txt"):write("new first\n")
    ctx.out:file(ctx.options.second or "second.txt"):write("new second\n")
  end,
}
LUA
cat >fw/plugins/bad-areas.lua <<'LUA'
return {
  api = 1, name = "bad-areas", version = "0.1.0", kind = "importer",
  description = "Emits one area whose code or name is --opt code / --opt name",
  options = { { name = "code", help = "area code" }, { name = "name", help = "area name" } },
  import = function(ctx)
    local code = ctx.options.code or "fine_code"
    if code == "LONG" then code = string.rep("x", 5000) end
    if code == "NEWLINE" then code = "a\nb" end
    local name = ctx.options.name or "Some town"
    if name == "BADUTF8" then name = "Caf\xe9" end
    ctx.out:area{ code = code, name = name, level = "city" }
  end,
}
LUA
ok -q --framework fw init
ok -q --framework fw areas import "$SAMPLE/areas.csv"
printf 'year,value\n' >empty.csv
cp acvtrack.db before.db

# 1. a failed export: first.txt is kept as it was, nothing new appears
mkdir out
printf 'old first\n' >out/first.txt
mkdir -p out/second.txt/inside # a folder where the second file should go
trun --framework fw export --format two-files -o out/
expect_rc 1
expect_err "acvtrack: out/second.txt: cannot write: it is a folder"
expect_equal "out/first.txt after a failed export" "$(cat out/first.txt)" "old first"
expect_equal "files in out/" "$(ls -A out | tr '\n' ' ')" "first.txt second.txt "
# a file named "." (or "a/.", "a//b") is refused before anything is written
for bad in . a/. a//b a/; do
  trun --framework fw export --format two-files --opt "second=$bad" -o out/
  expect_rc 4
  case "$ERR" in
    "acvtrack: plugin 'two-files' (plugins/two-files.lua) failed; nothing was written: plugins/two-files.lua:7: bad output file name '$bad'"*) ;;
    *) fail "second=$bad: $ERR" ;;
  esac
  expect_equal "out/first.txt after '$bad'" "$(cat out/first.txt)" "old first"
  expect_equal "files in out/ after '$bad'" "$(ls -A out | tr '\n' ' ')" "first.txt second.txt "
done
# and the same export into a clean folder writes both
trun --framework fw export --format two-files -o both/
expect_rc 0
expect_equal "both/" "$(cat both/first.txt both/second.txt)" "new first
new second"

# 2. -o through a symbolic link is refused and the link stays; a FIFO is written through
ok -q --framework fw score --area demo_capital_metro --year 2025
printf 'kept\n' >target.md
ln -s target.md link.md
trun --framework fw report --area demo_capital_metro --year 2025 -o link.md
expect_rc 1
expect_err "acvtrack: link.md: cannot write: it is a symbolic link, which acvtrack neither replaces nor follows; give the path it points to"
[ -L link.md ] || fail "link.md is no longer a symbolic link"
expect_equal "target.md" "$(cat target.md)" "kept"
mkfifo pipe.md
timeout 20 cat pipe.md >from-pipe.md &
reader=$!
trun --framework fw report --area demo_capital_metro --year 2025 -o pipe.md
expect_rc 0
wait "$reader" || fail "the reader of pipe.md failed"
[ -p pipe.md ] || fail "pipe.md is no longer a FIFO"
head -1 from-pipe.md | grep -q '^# ' || fail "nothing came through pipe.md"
ls pipe.md.tmp.* 2>/dev/null && fail "a temporary file was left beside pipe.md"
# /dev/null (a character device behind no link): written through, still a device
trun --framework fw report --area demo_capital_metro --year 2025 -o /dev/null
expect_rc 0
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
cp acvtrack.db before.db

# 3. an importer's areas pass the check `areas import` applies; nothing is stored
check_area() { # OPT VALUE EXPECTED-REASON
  trun --framework fw import --format bad-areas --opt "$1=$2" empty.csv
  expect_rc 3
  expect_err "acvtrack: plugin 'bad-areas': area 1: field $3
acvtrack: nothing was imported"
  cmp -s acvtrack.db before.db || fail "the workspace changed after $1=$2"
}
code_reason="'code': not a valid area code (1 to 64 letters, digits, '_', '-', '.'; no '..')"
check_area code "" "$code_reason"
check_area code "x,y" "$code_reason"
check_area code NEWLINE "$code_reason"
check_area code "../../etc" "$code_reason"
check_area code LONG "$code_reason"
check_area name BADUTF8 "'name': not valid UTF-8 text of at most 200 bytes without control characters"
# the same rule in `areas import`
printf 'code,name,level\n..,Dots,city\n' >dots.csv
trun --framework fw areas import dots.csv
expect_rc 3
expect_err "acvtrack: dots.csv:2: column $code_reason"
trun --framework fw areas list
expect_rc 0
case "$OUT" in *etc* | *xxxxx* | *Caf*) fail "a refused area is listed: $OUT" ;; esac

# 4. walks: six symbolic links to "." in an input folder, and a FIFO named like a framework file
mkdir -p loop
for i in 1 2 3 4 5 6; do ln -s . "loop/l$i"; done
cp empty.csv loop/data.csv
trun --framework fw import --format bad-areas --opt code=walked_ok loop
expect_rc 0
trun --framework fw areas list
case "$OUT" in *walked_ok*) ;; *) fail "the import of loop/ stored no area: $OUT" ;; esac
# (before the fix: the links made millions of paths, and opening the FIFO waited for a writer)
mkdir -p fw/scripts/loop
for i in 1 2 3 4 5 6; do ln -s . "fw/scripts/loop/l$i"; done
mkfifo fw/indicators/zzz.yml
start=$(date +%s)
trun --framework fw framework check
elapsed=$(($(date +%s) - start))
[ "$RC" -ne 137 ] || fail "framework check hung on symbolic link loops or a FIFO"
[ "$elapsed" -le 10 ] || fail "framework check took $elapsed s"
expect_rc 0
case "$OUT$ERR" in *zzz.yml*) fail "the FIFO was taken for a framework file: $OUT$ERR" ;; esac
rm -r fw/scripts/loop fw/indicators/zzz.yml

# a FIFO named as an observations or areas file is refused at once, not waited on
mkfifo obs-pipe.csv
trun import obs-pipe.csv
[ "$RC" -ne 137 ] || fail "import waited on a FIFO"
case "$ERR" in *"obs-pipe.csv: cannot open: not a regular file"*) ;; *) fail "import of a FIFO: $ERR" ;; esac
trun areas import obs-pipe.csv
[ "$RC" -ne 137 ] || fail "areas import waited on a FIFO"
case "$ERR" in *"obs-pipe.csv: cannot open: not a regular file"*) ;; *) fail "areas import of a FIFO: $ERR" ;; esac
rm obs-pipe.csv

# require does not follow a link in an overlay to a file outside the roots
mkdir -p ov/scripts outside
printf 'local x = = 1\n' >outside/secret.lua
ln -s "$PWD/outside/secret.lua" ov/scripts/leak.lua
cat >ov/scripts/scoring.lua <<'LUA'
return require("leak")
LUA
trun --framework fw --overlay ov score --area demo_capital_metro --year 2025
expect_rc 4
case "$ERR" in
  *"module 'leak': "*"scripts/leak.lua is a symbolic link to a file outside the framework and overlay folders"*) ;;
  *) fail "require followed the link: $ERR" ;;
esac
case "$ERR" in *"= 1"* | *secret.lua*) fail "the error shows the outside file: $ERR" ;; esac
