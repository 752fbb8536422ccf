--- The scoring entry point the engine calls (see docs/scripting.md).
--
-- The engine calls `area(input)` once per area with every indicator's series; this file decides
-- which methods apply and returns the results model. A city overlay can replace this file, or any
-- method it requires, without recompiling.
local normalise = require("methods.normalise")
local aggregate = require("methods.aggregate")

local M = {}

--- Scores one indicator: its latest value up to `year` between the bounds.
-- @param ind table indicator metadata and its `series` (oldest first)
-- @param year integer the year being scored
-- @return table {value, period, score, note}; score is nil when the indicator cannot be scored
function M.indicator(ind, year)
  local series = ind.series or {}
  local latest = series[#series]
  if ind.not_applicable then
    return { note = "not applicable: " .. ind.not_applicable }
  end
  if not latest then
    return { note = "no data up to " .. year }
  end
  if ind.direction == "contextual" then
    return { value = latest.value, period = latest.period,
             note = "contextual: reported, not scored" }
  end
  local score, why = normalise.minmax(latest.value, ind.worst, ind.best)
  return { value = latest.value, period = latest.period, score = score, note = why }
end

--- Scores an area: every indicator, then action areas, pillars and the overall score.
-- @param input table {year, area, framework, indicators = {[id] = ind}, data_elements, answers}
-- @return table the results model (docs/scripting.md)
function M.area(input)
  local results = { indicators = {} }
  local for_aggregation = {}
  for id, ind in pairs(input.indicators) do
    local r = M.indicator(ind, input.year)
    results.indicators[id] = r
    for_aggregation[id] = { score = r.score, core = ind.core,
                            contextual = ind.direction == "contextual" }
  end
  local groups = aggregate.nested_mean(input.framework, for_aggregation)
  results.action_areas = groups.action_areas
  results.pillars = groups.pillars
  results.overall = groups.overall
  return results
end

return M
