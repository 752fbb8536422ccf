--- sdmx-csv: an area's observations as SDMX-CSV in the layout of the SDG global data exchange.
--
--   acvtrack export --format sdmx-csv --area demo_capital_metro -o capital.csv
--
-- One row per observation, with the columns of the SDG data structure (IAEG-SDGs SDG_DSD, as
-- used by the dataflow DF_SDG_GLH): DATAFLOW, the dimensions FREQ, REPORTING_TYPE, SERIES,
-- REF_AREA, the eleven breakdown dimensions (SEX ... PRODUCT) and TIME_PERIOD, then OBS_VALUE and
-- the attributes UNIT_MEASURE, UNIT_MULT, OBS_STATUS, NATURE, SOURCE_DETAIL, COMMENT_OBS. A last
-- column ACV_CODE carries the acvtrack code so that sdmx-csv-import reads the file back exactly
-- (--opt acv_code=no leaves it out for receivers that refuse unknown columns).
--
-- * SERIES is the UN SDG series code where the acvtrack indicator measures exactly what the
--   series measures (scripts/helpers/sdg.lua: the mapping, its source, and which codes were
--   verified); otherwise a local code "ACV_<acvtrack code>".
-- * The breakdowns are "_T" (total): the acv API returns totals only.
-- * REF_AREA is the acvtrack area code unless --opt ref_area=CODE gives another (the SDG
--   database uses M49 numeric codes for countries; cities have no standard code there).
-- Not verified: the order of the breakdown dimensions, the dataflow version in DATAFLOW
-- (--opt dataflow= sets it), the UNIT_MEASURE codes and REPORTING_TYPE "N" for local data.
local sdg = require("helpers.sdg")

local BREAKDOWNS = sdg.SDMX_BREAKDOWNS

---@type acv.Plugin
return {
  api = 1,
  name = "sdmx-csv",
  version = "1.0.0",
  kind = "exporter",
  description = "SDMX-CSV in the SDG data exchange layout (SDG_DSD columns)",
  options = {
    { name = "area", help = "area code (required; --area sets it)" },
    { name = "dataflow", help = "DATAFLOW cell (default IAEG-SDGs:DF_SDG_GLH(1.0); version not verified)" },
    { name = "ref_area", help = "REF_AREA code (default: the acvtrack area code)" },
    { name = "reporting_type", help = "REPORTING_TYPE (default N)" },
    { name = "acv_code", help = "yes (default) or no: the ACV_CODE column" },
    { name = "scope", help = "all (default) or sdg: only indicators with an exact UN series" },
  },

  export = function(ctx)
    local acv, opt = ctx.acv, ctx.options
    local area = opt.area
    if not area then
      error("give the area: --area CODE", 0)
    end
    local with_code = opt.acv_code ~= "no"
    local scope = opt.scope or "all"
    if scope ~= "all" and scope ~= "sdg" then
      error("--opt scope must be all or sdg, not '" .. scope .. "'", 0)
    end
    local dataflow = opt.dataflow or "IAEG-SDGs:DF_SDG_GLH(1.0)"
    local ref_area = opt.ref_area or area
    local units = {}
    for _, ind in ipairs(acv.framework.indicators) do
      units[ind.id] = ind.unit
    end

    local f = ctx.out:file("sdmx.csv")
    local header = { "DATAFLOW", "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA" }
    for _, d in ipairs(BREAKDOWNS) do
      header[#header + 1] = d
    end
    for _, c in ipairs({ "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS",
                         "NATURE", "SOURCE_DETAIL", "COMMENT_OBS" }) do
      header[#header + 1] = c
    end
    if with_code then
      header[#header + 1] = "ACV_CODE"
    end
    f:csv(header)

    local rows = 0
    for _, o in ipairs(acv.observations({ area = area })) do
      local series, map = sdg.sdmx_series(o.indicator)
      local exact = map and map.series == series
      if scope == "all" or exact then
        local unit = units[o.indicator]
        if not unit then
          local _, quals = sdg.parse_code(o.indicator)
          for _, q in ipairs(quals or {}) do
            if sdg.UNIT_COLUMNS[q[1]] then
              unit = q[2]
            end
          end
        end
        local row = { dataflow, "A", opt.reporting_type or "N", series, ref_area }
        for _ = 1, #BREAKDOWNS do
          row[#row + 1] = "_T"
        end
        row[#row + 1] = o.period
        row[#row + 1] = o.value
        row[#row + 1] = sdg.sdmx_unit(unit)
        row[#row + 1] = ""
        row[#row + 1] = ""
        row[#row + 1] = ""
        row[#row + 1] = "acvtrack"
        row[#row + 1] = ""
        if with_code then
          row[#row + 1] = o.indicator
        end
        f:csv(row)
        rows = rows + 1
      end
    end
    if rows == 0 then
      error("area " .. area .. " has no observations to export" ..
        (scope == "sdg" and " under exact UN series codes" or ""), 0)
    end
  end,
}
