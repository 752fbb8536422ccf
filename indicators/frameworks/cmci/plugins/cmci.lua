--- cmci: the Philippines' Cities and Municipalities Competitiveness Index, as the DTI CMCI data
-- portal exports it, into the workspace of the CMCI framework (docs/cmci.md).
--
--   acvtrack --framework indicators/frameworks/cmci import --format cmci tests/data/cmci-region1
--
-- Layout: one CSV file per city or municipality (the file name, without .csv, is the area code);
-- the header is "PILLAR / INDICATOR" and then one column per year; each row is a score:
-- "Overall Score", a pillar ("Economic Dynamism", ...) or an indicator ("Local Economy Size", ...);
-- "-" marks a value the portal does not publish. Rows map to codes through the framework, by name:
-- "Overall Score" is the data element DE.CMCI.OVERALL, a pillar's name is DE.CMCI.<pillar id>,
-- an indicator's name is its indicator. So a renamed or new row needs a change of the framework's
-- YAML only, never of this file.
--
-- Every cell that is not "-" is emitted with its file and line, and the engine checks it: a row
-- whose name the framework does not have is refused as an unknown indicator, a cell that is not a
-- number as not a number, with file and line (`--rejects FILE` lists them, `--dry-run` writes
-- nothing). Files that are not .csv (a SOURCE.txt beside the data) are skipped and said so. The last
-- line is the account: cells = emitted + not published.

local OVERALL = "Overall Score"
local HEADER = "PILLAR / INDICATOR"

local function trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

--- "SanFernando_LU" -> "San Fernando (LU)": a readable name from a file name; the code keeps the
-- file name as it is.
local function area_name(stem)
  local base, suffix = stem:match("^(.-)_(%w+)$")
  base = base or stem
  local name = base:gsub("(%l)(%u)", "%1 %2")
  if suffix then
    name = name .. " (" .. suffix .. ")"
  end
  return name
end

--- Row name -> workspace code, from the framework: the overall score, pillars, indicators.
local function codes_of(framework)
  local codes = { [OVERALL] = "DE.CMCI.OVERALL" }
  for _, pillar in ipairs(framework.pillars) do
    codes[pillar.name] = "DE.CMCI." .. pillar.id
  end
  for _, ind in ipairs(framework.indicators) do
    codes[ind.name] = ind.id
  end
  return codes
end

---@type acv.Plugin
return {
  api = 1,
  name = "cmci",
  version = "1.0.0",
  kind = "importer",
  description = "CMCI scores (Philippines), one CSV per city with year columns",
  options = {
    { name = "prefix", help = "put before each area code (default: none; the code is the file name)" },
    { name = "level", help = "level of new areas: city (default) or municipality" },
    { name = "country", help = "country of new areas (default PH)" },
  },

  import = function(ctx)
    local out, opt = ctx.out, ctx.options
    if not ctx.inputs or #ctx.inputs == 0 then
      error("give the CMCI files or their folder to import", 0)
    end
    local codes = codes_of(ctx.acv.framework)
    local files, cells, emitted, not_published, skipped = 0, 0, 0, 0, {}
    for _, input in ipairs(ctx.inputs) do
      local stem = input.name:match("([^/]+)%.[cC][sS][vV]$")
      if not stem then
        skipped[#skipped + 1] = input.name
      else
        files = files + 1
        local rows = ctx.acv.parse_csv(input.text, input.name)
        local header = rows[1]
        if not header or trim(header[1] or "") ~= HEADER then
          error(string.format("%s:%d: the first column must be '%s' (the CMCI portal's export)",
            input.name, header and header.line or 1, HEADER), 0)
        end
        local years = {}
        for c = 2, #header do
          local y = trim(header[c])
          if not y:match("^%d%d%d%d$") then
            error(string.format("%s:%d: column %d: '%s' is not a year", input.name, header.line, c,
              header[c]), 0)
          end
          years[c] = y
        end
        local area = (opt.prefix or "") .. stem
        out:area({ code = area, name = area_name(stem), level = opt.level or "city",
                   country = opt.country or "PH", source = "DTI CMCI data portal: " .. input.name })
        for i = 2, #rows do
          local row = rows[i]
          local label = trim(row[1] or "")
          if #row ~= #header then
            error(string.format("%s:%d: %d cells, the header has %d", input.name, row.line, #row,
              #header), 0)
          end
          for c = 2, #header do
            local cell = trim(row[c])
            cells = cells + 1
            if cell == "-" then
              not_published = not_published + 1
            else
              -- an unknown row name goes to the engine as it is: it is refused, with the line,
              -- as an unknown indicator (or listed in --rejects), never dropped here
              out:observation({ area = area, indicator = codes[label] or label,
                                period = years[c], value = cell,
                                source = "DTI CMCI data portal: " .. input.name,
                                file = input.name, line = row.line })
              emitted = emitted + 1
            end
          end
        end
      end
    end
    for _, name in ipairs(skipped) do
      print("cmci: " .. name .. ": skipped, not a .csv file")
    end
    print(string.format("cmci: %d files, %d cells = %d values emitted + %d not published ('-')",
      files, cells, emitted, not_published))
  end,
}
