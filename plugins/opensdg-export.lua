--- opensdg-export: an area's observations as an Open SDG data repository (data/, meta/).
--
--   acvtrack export --format opensdg-export --area demo_capital_metro -o site-data/
--
-- Writes what plugins/opensdg/init.lua reads back, so exporting and importing again gives the
-- same observations:
-- * a framework indicator PS.DRR.1 → data/indicator_PS-DRR-1.csv and meta/PS-DRR-1.md
--   (indicator_number, indicator_name, computation_units, the SDG links, the 2030 target as
--   graph_target_lines when it is a value to reach, and acvtrack_code);
-- * the SDG data series of one SDG indicator (SDG:11.6.2, SDG:11.6.2|Units=..., ...) → one
--   data/indicator_11-6-2.csv and a short meta file;
-- * any other code (a series such as 8.3.1.1 or 5.5.2a, a data element such as DE.POP) → its
--   own file with acvtrack_code in the meta.
-- Columns: Year, the codes' unit and series qualifiers, the disaggregations (blank = total),
-- Units when a unit is known (the series' or indicator's unit), the series label of the codes in
-- the file's first series (read from the series' name, where opensdg stores it: "Name (Series:
-- X)"), COMMENT_OBS when an observation has a comment (the whole comment: year-range originals
-- and 2030 target notes included), Value with every digit (f:csv with exact: the shortest of 15
-- or 17 significant digits that reads back the number). The source goes into
-- source_organisation_1 when all rows of a file share it; a data series' name without its unit
-- and series part into indicator_name.
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

-- The unit and series columns whose values opensdg names in a data series' name.
local PART_COLUMNS = {}
for c in pairs(sdg.UNIT_COLUMNS) do
  PART_COLUMNS[c] = true
end
for c in pairs(sdg.SERIES_COLUMNS) do
  PART_COLUMNS[c] = true
end

-- The first position at or after init where one of the columns' text + ": " (after lead)
-- starts in s, or nil.
local function find_part(s, lead, init)
  local best
  for c in pairs(PART_COLUMNS) do
    local at = s:find(lead .. c .. ": ", init, true)
    if at and (not best or at < best) then
      best = at
    end
  end
  return best
end

-- A data series' name as opensdg gives it, "Name (Units: Percent; Series: Proportion of ...)"
-- (the unit when it is not the file's first, then the series label, the first series' too):
-- the indicator name and the list of {column, value}, in full (a long code keeps only a
-- prefix of them). A name without such a part is the indicator name with no parts.
local function name_parts(name)
  local start = name:sub(-1) == ")" and find_part(name, " (", 1)
  if not start then
    return name, {}
  end
  local body, parts, pos = name:sub(start + 2, -2), {}, 1
  while pos do
    local col
    for c in pairs(PART_COLUMNS) do
      if body:sub(pos, pos + #c + 1) == c .. ": " then
        col = c
      end
    end
    if not col then
      return name, {}
    end
    local from = pos + #col + 2
    local nxt = find_part(body, "; ", from)
    parts[#parts + 1] = { col, body:sub(from, (nxt or #body + 1) - 1) }
    pos = nxt and nxt + 2
  end
  return name:sub(1, start - 1), parts
end

-- True when a code was shortened to its first characters and a hash (helpers/sdg.lua): its
-- qualifiers are cut and only the series' name has them whole.
local function shortened(code)
  return #code == sdg.MAX_CODE and code:match("~%x%x%x%x%x%x%x%x$") ~= nil
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

    -- observations grouped by file: one file per base code (the code before any "|"): a
    -- framework indicator, an SDG indicator's series ("SDG:11.6.2", "SDG:11.6.2|Units=..."), any
    -- other series or data element. A file id keeps letters, digits, "_", "-" and "."; the
    -- metadata keeps the exact number or code, and ids that would clash get "-2", "-3", ...
    local groups, order, used = {}, {}, {}
    local function group(base)
      if not groups[base] then
        local number = base:match("^SDG:(.+)$")
        local fid = sdg.file_id(number or base):gsub("[^%w_%-%.]", "_")
        local id, n = fid, 1
        while used[id] do
          n = n + 1
          id = fid .. "-" .. n
        end
        used[id] = true
        groups[base] = { id = id, number = number, code = not number and base or nil, codes = {},
                         rows = {}, dims = {}, sources = {}, n_sources = 0,
                         in_code = {}, order = {} }
        order[#order + 1] = base
      end
      return groups[base]
    end
    for _, o in ipairs(acv.observations({ area = area, disaggregations = true })) do
      local base, quals = sdg.split_code(o.indicator)
      local g = group(base)
      if not g.codes[o.indicator] then
        -- the code's unit and series columns: those its series' name holds in full (the first
        -- series' label too, which is not in the code), then the code's other qualifiers
        local cols = {}
        if not framework[o.indicator] then
          local title, parts = name_parts(o.name or "")
          g.title = g.title or title
          cols = parts
        end
        -- the column order of the source file is the order of the code's qualifiers (the
        -- importer builds the code in it), or of the name's parts when the code was shortened
        local named, order = {}, {}
        for _, p in ipairs(cols) do
          named[p[1]] = true
        end
        if shortened(o.indicator) then
          for _, p in ipairs(cols) do
            order[#order + 1] = p[1]
          end
        else
          for _, q in ipairs(quals) do
            order[#order + 1] = q[1]
            if not named[q[1]] then
              cols[#cols + 1] = q
            end
          end
        end
        g.codes[o.indicator] = cols
        g.order[o.indicator] = order
        g.in_code[o.indicator] = #quals > 0
        g.codes[#g.codes + 1] = o.indicator
        g.rows[o.indicator] = {}
        g.dims[o.indicator] = {}
      end
      if (o.comment or "") ~= "" then
        g.comments = true
      end
      for name in pairs(o.disaggregation or {}) do
        g.dims[o.indicator][name] = true
      end
      local src = o.source or ""
      if not g.sources[src] then
        g.sources[src] = true
        g.n_sources = g.n_sources + 1
        g.source = src
      end
      table.insert(g.rows[o.indicator], o)
    end
    if #order == 0 then
      error("area " .. area .. " has no observations to export", 0)
    end
    table.sort(order, function(a, b) return groups[a].id < groups[b].id end)

    for _, key in ipairs(order) do
      local g = groups[key]
      local ind = g.code and framework[g.code]
      local f = out:file("data/indicator_" .. g.id .. ".csv")
      local meta = out:file("meta/" .. g.id .. ".md")
      -- the columns: each code's qualifiers, then its disaggregations, in one order that keeps
      -- every code's own; a Units column when the codes name none but a unit is known
      local lists = {}
      local has_unit_col, unit_known = false, false
      for _, code in ipairs(g.codes) do
        local keys, in_order = {}, {}
        for _, c in ipairs(g.order[code]) do
          keys[#keys + 1] = c
          in_order[c] = true
        end
        for _, q in ipairs(g.codes[code]) do
          if not in_order[q[1]] then
            lists[#lists + 1] = { q[1] } -- the first series' label: no place in the code's order
          end
          if sdg.UNIT_COLUMNS[q[1]] then
            has_unit_col = true
          end
        end
        local names = {}
        for name in pairs(g.dims[code]) do
          names[#names + 1] = name
        end
        table.sort(names)
        for _, name in ipairs(names) do
          keys[#keys + 1] = name
        end
        lists[#lists + 1] = keys
        for _, o in ipairs(g.rows[code]) do
          if (o.unit or "") ~= "" then
            unit_known = true
          end
        end
      end
      local columns = merge_columns(lists)
      local unit_col
      for _, c in ipairs(columns) do
        if sdg.UNIT_COLUMNS[c] and not unit_col then
          unit_col = c
        end
      end
      if not has_unit_col and unit_known then
        unit_col = "Units"
        table.insert(columns, 1, unit_col)
      end
      if g.comments then
        columns[#columns + 1] = "COMMENT_OBS"
      end
      local header = { "Year" }
      for _, c in ipairs(columns) do
        header[#header + 1] = c
      end
      header[#header + 1] = "Value"
      f:csv(header)
      -- the codes in the file's first unit and series (no qualifier in the code) come first:
      -- the importer takes the first row's unit and series as the file's own
      local codes, rank = {}, {}
      for i, code in ipairs(g.codes) do
        codes[i] = code
        rank[code] = g.in_code[code] and i + #g.codes or i
      end
      table.sort(codes, function(a, b) return rank[a] < rank[b] end)
      local first_unit
      for _, code in ipairs(codes) do
        local quals = {}
        for _, q in ipairs(g.codes[code]) do
          quals[q[1]] = q[2]
        end
        for _, o in ipairs(g.rows[code]) do
          local cells = { o.period }
          for _, c in ipairs(columns) do
            local cell = quals[c] or (o.disaggregation and o.disaggregation[c])
            if c == unit_col and not quals[c] then
              cell = o.unit
            elseif c == "COMMENT_OBS" then
              cell = o.comment
            end
            cells[#cells + 1] = cell or ""
          end
          first_unit = first_unit or o.unit
          cells[#cells + 1] = o.value -- a number: never defused
          f:csv(cells, { exact = true }) -- every digit: the import reads back the same value
        end
      end
      meta:write("---\n")
      meta:write("indicator_number: ", yaml_string(g.number or g.code), "\n")
      if g.code then
        -- a framework indicator, a data element or a series of its own code
        meta:write("acvtrack_code: ", yaml_string(g.code), "\n")
      else
        meta:write("sdg_goal: ", yaml_string(g.number:match("^(%d+)") or g.number), "\n")
        meta:write("reporting_status: complete\n")
      end
      if g.n_sources == 1 and g.source ~= "" then
        meta:write("source_organisation_1: ", yaml_string(g.source), "\n")
      end
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
      else
        if g.title and g.title ~= "" then
          meta:write("indicator_name: ", yaml_string(g.title), "\n")
        end
        if first_unit then
          meta:write("computation_units: ", yaml_string(first_unit), "\n")
        end
      end
      meta:write("data_non_statistical: false\n")
      meta:write("---\n")
    end
  end,
}
