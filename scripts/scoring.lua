--- The scoring entry point the engine calls (see docs/scripting.md).
--
-- The engine calls `area(input)` once per area with every indicator's series, the raw data
-- elements and the self-assessment answers; this file decides which methods apply and returns the
-- results model. A city overlay can replace this file, or any method it requires, without
-- recompiling. Every formula it uses is in scripts/methods/ and documented in docs/methodology.md.
local normalise = require("methods.normalise")
local aggregate = require("methods.aggregate")
local progress = require("methods.progress")
local impute = require("methods.impute")
local derive = require("methods.derive")
local alignment = require("methods.alignment")
local priorities = require("methods.priorities")
local units = require("methods.units")
local collect = require("methods.collect")

local M = {}

M.VERSION = "2"

local function options_of(input)
  local o = (input.framework and input.framework.options) or {}
  return {
    progress = o.progress or "escap_api",
    aggregation = o.aggregation or "arithmetic",
    imputation = o.imputation or "none",
    carry_forward_years = o.carry_forward_years or 3,
    min_share = o.min_share or 0.5,
    max_missing_core = o.max_missing_core or 0.2,
    base_year = o.base_year or 2015,
    target_year = o.target_year or 2030,
    units = input.framework and input.framework.units,
  }
end

--- The series the indicator is scored on: its own observations, or, for a derived indicator with
-- none, the ratio of its data elements (docs/framework-format.md `formula`).
local function series_of(ind, data_elements)
  local series = ind.series or {}
  if #series > 0 or not ind.formula then
    return series, nil
  end
  local f = ind.formula
  local num = data_elements[f.numerator]
  local den = f.denominator and data_elements[f.denominator]
  -- the note names the data element as the framework does, not by its code, in curly quotes
  -- (names may hold straight ones: 'feeling "very safe"')
  if not num then
    return {}, string.format("no data for “%s”, needed by %s", f.numerator_name or f.numerator,
      ind.id)
  end
  if f.denominator and not den then
    return {}, string.format("no data for “%s”, needed by %s", f.denominator_name or f.denominator,
      ind.id)
  end
  if not den then
    den = {}
    for i, p in ipairs(num) do
      den[i] = { year = p.year, value = 1 }
    end
  end
  local derived, problems = derive.ratio(num, den, ind.formula.factor)
  local why
  if #problems > 0 then
    why = problems[#problems].year .. ": " .. problems[#problems].reason
  end
  return derived, why
end

--- The value scored for `year`: the latest observation up to it (the mean of the last
-- `smoothing_years` years when the framework asks, for lumpy indicators), with imputation when the
-- framework's options ask for it. Returns value, period, note, imputed.
local function current_value(ind, series, year, o)
  local latest = series[#series]
  if not latest then
    return nil
  end
  if ind.smoothing_years and ind.smoothing_years > 1 then
    local from = year - ind.smoothing_years + 1
    local sum, n = 0, 0
    for _, p in ipairs(series) do
      if p.year >= from and p.year <= year then
        sum, n = sum + p.value, n + 1
      end
    end
    if n > 0 then
      return sum / n, latest.period,
        string.format("mean of %d values %d-%d", n, from, year), false
    end
  end
  if latest.year == year or o.imputation == "none" then
    return latest.value, latest.period, nil, false
  end
  if o.imputation == "interpolate" then
    local v, note, imputed = impute.interpolate(series, year)
    if v then
      return v, tostring(year), note, imputed
    end
  end
  local v, from_year, note, imputed = impute.locf(series, year, o.carry_forward_years)
  if v then
    return v, tostring(year), note, imputed
  end
  return nil, nil, string.format("latest value is from %d, more than %d years before %d",
    latest.year, o.carry_forward_years, year)
end

--- Normalised score, with the log transform the framework may ask for skewed indicators.
local function score_of(ind, value)
  if ind.transform == "log" then
    local tiny = 1e-9
    return normalise.minmax(math.log(math.max(value, tiny)), math.log(math.max(ind.worst, tiny)),
      math.log(math.max(ind.best, tiny)))
  end
  return normalise.minmax(value, ind.worst, ind.best)
end

--- Progress class towards the target-year target, by the indicator's method or the framework's.
local function progress_of(ind, series, year, o)
  local method = ind.method or o.progress
  local direction = ind.direction
  local target_def = ind.targets and ind.targets[o.target_year]
  local target, target_note
  if target_def then
    target, target_note = progress.resolve_target(target_def, series, ind.best)
  end
  local args = { series = series, target = target, direction = direction,
                 base_year = o.base_year, target_year = o.target_year, current_year = year }
  local r
  if method == "escap_csi" and target then
    r = progress.escap_csi(args)
  elseif method == "sdsn" and target then
    -- SDSN trends run on normalised scores with the target as the green threshold, from the
    -- framework's base year (not the series' first observation)
    r = progress.sdsn_trend_series({ series = series, green = (score_of(ind, target)),
                                     score = function(v) return (score_of(ind, v)) end,
                                     base_year = o.base_year, target_year = o.target_year,
                                     current_year = year })
  elseif method == "escap_api" and target then
    r = progress.escap_api(args)
  else
    -- no numeric target: the Open SDG method without a target judges the trend alone
    r = progress.opensdg(args)
  end
  local gap
  if target then
    local csi = progress.escap_csi(args)
    if type(csi.value) == "number" then
      gap = 1 - math.max(0, math.min(1, csi.value))
    end
  end
  -- the method's note (a later base year, a zero replaced, no change from zero, why there is no
  -- class) and, when the target could not be resolved, why
  local note = r.note
  if target_def and not target and target_note and target_def.kind ~= "none" then
    local why = string.format("no %d target: %s", o.target_year, target_note)
    note = note and (why .. "; " .. note) or why
  end
  return r.class, gap, note
end

--- Scores one indicator for one area: value, 0-100 score, progress class and what is left to go.
function M.indicator(ind, year, data_elements, options)
  local o = options or options_of({})
  if ind.not_applicable then
    return { note = "not applicable: " .. ind.not_applicable }
  end
  -- a linked imported series feeds it only in a comparable unit (methods/units.lua)
  local unit_note = units.feed(ind, o.units)
  local series, derive_note = series_of(ind, data_elements or {})
  local value, period, note, imputed = current_value(ind, series, year, o)
  if value == nil then
    return { note = unit_note or note or derive_note or ("no data up to " .. year) }
  end
  local r = { value = value, period = period, note = note or derive_note, imputed = imputed }
  if ind.series_from then
    r.note = "from the imported series " .. ind.series_from
      .. (ind.series_conversion and (", " .. ind.series_conversion) or "")
      .. (r.note and ("; " .. r.note) or "")
  end
  if ind.direction == "contextual" then
    r.note = "contextual: reported, not scored"
    return r
  end
  local score, why = score_of(ind, value)
  r.score = score
  if why then
    r.note = why
  end
  if #series >= 2 then
    local progress_note
    r.class, r.target_gap, progress_note = progress_of(ind, series, year, o)
    if progress_note then
      r.note = r.note and (r.note .. "; " .. progress_note) or progress_note
    end
  else
    r.class = "insufficient_data"
    local target_def = ind.targets and ind.targets[o.target_year]
    if target_def then
      local target = progress.resolve_target(target_def, series, ind.best)
      local csi = target and progress.escap_csi({ series = series, target = target,
        direction = ind.direction, base_year = o.base_year, target_year = o.target_year,
        current_year = year })
      if csi and type(csi.value) == "number" then
        r.target_gap = 1 - math.max(0, math.min(1, csi.value))
      end
    end
  end
  return r
end

--- Scores an area: every indicator, action areas, pillars, overall, self-assessment alignment and
-- the ranked priority action areas.
function M.area(input)
  local o = options_of(input)
  local results = { indicators = {} }
  local for_aggregation = {}
  local weights = {}
  for id, ind in pairs(input.indicators) do
    local r = M.indicator(ind, input.year, input.data_elements, o)
    results.indicators[id] = r
    for_aggregation[id] = { score = r.score, core = ind.core,
                            contextual = ind.direction == "contextual",
                            not_applicable = ind.not_applicable ~= nil }
    weights[id] = ind.weight
  end
  for _, pillar in ipairs(input.framework.pillars) do
    weights[pillar.id] = pillar.weight
    for _, area in ipairs(pillar.action_areas) do
      weights[area.id] = area.weight
    end
  end
  local rules = {
    method = o.aggregation,
    weights = weights,
    min_share = o.min_share,
    -- with no share required, one indicator is enough (the starter framework's "or fewer than 2"
    -- applies with its share rule)
    min_count = o.min_share > 0 and 2 or 1,
    max_missing_core = o.max_missing_core,
  }
  local groups = aggregate.nested(input.framework, for_aggregation, rules)
  -- what the withheld groups would score on the data there is, marked provisional, and the core
  -- indicators that would unlock the official overall score, cheapest to collect first
  aggregate.provisional(input.framework, for_aggregation, rules, groups)
  results.action_areas = groups.action_areas
  results.pillars = groups.pillars
  results.overall = groups.overall
  results.collect_first = collect.first(input.framework, input.indicators, for_aggregation, rules)

  local ranked_input = {}
  if input.answers then
    local by_area = {}
    for qid, a in pairs(input.answers) do
      by_area[a.action_area] = by_area[a.action_area] or {}
      by_area[a.action_area][#by_area[a.action_area] + 1] = a.effective_level or false
      a.question = qid
    end
    local al = alignment.nested(input.framework, by_area)
    results.alignment = al
  end
  for _, pillar in ipairs(input.framework.pillars) do
    for _, area in ipairs(pillar.action_areas) do
      local inds = {}
      for _, id in ipairs(area.indicators) do
        local r, ind = results.indicators[id], input.indicators[id]
        if not ind.not_applicable and ind.direction ~= "contextual" then
          inds[#inds + 1] = { id = id, core = ind.core, score = r.score,
                              target_gap = r.target_gap, class = r.class,
                              has_data = r.value ~= nil }
        end
      end
      local answers = {}
      for _, qid in ipairs(area.questions or {}) do
        local a = input.answers and input.answers[qid]
        if a then
          answers[#answers + 1] = { question = qid, dimensions = a.dimensions,
                                    level = a.effective_level }
        end
      end
      local al = results.alignment and results.alignment.action_areas[area.id]
      ranked_input[#ranked_input + 1] = {
        id = area.id, name = area.name, pillar = pillar.id,
        score = results.action_areas[area.id] and results.action_areas[area.id].score,
        alignment = al and al.score, weight = area.weight, indicators = inds,
        answers = answers,
      }
    end
  end
  results.priorities = priorities.rank(ranked_input)
  return results
end

return M
