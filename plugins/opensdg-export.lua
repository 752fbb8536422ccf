--- opensdg-export: an area's observations as an Open SDG data repository (data/, meta/).
--
--   acvtrack export --format opensdg-export --area demo_capital_metro -o site-data/
--
-- Writes what plugins/opensdg/init.lua reads back, so exporting and importing again gives the
-- same observations:
-- * a framework indicator PS.DRR.1 → data/indicator_PS-DRR-1.csv (Year,Units,Value) and
--   meta/PS-DRR-1.md (indicator_number, indicator_name, computation_units, the SDG links, the 2030
--   target as graph_target_lines when it is a value to reach, and acvtrack_code);
-- * the SDG data series of one SDG indicator (SDG:11.6.2, SDG:11.6.2|Sex=Female, ...) → one
--   data/indicator_11-6-2.csv with the qualifiers as columns (blank = total) and a short meta file;
-- * any other code (a data element such as DE.POP) → its own file with acvtrack_code in the meta.
-- Observations are the totals the acv API returns (no disaggregations, sources or comments).
local sdg = require("helpers.sdg")

local function yaml_string(s)
  return "'" .. tostring(s):gsub("'", "''"):gsub("[\r\n]+", " ") .. "'"
end

local function number_text(v)
  if math.type(v) == "integer" then
    return tostring(v)
  end
  local s = string.format("%.15g", v)
  if tonumber(s) ~= v then
    s = string.format("%.17g", v)
  end
  return s
end

-- Merges column lists that share a relative order (the column order of one source file) into
-- one list that keeps it: a topological sort, ties broken by first appearance.
local function merge_columns(lists)
  local first, order, after, indegree = {}, {}, {}, {}
  for _, list in ipairs(lists) do
    for i, k in ipairs(list) do
      if not first[k] then
        first[k] = #order + 1
        order[#order + 1] = k
        after[k], indegree[k] = {}, 0
      end
      local nxt = list[i + 1]
      if nxt and not first[nxt] then
        first[nxt] = #order + 1
        order[#order + 1] = nxt
        after[nxt], indegree[nxt] = {}, 0
      end
      if nxt and not after[k][nxt] then
        after[k][nxt] = true
        indegree[nxt] = indegree[nxt] + 1
      end
    end
  end
  local result, ready = {}, {}
  for _, k in ipairs(order) do
    if indegree[k] == 0 then
      ready[#ready + 1] = k
    end
  end
  while #ready > 0 do
    table.sort(ready, function(a, b) return first[a] < first[b] end)
    local k = table.remove(ready, 1)
    result[#result + 1] = k
    for _, n in ipairs(order) do
      if after[k][n] then
        indegree[n] = indegree[n] - 1
        if indegree[n] == 0 then
          ready[#ready + 1] = n
        end
      end
    end
  end
  if #result < #order then
    return order -- inconsistent orders: first appearance
  end
  return result
end

---@type acv.Plugin
return {
  api = 1,
  name = "opensdg-export",
  version = "1.0.0",
  kind = "exporter",
  description = "Open SDG data repository (data/*.csv, meta/*.md) of an area",
  options = {
    { name = "area", help = "area code (required; --area sets it)" },
  },

  export = function(ctx)
    local acv, out = ctx.acv, ctx.out
    local area = ctx.options.area
    if not area then
      error("give the area: --area CODE", 0)
    end
    local framework = {}
    for _, ind in ipairs(acv.framework.indicators) do
      framework[ind.id] = ind
    end

    -- observations grouped by file: framework and other codes one file each, SDG series by number.
    -- A file id keeps letters, digits, "_", "-" and "."; the metadata keeps the exact number or
    -- code, and ids that would clash get "-2", "-3", ...
    local groups, order, used = {}, {}, {}
    local function group(key, number)
      if not groups[key] then
        local base = sdg.file_id(number):gsub("[^%w_%-%.]", "_")
        local id, n = base, 1
        while used[id] do
          n = n + 1
          id = base .. "-" .. n
        end
        used[id] = true
        groups[key] = { id = id, codes = {}, rows = {} }
        order[#order + 1] = key
      end
      return groups[key]
    end
    for _, o in ipairs(acv.observations({ area = area })) do
      local number, quals = sdg.parse_code(o.indicator)
      local g
      if number then
        g = group("SDG:" .. number, number)
        g.number = number
      else
        g = group(o.indicator, o.indicator)
        g.code = o.indicator
      end
      if not g.codes[o.indicator] then
        g.codes[o.indicator] = quals or {}
        g.codes[#g.codes + 1] = o.indicator
        g.rows[o.indicator] = {}
      end
      table.insert(g.rows[o.indicator], o)
    end
    if #order == 0 then
      error("area " .. area .. " has no observations to export", 0)
    end
    table.sort(order, function(a, b) return groups[a].id < groups[b].id end)

    for _, key in ipairs(order) do
      local g = groups[key]
      local f = out:file("data/indicator_" .. g.id .. ".csv")
      local meta = out:file("meta/" .. g.id .. ".md")
      meta:write("---\n")
      if g.code then
        -- one acvtrack code: a framework indicator or a data element
        local ind = framework[g.code]
        f:csv({ "Year", "Units", "Value" })
        for _, o in ipairs(g.rows[g.code]) do
          f:csv({ o.period, ind and ind.unit or "", o.value })
        end
        meta:write("indicator_number: ", yaml_string(g.code), "\n")
        meta:write("acvtrack_code: ", yaml_string(g.code), "\n")
        if ind then
          meta:write("indicator_name: ", yaml_string(ind.name), "\n")
          meta:write("graph_title: ", yaml_string(ind.name), "\n")
          meta:write("computation_units: ", yaml_string(ind.unit), "\n")
          if #ind.sdg > 0 then
            meta:write("sdg_indicators:\n")
            for _, s in ipairs(ind.sdg) do
              meta:write("  - ", yaml_string(s), "\n")
            end
          end
          local map = sdg.series_for(ind.id)
          if map and map.series then
            meta:write("sdg_series: ", yaml_string(map.series), "\n")
            meta:write("sdg_series_match: ", map.match, "\n")
          end
          local t = ind.targets[2030]
          if t and t.kind == "abs" and t.value then
            meta:write("graph_target_lines:\n")
            meta:write("  - value: ", number_text(t.value), "\n")
            meta:write("    label_content: ", yaml_string("2030 target: " .. t.text), "\n")
          end
        end
      else
        -- the SDG data series of one SDG indicator: qualifiers become columns
        local lists = {}
        for _, code in ipairs(g.codes) do
          local keys = {}
          for _, q in ipairs(g.codes[code]) do
            keys[#keys + 1] = q[1]
          end
          lists[#lists + 1] = keys
        end
        local columns = merge_columns(lists)
        local header = { "Year" }
        for _, c in ipairs(columns) do
          header[#header + 1] = c
        end
        header[#header + 1] = "Value"
        f:csv(header)
        -- the codes in the file's first unit and series come first: the importer takes the first
        -- row's unit and series as the file's own
        local codes, rank = {}, {}
        for i, code in ipairs(g.codes) do
          codes[i] = code
          rank[code] = i
          for _, q in ipairs(g.codes[code]) do
            if sdg.UNIT_COLUMNS[q[1]] or sdg.SERIES_COLUMNS[q[1]] then
              rank[code] = i + #g.codes
            end
          end
        end
        table.sort(codes, function(a, b) return rank[a] < rank[b] end)
        for _, code in ipairs(codes) do
          local quals = {}
          for _, q in ipairs(g.codes[code]) do
            quals[q[1]] = q[2]
          end
          for _, o in ipairs(g.rows[code]) do
            local cells = { o.period }
            for _, c in ipairs(columns) do
              cells[#cells + 1] = quals[c] or ""
            end
            cells[#cells + 1] = o.value -- a number: never defused
            f:csv(cells)
          end
        end
        meta:write("indicator_number: ", yaml_string(g.number), "\n")
        meta:write("sdg_goal: ", yaml_string(g.number:match("^(%d+)")), "\n")
        meta:write("reporting_status: complete\n")
      end
      meta:write("data_non_statistical: false\n")
      meta:write("---\n")
    end
  end,
}
