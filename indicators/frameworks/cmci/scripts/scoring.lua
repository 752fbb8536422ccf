--- The scoring entry point of the CMCI framework (docs/scripting.md is the contract, docs/cmci.md
-- the method).
--
-- For the year scored, every indicator score is reported as published (CMCI indicator scores are
-- already scores: nothing is normalised), every pillar score is taken as published and checked
-- against its indicator scores, and the Overall Score is the sum of the pillars the index has that
-- year (scripts/cmci/edition.lua), checked against the published one. A published figure that
-- contradicts another is flagged in the note and left without a score, so it is never ranked.
local index = require("cmci.index")
local edition = require("cmci.edition")

local M = {}

M.VERSION = "1"

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  return keys
end

function M.area(input)
  local year, decimals = input.year, edition.decimals
  local results = { indicators = {}, action_areas = {}, pillars = {}, priorities = {} }

  -- indicator scores, as published, by pillar (in id order, so sums do not depend on hashing)
  local parts, positive = {}, 0
  for _, id in ipairs(sorted_keys(input.indicators)) do
    local ind = input.indicators[id]
    local v = index.value_in(ind.series, year)
    if v then
      results.indicators[id] = { value = v, period = tostring(year),
                                 note = "CMCI indicator score, as published" }
      parts[ind.pillar] = parts[ind.pillar] or {}
      table.insert(parts[ind.pillar], v)
      if v > 0 then
        positive = positive + 1
      end
    else
      results.indicators[id] = { note = "not published for " .. year }
    end
  end
  -- reports count a pillar's action areas with data and an action area's indicators with data
  local areas_with_data, n_areas = {}, {}
  for _, pillar in ipairs(input.framework.pillars) do
    areas_with_data[pillar.id], n_areas[pillar.id] = 0, #pillar.action_areas
    for _, area in ipairs(pillar.action_areas) do
      local n = 0
      for _, id in ipairs(area.indicators) do
        if results.indicators[id] and results.indicators[id].value then
          n = n + 1
        end
      end
      if n > 0 then
        areas_with_data[pillar.id] = areas_with_data[pillar.id] + 1
      end
      results.action_areas[area.id] = { n_scored = n, n_total = #area.indicators,
        note = "indicator scores as published; the pillar score is published whole" }
    end
  end

  -- pillars: the published score, when the index has the pillar that year and it holds up
  local names = {}
  for _, pillar in ipairs(input.framework.pillars) do
    names[pillar.id] = pillar.name
  end
  local pillars = {}
  for _, e in ipairs(edition.pillars) do
    local name = names[e.id]
    if not name then
      error("scripts/cmci/edition.lua names pillar '" .. e.id .. "', which the framework lacks")
    end
    local published = index.value_in(input.data_elements[edition.pillar_score(e.id)], year)
    local p = { name = name, in_index = year >= e.from }
    local g = { n_scored = areas_with_data[e.id], n_total = n_areas[e.id] }
    if published == nil then
      g.note = p.in_index and ("not published for " .. year)
        or ("not in the index before " .. e.from)
    elseif not p.in_index then
      p.problem = string.format("%s published for %d, before it enters the index in %d", name,
        year, e.from)
      g.note = p.problem
    else
      p.problem = index.check_pillar(name, published, parts[e.id] or {}, decimals)
      if p.problem then
        g.note = "data-quality flag: " .. p.problem
      else
        p.score = published
        g.score = published
      end
    end
    results.pillars[e.id] = g
    pillars[#pillars + 1] = p
  end
  for id, name in pairs(names) do
    if not results.pillars[id] then
      error("pillar '" .. id .. "' (" .. name .. ") has no entry year in scripts/cmci/edition.lua")
    end
  end

  local published = index.value_in(input.data_elements[edition.overall], year)
  results.overall = index.overall(pillars, published, positive, decimals)
  return results
end

return M
