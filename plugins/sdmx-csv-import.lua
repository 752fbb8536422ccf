--- sdmx-csv-import: observations from SDMX-CSV files in the SDG data exchange layout.
--
--   acvtrack import --format sdmx-csv-import --opt area=demo_capital_metro capital.csv
--
-- Reads what the sdmx-csv exporter writes, and SDMX-CSV from other sources with the same
-- columns (a header row naming SERIES, TIME_PERIOD and OBS_VALUE; REF_AREA unless --opt area is
-- given; breakdown dimensions and attributes optional, in any order). Each row's acvtrack code is
-- * the ACV_CODE cell, when the file has that column (files written by sdmx-csv);
-- * otherwise the framework indicator whose exact UN series is SERIES (scripts/helpers/sdg.lua),
--   or whose local code "ACV_<code>" is SERIES.
-- A row is skipped, and reported with its file and line, when its series maps to no indicator,
-- when a breakdown is not a total (_T or blank: the plugin sink has no disaggregations yet), when
-- TIME_PERIOD is not a year or OBS_VALUE not a number, or when it repeats an area, code and year.
-- "SDG:" data series (ACV_CODE) are created when the area has no data of them yet (named by their
-- code: SDMX-CSV does not carry series names). OBS_STATUS E becomes estimated and P
-- provisional (codes from the SDMX observation status list, not verified for SDG_DSD).
local sdg = require("helpers.sdg")

local STATUS = { E = "estimated", P = "provisional" }

local function trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

local function is_number(s)
  return s:match("^[-+]?%d+%.?%d*$") ~= nil or s:match("^[-+]?%d*%.%d+$") ~= nil
      or s:match("^[-+]?%d+%.?%d*[eE][-+]?%d+$") ~= nil
      or s:match("^[-+]?%d*%.%d+[eE][-+]?%d+$") ~= nil
end

---@type acv.Plugin
return {
  api = 1,
  name = "sdmx-csv-import",
  version = "1.0.0",
  kind = "importer",
  description = "SDMX-CSV (SDG data exchange layout) into the workspace",
  options = {
    { name = "area", help = "area code of every row (default: each row's REF_AREA)" },
  },

  import = function(ctx)
    local acv, out, opt = ctx.acv, ctx.out, ctx.options
    if not ctx.inputs or #ctx.inputs == 0 then
      error("give the SDMX-CSV file(s) to import", 0)
    end
    -- SERIES -> framework indicator: exact UN series, then local ACV_ codes
    local by_series, ambiguous = {}, {}
    for _, ind in ipairs(acv.framework.indicators) do
      local code = sdg.sdmx_series(ind.id)
      if by_series[code] and by_series[code] ~= ind.id then
        ambiguous[code] = true
      end
      by_series[code] = ind.id
    end

    local numeric, imported, reported, counts = 0, 0, 0, {}
    local seen, new_series = {}, {}
    -- the codes an area already has data for: their series exist and keep their names (the
    -- engine renames a series that out:series names again)
    local known = {}
    local function has_code(area, code)
      if not known[area] then
        known[area] = {}
        local ok, list = pcall(acv.observations, { area = area })
        for _, o in ipairs(ok and list or {}) do
          known[area][o.indicator] = true
        end
      end
      return known[area][code]
    end
    local function skip(where, reason, message)
      counts[reason] = (counts[reason] or 0) + 1
      reported = reported + 1
      if reported <= 900 then
        print("sdmx-csv-import: " .. where .. ": " .. message .. "; row skipped")
      end
    end

    for _, input in ipairs(ctx.inputs) do
      local rows = acv.parse_csv(input.text, input.name)
      local header = rows[1]
      if not header then
        error(input.name .. ": empty file", 0)
      end
      local col = {}
      for i, h in ipairs(header) do
        col[trim(h)] = i
      end
      for _, need in ipairs({ "SERIES", "TIME_PERIOD", "OBS_VALUE" }) do
        if not col[need] then
          error(string.format("%s:%d: no %s column (SDMX-CSV needs SERIES, TIME_PERIOD and "
            .. "OBS_VALUE)", input.name, header.line, need), 0)
        end
      end
      if not col.REF_AREA and not opt.area then
        error(input.name .. ": no REF_AREA column; give the area with --opt area=CODE", 0)
      end
      local function cell(row, name)
        local i = col[name]
        return i and trim(row[i] or "") or ""
      end
      for r = 2, #rows do
        local row = rows[r]
        local where = input.name .. ":" .. row.line
        local value = cell(row, "OBS_VALUE")
        if #row ~= #header then
          if is_number(value) then
            numeric = numeric + 1
            skip(where, "wrong number of cells", string.format("%d cells where the header has %d",
              #row, #header))
          end
        elseif value ~= "" and value ~= "NaN" then
          if not is_number(value) then
            print("sdmx-csv-import: " .. where .. ": OBS_VALUE '" .. value
              .. "' is not a number; row ignored (no numeric value)")
          else
            numeric = numeric + 1
            local series = cell(row, "SERIES")
            local code = cell(row, "ACV_CODE")
            if code == "" then
              code = not ambiguous[series] and by_series[series] or nil
            end
            local breakdown
            for _, d in ipairs(sdg.SDMX_BREAKDOWNS) do
              local v = cell(row, d)
              if v ~= "" and v ~= "_T" and v ~= "_Z" then
                breakdown = d .. "=" .. v
              end
            end
            local period = cell(row, "TIME_PERIOD")
            local area = opt.area or cell(row, "REF_AREA")
            if not code then
              skip(where, "series not mapped", "series " .. series .. " maps to no acvtrack indicator"
                .. (ambiguous[series] and " (several indicators share it)" or ""))
            elseif breakdown then
              skip(where, "disaggregated", "breakdown " .. breakdown .. " is not a total")
            elseif not period:match("^%d%d%d%d$") then
              skip(where, "period not a year", "TIME_PERIOD '" .. period .. "' is not a year")
            else
              local key = area .. "\t" .. code .. "\t" .. period
              if seen[key] then
                skip(where, "duplicate row", "repeats " .. seen[key] .. " (same area, code and year)")
              else
                seen[key] = where
                if code:match("^SDG:") and not new_series[code] and not has_code(area, code) then
                  new_series[code] = true
                  out:series({ code = code, name = code, unit = cell(row, "UNIT_MEASURE") })
                end
                out:observation({ area = area, indicator = code, period = period, value = value,
                                  status = STATUS[cell(row, "OBS_STATUS")],
                                  source = cell(row, "SOURCE_DETAIL") ~= "" and cell(row, "SOURCE_DETAIL")
                                      or input.name,
                                  comment = cell(row, "COMMENT_OBS") ~= "" and cell(row, "COMMENT_OBS")
                                      or nil,
                                  file = input.name, line = row.line })
                imported = imported + 1
              end
            end
          end
        end
      end
    end
    local reasons = {}
    for reason, n in pairs(counts) do
      reasons[#reasons + 1] = reason .. ": " .. n
    end
    table.sort(reasons)
    if #reasons > 0 then
      print("sdmx-csv-import: skipped rows by reason: " .. table.concat(reasons, "; "))
    end
    print(string.format("sdmx-csv-import: numeric rows %d = imported %d + skipped %d", numeric,
      imported, numeric - imported))
  end,
}
