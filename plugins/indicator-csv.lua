--- indicator-csv: the indicator table of an area's latest scoring run as CSV.
--
-- The smallest useful exporter, and the one docs/plugins.md walks through. Run it with
--   acvtrack export --format indicator-csv --area demo_capital_metro -o table.csv
return {
  api = 1,
  name = "indicator-csv",
  version = "1.0.0",
  kind = "exporter",
  description = "Indicator table of an area's latest scoring run as CSV",
  options = {
    { name = "area", help = "area code (required; --area sets it)" },
    { name = "year", help = "year of the run (default: the latest)" },
  },

  export = function(ctx)
    local area = ctx.options.area
    if not area then
      error("give the area: --area CODE", 0)
    end
    local results = ctx.acv.results(area, tonumber(ctx.options.year))
    local f = ctx.out:file("indicators.csv")
    f:csv({ "area", "indicator", "name", "unit", "value", "period", "target_2030", "score",
            "progress" })
    for _, ind in ipairs(ctx.acv.framework.indicators) do
      local r = results.indicators[ind.id]
      local target = ind.targets[2030]
      f:csv({ area, ind.id, ind.name, ind.unit, r.value, r.period,
              target and target.text, r.score, r.class_label })
    end
  end,
}
