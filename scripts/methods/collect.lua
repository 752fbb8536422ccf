--- Collect these first: the core indicators without a score that would unlock the official overall
-- score, cheapest to collect first.
--
-- A city with starter data gets no official score (methods/aggregate.lua withholds it while more
-- than `max_missing_core` of the core indicators have none). This module answers "what do we
-- collect next?": it orders the missing core indicators by what their data source costs to
-- collect, and keeps adding them, cheapest first, until the availability rules would give an
-- official overall score. The cost order is `M.SOURCES`, a default meant to be changed: copy this
-- file into a city overlay's `scripts/methods/` and reorder the list or change its words.
--
-- How an indicator's source is classified: the framework's `data_source` text names the preferred
-- source first and alternatives after a ";" ("Water utility; household survey"). Only the first
-- part counts. In it, the word of `M.SOURCES` that comes first in the text decides (words match
-- at the start of a word, case-insensitive, so "records" matches "Police crash records" and "gis"
-- does not match "registry"); an indicator whose text has none of the words, or no data source,
-- is `M.OTHER` and comes after every kind in the list. Ties keep the framework's order (pillar,
-- action area, indicator).
local aggregate = require("methods.aggregate")

local M = {}

M.VERSION = "1"

--- Kinds of data source, cheapest to collect first: records the city or a utility already keeps,
-- then maps and satellite data, then a one-off assessment or audit, then a survey or census.
M.SOURCES = {
  { kind = "administrative records", words = {
    "record", "registr", "office", "budget", "treasur", "accounts", "utility",
    "operator", "agency", "agencies", "authority", "commission", "secretariat", "system", "database",
    "logs", "crvs", "police", "regulator", "ministry", "inventory",
    "monitoring", "board" } },
  { kind = "maps and satellite data", words = { "gis", "satellite", "osm", "map" } },
  { kind = "assessments and audits", words = {
    "audit", "scorecard", "questionnaire", "assessment", "workshop", "study" } },
  { kind = "surveys and censuses", words = { "survey", "census", "dhs", "mics", "findex", "pisa" } },
}
M.OTHER = "other source"

-- the placeholder score a candidate gets while checking whether the rules would be met: the
-- availability rules count scores, they never look at their values
local PLACEHOLDER = 50

--- The kind of a data source text and its cost (1 = cheapest; #M.SOURCES + 1 for M.OTHER).
-- @param data_source string|nil the framework's `data_source`
-- @return string kind, number cost
function M.source_kind(data_source)
  if type(data_source) ~= "string" then
    return M.OTHER, #M.SOURCES + 1
  end
  local first = (data_source:match("^([^;]*)") or data_source):lower()
  local best_at, best_cost
  for cost, source in ipairs(M.SOURCES) do
    for _, word in ipairs(source.words) do
      local at = first:find("%f[%w]" .. word:lower())
      if at and (best_at == nil or at < best_at or (at == best_at and cost < best_cost)) then
        best_at, best_cost = at, cost
      end
    end
  end
  if not best_cost then
    return M.OTHER, #M.SOURCES + 1
  end
  return M.SOURCES[best_cost].kind, best_cost
end

--- The collect-first list.
-- @param framework table as for aggregate.nested
-- @param indicators table {[id] = {data_source = string|nil}} (the scoring input's indicators)
-- @param results table {[id] = {score =, core =, contextual =, not_applicable =}} as for
--   aggregate.nested
-- @param options table the aggregation options the official score is computed with
-- @return table list of {id =, source = kind}, cheapest first (empty when the official overall
--   score is already there), boolean whether collecting all of them unlocks it (false when even
--   every missing core indicator would not: other rules then withhold it)
function M.first(framework, indicators, results, options)
  if aggregate.nested(framework, results, options).overall.score ~= nil then
    return {}, true
  end
  local candidates = {}
  for _, pillar in ipairs(framework.pillars) do
    for _, area in ipairs(pillar.action_areas or {}) do
      for _, id in ipairs(area.indicators or {}) do
        local r = results[id]
        if r and r.core and not r.contextual and not r.not_applicable and r.score == nil then
          local ind = indicators and indicators[id]
          local kind, cost = M.source_kind(ind and ind.data_source)
          candidates[#candidates + 1] = { id = id, source = kind, cost = cost,
                                          order = #candidates + 1 }
        end
      end
    end
  end
  table.sort(candidates, function(a, b)
    if a.cost ~= b.cost then
      return a.cost < b.cost
    end
    return a.order < b.order
  end)
  local trial = {}
  for id, r in pairs(results) do
    trial[id] = r
  end
  local list = {}
  for _, c in ipairs(candidates) do
    local r = results[c.id]
    trial[c.id] = { score = PLACEHOLDER, core = r.core, contextual = r.contextual,
                    not_applicable = r.not_applicable }
    list[#list + 1] = { id = c.id, source = c.source }
    if aggregate.nested(framework, trial, options).overall.score ~= nil then
      return list, true
    end
  end
  return list, false
end

return M
