#!/bin/sh
# A plugin that does not load (a syntax error) or does not declare itself properly is listed as
# broken by `acvtrack plugins`, with its error, under the name of its file; it does not stop the
# other plugins from being listed, exported with or imported with (docs/plugins.md). Asking for the
# broken one by name gives its error. `framework check` reports the syntax error too.
set -eu
. "$(dirname "$0")/lib/assert.sh"

# a framework whose plugins are only these four, so the listing is exactly theirs; the broken ones
# sort first, so every other plugin is loaded after them
mkdir -p fw/plugins
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" fw/
printf 'return {\n  api = 1,\n  name = "aa-syntax" "x",\n}\n' >fw/plugins/aa-syntax.lua
cat >fw/plugins/ab-kind.lua <<'LUA'
return { api = 1, name = "ab-kind", version = "1.0", kind = "exprter", description = "typo",
         export = function() end }
LUA
cat >fw/plugins/hello.lua <<'LUA'
return { api = 1, name = "hello", version = "0.1.0", kind = "exporter", description = "Says hello",
         export = function(ctx) ctx.out:file("hello.txt"):write("hello\n") end }
LUA
cat >fw/plugins/one-row.lua <<'LUA'
return { api = 1, name = "one-row", version = "0.2.0", kind = "importer",
         description = "One value per file",
         import = function(ctx)
           for _, input in ipairs(ctx.inputs) do
             ctx.out:observation{ area = "demo_capital_metro", indicator = "PS.DRR.1",
                                  period = "2024", value = tonumber(input.text), file = input.name,
                                  line = 1 }
           end
         end }
LUA

ok --framework fw plugins
expect_out "NAME             KIND      VERSION   FILE                               DESCRIPTION
aa-syntax        broken    -         plugins/aa-syntax.lua              plugins/aa-syntax.lua:3: '}' expected (to close '{' at line 1) near '\"x\"'
ab-kind          broken    -         plugins/ab-kind.lua                plugins/ab-kind.lua: 'kind' must be exporter, importer, renderer or validator, not 'exprter'
hello            exporter  0.1.0     plugins/hello.lua                  Says hello
one-row          importer  0.2.0     plugins/one-row.lua                One value per file"
expect_err "4 plugins, 2 broken (the others work; fix or remove the broken); --all shows the options"

# the others export and import as usual
ok -q --framework fw init
ok -q --framework fw areas import "$SAMPLE/areas.csv"
ok -q --framework fw export --format hello -o hello.txt
expect_equal "hello.txt" "$(cat hello.txt)" "hello"
printf '0.25\n' >value.txt
ok --framework fw import --format one-row value.txt
expect_out "one-row: 1 files read; import 1: 0 areas and 0 data series added; 1 observations: 1 new, 0 revised, 0 unchanged"
ok --framework fw history --area demo_capital_metro --indicator PS.DRR.1
case "$OUT" in
  *0.25*) ;;
  *) fail "PS.DRR.1 0.25 was not imported: $OUT" ;;
esac

# asking for a broken one names it and says why; nothing is written
run --framework fw export --format aa-syntax -o out.txt
expect_rc 4
expect_err "acvtrack: plugin 'aa-syntax' (plugins/aa-syntax.lua) is broken: plugins/aa-syntax.lua:3: '}' expected (to close '{' at line 1) near '\"x\"'"
[ ! -e out.txt ] || fail "a broken plugin wrote out.txt"
run --framework fw import --format ab-kind value.txt
expect_rc 4
expect_err "acvtrack: plugin 'ab-kind' (plugins/ab-kind.lua) is broken: plugins/ab-kind.lua: 'kind' must be exporter, importer, renderer or validator, not 'exprter'
acvtrack: nothing was imported"

# framework check reports the syntax error (the declaration is only checked by loading it)
run --framework fw framework check
expect_rc 3
expect_out "plugins/aa-syntax.lua:3: '}' expected (to close '{' at line 1) near '\"x\"'"

echo "plugin_broken: ok"
