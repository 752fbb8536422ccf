#!/bin/sh
# The plugin guide's two promises (docs/plugins.md): error(msg, 0) shows the message alone, without
# a Lua traceback (a plugin's error(msg) and runtime errors keep theirs, for the plugin's author);
# and an --opt the plugin does not declare is refused with the options it does declare, before
# the plugin runs, instead of being silently ignored.
set -eu
. "$(dirname "$0")/lib/assert.sh"

mkdir fw
cp -R "$ACV_SOURCE/indicators" "$ACV_SOURCE/scripts" "$ACV_SOURCE/plugins" fw/
cat >fw/plugins/hello-opts.lua <<'LUA'
return {
  api = 1,
  name = "hello-opts",
  version = "0.1.0",
  kind = "exporter",
  description = "Echoes its options",
  options = {
    { name = "area", help = "area code (required; --area sets it)" },
    { name = "digits", help = "decimals (default 1)" },
  },
  export = function(ctx)
    local area = ctx.options.area
    if not area then
      error("give the area: --area CODE", 0)
    end
    if area == "positioned" then
      error("a bug in the plugin")
    end
    if area == "runtime" then
      local t = nil
      return t.field
    end
    ctx.out:file("echo.csv"):csv({ area, ctx.options.digits or "1", ctx.options.year or "" })
  end,
}
LUA
cat >fw/plugins/no-opts.lua <<'LUA'
return {
  api = 1, name = "no-opts", version = "0.1.0", kind = "exporter",
  description = "Declares no options",
  export = function(ctx)
    ctx.out:file("x.txt"):write("area " .. (ctx.options.area or "none") .. "\n")
  end,
}
LUA
ok -q --framework fw init

# error(msg, 0): the message, and nothing written
run --framework fw export --format hello-opts -o echo.csv
expect_rc 4
expect_err "acvtrack: plugin 'hello-opts' (plugins/hello-opts.lua) failed; nothing was written: give the area: --area CODE"
[ ! -e echo.csv ] || fail "a failed plugin wrote echo.csv"
# error(msg) at level 1 names the plugin line and keeps the traceback for its author
run --framework fw export --format hello-opts --area positioned -o echo.csv
expect_rc 4
expect_equal "error(msg)" "$(printf '%s\n' "$ERR" | head -2)" \
  "acvtrack: plugin 'hello-opts' (plugins/hello-opts.lua) failed; nothing was written: plugins/hello-opts.lua:17: a bug in the plugin
stack traceback:"
# so does a runtime error
run --framework fw export --format hello-opts --area runtime -o echo.csv
expect_rc 4
expect_equal "runtime error" "$(printf '%s\n' "$ERR" | head -2)" \
  "acvtrack: plugin 'hello-opts' (plugins/hello-opts.lua) failed; nothing was written: plugins/hello-opts.lua:21: attempt to index a nil value (local 't')
stack traceback:"
[ ! -e echo.csv ] || fail "a failed plugin wrote echo.csv"

# a mistyped --opt: usage error (exit 2) listing the declared options; the plugin does not run
run --framework fw export --format hello-opts --area demo_capital_metro --opt digts=2 -o echo.csv
expect_rc 2
expect_err "acvtrack: plugin 'hello-opts' has no option 'digts' (its options: area, digits)"
[ ! -e echo.csv ] || fail "a refused export wrote echo.csv"
# the declared ones work; --area and --year reach every plugin as options
ok -q --framework fw export --format hello-opts --area demo_capital_metro --year 2024 --opt digits=2 -o echo.csv
# f:csv writes RFC 4180 records, ending in CRLF
printf 'demo_capital_metro,2,2024\r\n' >want.csv
cmp -s echo.csv want.csv || fail "echo.csv is not the record demo_capital_metro,2,2024"
ok -q --framework fw export --format hello-opts --opt area=demo_capital_metro -o echo2.csv
printf 'demo_capital_metro,1,\r\n' >want2.csv
cmp -s echo2.csv want2.csv || fail "echo2.csv is not the record demo_capital_metro,1,"
# a plugin that declares none takes --area and --year only
run --framework fw export --format no-opts --area demo_capital_metro --opt area_name=x
expect_rc 2
expect_err "acvtrack: plugin 'no-opts' has no option 'area_name' (it declares no options)"
ok -q --framework fw export --format no-opts --area demo_capital_metro --year 2025
expect_out "area demo_capital_metro"

# the same for an importer (the bundled SDMX-CSV one declares only area); nothing imported
printf 'DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE\n' >in.csv
run --framework fw import --format sdmx-csv-import --opt aera=demo_capital_metro in.csv
expect_rc 2
expect_err "acvtrack: plugin 'sdmx-csv-import' has no option 'aera' (its options: area)
acvtrack: nothing was imported"

echo "plugin_errors: ok"
