--- cmci-ranking: the CMCI ranking of the workspace's areas, year by year, from their scoring runs
-- (docs/cmci.md).
--
--   for y in 2014 2015 ...; do acvtrack --framework indicators/frameworks/cmci score --all --year $y; done
--   acvtrack --framework indicators/frameworks/cmci export --format cmci-ranking -o ranking.csv
--
-- One CSV row per area and year the area has published scores for: the rank among the areas of
-- that year, the Overall Score the scoring run computed (the sum of the published pillar scores),
-- the published Overall Score beside it, each pillar's score and the run's note. Areas rank by
-- their Overall Score to the portal's 4 decimals, highest first; equal scores share a rank (1, 2,
-- 2, 4). An area whose run has no Overall Score (a data-quality flag, a pillar not published) or
-- no run for the year gets no rank: it is listed after the ranked ones with the reason, never
-- placed last as if it had scored lowest.

local OVERALL = "DE.CMCI.OVERALL"
local DECIMALS = 4

local function fmt(x)
  return x and string.format("%." .. DECIMALS .. "f", x) or ""
end

---@type acv.Plugin
return {
  api = 1,
  name = "cmci-ranking",
  version = "1.0.0",
  kind = "exporter",
  description = "CMCI ranking of the areas per year, with the published Overall Score beside",
  options = {
    { name = "year", help = "one year only (default: every year an area has published scores)" },
  },

  export = function(ctx)
    local acv = ctx.acv
    local only = ctx.options.year and tonumber(ctx.options.year)
    if ctx.options.year and not only then
      error("year must be a year, like 2023, not '" .. ctx.options.year .. "'", 0)
    end
    local pillars = acv.framework.pillars
    local codes = { OVERALL }
    for _, p in ipairs(pillars) do
      codes[#codes + 1] = "DE.CMCI." .. p.id
    end

    -- every (year, area) with a published figure, with the published Overall Score
    local by_year = {}
    for _, area in ipairs(acv.areas()) do
      local published, years = {}, {}
      for _, code in ipairs(codes) do
        for _, o in ipairs(acv.observations({ area = area.code, indicator = code })) do
          years[o.year] = true
          if code == OVERALL then
            published[o.year] = o.value
          end
        end
      end
      for year in pairs(years) do
        if not only or year == only then
          local ok, r = pcall(acv.results, area.code, year)
          local row = { area = area, published = published[year] }
          if ok and r.run.year == year then
            row.overall, row.note, row.pillars = r.overall.score, r.overall.note, r.pillars
          else
            row.note = "no scoring run for " .. year .. ": run 'acvtrack score --all --year " ..
                year .. "'"
          end
          by_year[year] = by_year[year] or {}
          table.insert(by_year[year], row)
        end
      end
    end

    local f = ctx.out:file("cmci-ranking.csv")
    local header = { "year", "rank", "area", "name", "overall", "published" }
    for _, p in ipairs(pillars) do
      header[#header + 1] = p.id
    end
    header[#header + 1] = "note"
    f:csv(header)
    local years = {}
    for year in pairs(by_year) do
      years[#years + 1] = year
    end
    table.sort(years)
    for _, year in ipairs(years) do
      local rows = by_year[year]
      -- ranked first, by the score to the published decimals (so that sums differing only in
      -- floating-point noise tie), then the unranked; area code breaks ties for a stable order
      local function key(row)
        return row.overall and tonumber(fmt(row.overall))
      end
      table.sort(rows, function(a, b)
        local ka, kb = key(a), key(b)
        if (ka ~= nil) ~= (kb ~= nil) then
          return ka ~= nil
        end
        if ka and ka ~= kb then
          return ka > kb
        end
        return a.area.code < b.area.code
      end)
      local rank, previous
      for i, row in ipairs(rows) do
        local k = key(row)
        if k and k ~= previous then
          rank, previous = i, k
        end
        local cells = { tostring(year), k and tostring(rank) or "", row.area.code, row.area.name,
                        fmt(row.overall), fmt(row.published) }
        for _, p in ipairs(pillars) do
          local g = row.pillars and row.pillars[p.id]
          cells[#cells + 1] = fmt(g and g.score)
        end
        cells[#cells + 1] = row.note or ""
        f:csv(cells)
      end
    end
  end,
}
