--- The scoring entry point the engine calls (see docs/scripting.md).
--
-- The engine calls `indicator` once per indicator series of an area and `aggregate` once per
-- area. A city overlay can replace this file, or the methods it requires, without recompiling.
local normalise = require("methods.normalise")
local aggregate = require("methods.aggregate")

local M = {}

--- Scores one indicator for one area.
-- @param ind table indicator metadata: id, direction, worst, best, core, targets, ...
-- @param series table observations up to `year`, oldest first: {{period, year, value}, ...}
-- @param year integer the year being scored
-- @return table {value, period, score, note}; score is nil when the indicator cannot be scored
function M.indicator(ind, series, year)
  local latest = series[#series]
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

--- Aggregates indicator scores to action areas, pillars and the overall score.
function M.aggregate(framework, results)
  return aggregate.nested_mean(framework, results)
end

return M
