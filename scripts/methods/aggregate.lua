--- Aggregation: indicator scores into action-area, pillar and overall scores.
local M = {}

M.VERSION = "1"

--- Arithmetic mean of the numbers in a list; nil for an empty list.
function M.mean(values)
  if #values == 0 then
    return nil
  end
  local sum = 0
  for _, v in ipairs(values) do
    sum = sum + v
  end
  return sum / #values
end

--- Nested equal weights: an action area is the mean of its scored indicators, a pillar the mean
-- of its scored action areas, and the overall score the mean of the scored pillars (starter
-- framework, section C.1). Contextual indicators never count. A group with nothing scored below it
-- has no score, and says why.
-- @param framework table {pillars = {{id, action_areas = {{id, indicators = {id...}}}}}}
-- @param results table {[indicator id] = {score = number|nil, contextual = boolean}}
-- @return table {action_areas = {[id] = group}, pillars = {[id] = group}, overall = group}
function M.nested_mean(framework, results)
  local out = { action_areas = {}, pillars = {} }
  local pillar_scores = {}
  for _, pillar in ipairs(framework.pillars) do
    local area_scores = {}
    for _, area in ipairs(pillar.action_areas) do
      local scores, total = {}, 0
      for _, id in ipairs(area.indicators) do
        local r = results[id]
        if r and not r.contextual then
          total = total + 1
          if r.score then
            scores[#scores + 1] = r.score
          end
        end
      end
      local group = { score = M.mean(scores), n_scored = #scores, n_total = total }
      if not group.score then
        group.note = "no indicator with data"
      end
      out.action_areas[area.id] = group
      if group.score then
        area_scores[#area_scores + 1] = group.score
      end
    end
    local group = { score = M.mean(area_scores), n_scored = #area_scores,
                    n_total = #pillar.action_areas }
    if not group.score then
      group.note = "no action area with a score"
    end
    out.pillars[pillar.id] = group
    if group.score then
      pillar_scores[#pillar_scores + 1] = group.score
    end
  end
  out.overall = { score = M.mean(pillar_scores), n_scored = #pillar_scores,
                  n_total = #framework.pillars }
  if not out.overall.score then
    out.overall.note = "no pillar with a score"
  end
  return out
end

local function is_number(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

-- Checks a value list and an optional weight list of the same length; nil weights = all 1.
local function pairs_of(values, weights, level)
  if type(values) ~= "table" then
    error("values must be a list of numbers", level + 1)
  end
  if weights ~= nil and (type(weights) ~= "table" or #weights ~= #values) then
    error("weights must be a list as long as values", level + 1)
  end
  for i = 1, #values do
    if not is_number(values[i]) then
      error("value " .. i .. " is not a number", level + 1)
    end
    if weights and (not is_number(weights[i]) or weights[i] < 0) then
      error("weight " .. i .. " must be a number, 0 or more", level + 1)
    end
  end
end

--- Weighted arithmetic mean, Σ w·x / Σ w (COINr `a_amean`); equal weights when `weights` is nil.
-- @param values table list of numbers
-- @param weights table|nil list of weights (0 or more), as long as `values`
-- @return number|nil mean, string|nil reason
function M.weighted_mean(values, weights)
  pairs_of(values, weights, 2)
  if #values == 0 then
    return nil, "no values"
  end
  local sum, sw = 0, 0
  for i = 1, #values do
    local w = weights and weights[i] or 1
    sum = sum + w * values[i]
    sw = sw + w
  end
  if sw == 0 then
    return nil, "the weights add up to 0"
  end
  return sum / sw
end

--- Weighted geometric mean, exp(Σ w·ln max(x, floor) / Σ w) (COINr `a_gmean`). Scores are floored at
-- `floor` (default 1) before taking logs, as the starter framework (section C.3) asks, so that a 0
-- does not wipe out the whole group.
-- @param values table list of numbers (0-100 scores)
-- @param weights table|nil list of weights, as long as `values`
-- @param floor number|nil lowest value used (default 1; must be > 0)
-- @return number|nil mean, string|nil reason
function M.geometric_mean(values, weights, floor)
  pairs_of(values, weights, 2)
  floor = floor or 1
  if not is_number(floor) or floor <= 0 then
    error("floor must be a number above 0", 2)
  end
  if #values == 0 then
    return nil, "no values"
  end
  local sum, sw = 0, 0
  for i = 1, #values do
    local w = weights and weights[i] or 1
    sum = sum + w * math.log(math.max(values[i], floor))
    sw = sw + w
  end
  if sw == 0 then
    return nil, "the weights add up to 0"
  end
  return math.exp(sum / sw)
end

local function percent(share)
  return string.format("%g%%", math.floor(share * 1000 + 0.5) / 10)
end

--- Nested aggregation with options: indicators into action areas, action areas into pillars, pillars
-- into the overall score; the generalisation of `nested_mean`, whose scores it reproduces with
-- `{min_share = 0, min_count = 1, max_missing_core = 1}` (its `n_total` counts only applicable
-- members, where `nested_mean` counts every action area and pillar).
--
-- * Action area: weighted arithmetic mean of its scored indicators, always (starter framework C.3:
--   arithmetic within action areas). No score when fewer than `min_share` (default half) of its
--   applicable indicators have a score, or fewer than `min_count` (default 2) (starter framework C.4:
--   "withhold the area score if fewer than half of its applicable core indicators (or fewer than 2)
--   are available"). Choice made here: an area with only one applicable indicator needs that one
--   (min_count is capped at the number of applicable indicators).
-- * Not applicable indicators are dropped and the remaining weights renormalised; they do not count
--   as missing (C.4). An area with no applicable indicator is left out of its pillar, a pillar with no
--   applicable area out of the overall score. Contextual indicators never count; with `core_only`,
--   optional indicators are left out as well.
-- * Pillar and overall: `method` "arithmetic" (default) or "geometric" (C.3 option: floor scores at 1
--   before logs) over the scored members, with their weights.
-- * Overall: no score when more than `max_missing_core` (default 20%) of the applicable core
--   indicators have no score (the SDSN rule: no overall score for a country missing more than 20% of
--   its indicators, applied here to core indicators). The rule is skipped when no indicator is core.
-- * Weights: `weights[id]` for any indicator, action area or pillar id (default 1 = equal weights).
-- * `area_method` "geometric" makes the action areas' means geometric too (floored like the others);
--   the default "arithmetic" is the starter framework's rule. The uncertainty analysis
--   (methods/uncertainty.lua) uses it to try the geometric mean at every level, as COINr does.
--
-- @param framework table {pillars = {{id =, action_areas = {{id =, indicators = {id, ...}}}}}}
-- @param results table {[indicator id] = {score = number|nil, core = boolean,
--   contextual = boolean, not_applicable = boolean}}; indicators absent from it are not counted
-- @param options table|nil {method =, area_method =, weights =, min_share =, min_count =,
--   max_missing_core =, core_only =, floor =}
-- @return table {action_areas = {[id] = group}, pillars = {[id] = group}, overall = group,
--   effective_weights = {[indicator id] = weight in the overall score}} where
--   group = {score =, n_scored =, n_total =, n_core_scored =, n_core_total =, note =} (note says
--   why when score is nil; n_core_* count the applicable core indicators below the group and those
--   with a score); action-area groups also have n_not_applicable, the overall group n_core_missing.
function M.nested(framework, results, options)
  if type(framework) ~= "table" or type(framework.pillars) ~= "table" then
    error("framework must have a list of pillars", 2)
  end
  if type(results) ~= "table" then
    error("results must be a table keyed by indicator id", 2)
  end
  options = options or {}
  local method = options.method or "arithmetic"
  if method ~= "arithmetic" and method ~= "geometric" then
    error("method must be 'arithmetic' or 'geometric'", 2)
  end
  local weights = options.weights or {}
  local min_share = options.min_share == nil and 0.5 or options.min_share
  local min_count = options.min_count == nil and 2 or options.min_count
  local max_missing_core = options.max_missing_core == nil and 0.2 or options.max_missing_core
  local core_only = options.core_only == true
  local floor = options.floor or 1
  local area_method = options.area_method or "arithmetic"
  if area_method ~= "arithmetic" and area_method ~= "geometric" then
    error("area_method must be 'arithmetic' or 'geometric'", 2)
  end

  local function weight_of(id)
    local w = weights[id]
    if w == nil then
      return 1
    end
    if not is_number(w) or w < 0 then
      error("weight of '" .. tostring(id) .. "' must be a number, 0 or more", 3)
    end
    return w
  end

  local function combine(values, ws)
    if method == "geometric" then
      return M.geometric_mean(values, ws, floor)
    end
    return M.weighted_mean(values, ws)
  end

  local out = { action_areas = {}, pillars = {}, effective_weights = {} }
  local core_total, core_missing = 0, 0
  local p_scores, p_weights, p_members = {}, {}, {}
  local n_pillars = 0

  for _, pillar in ipairs(framework.pillars) do
    local a_scores, a_weights, a_members = {}, {}, {}
    local n_areas = 0
    local p_core, p_core_scored = 0, 0
    for _, area in ipairs(pillar.action_areas or {}) do
      local scores, ws, ids = {}, {}, {}
      local total, n_na, a_core, a_core_scored = 0, 0, 0, 0
      for _, id in ipairs(area.indicators or {}) do
        local r = results[id]
        if r and not r.contextual and (r.core or not core_only) then
          if r.not_applicable then
            n_na = n_na + 1
          else
            total = total + 1
            if r.core then
              core_total = core_total + 1
              a_core = a_core + 1
            end
            if is_number(r.score) then
              scores[#scores + 1] = r.score
              ws[#ws + 1] = weight_of(id)
              ids[#ids + 1] = id
              if r.core then
                a_core_scored = a_core_scored + 1
              end
            elseif r.core then
              core_missing = core_missing + 1
            end
          end
        end
      end
      p_core, p_core_scored = p_core + a_core, p_core_scored + a_core_scored
      local group = { n_scored = #scores, n_total = total, n_not_applicable = n_na,
                      n_core_total = a_core, n_core_scored = a_core_scored }
      if total == 0 then
        group.note = n_na > 0 and "all its indicators are not applicable"
          or "no indicator to score"
      else
        n_areas = n_areas + 1
        local by_share = math.ceil(min_share * total - 1e-9)
        local by_count = math.min(min_count, total)
        local needed = math.max(by_share, by_count)
        if #scores == 0 then
          group.note = string.format("none of its %d indicators has data", total)
        elseif #scores < needed then
          local what
          if by_share >= by_count and min_share == 0.5 then
            what = "at least half are needed"
          elseif by_share >= by_count then
            what = "at least " .. percent(min_share) .. " are needed"
          else
            what = string.format("at least %d %s needed", needed, needed == 1 and "is" or "are")
          end
          group.note = string.format("%d of %d indicators have data; %s", #scores, total, what)
        else
          local score
          if area_method == "geometric" then
            score = M.geometric_mean(scores, ws, floor)
          else
            score = M.weighted_mean(scores, ws)
          end
          group.score = score
          if score then
            a_scores[#a_scores + 1] = score
            a_weights[#a_weights + 1] = weight_of(area.id)
            a_members[#a_members + 1] = { id = area.id, ids = ids, ws = ws }
          else
            group.note = "the weights of its scored indicators add up to 0"
          end
        end
      end
      out.action_areas[area.id] = group
    end
    local group = { n_scored = #a_scores, n_total = n_areas, n_core_total = p_core,
                    n_core_scored = p_core_scored }
    if n_areas == 0 then
      group.note = "no applicable action area"
    else
      n_pillars = n_pillars + 1
      if #a_scores == 0 then
        group.note = "no action area with a score"
      else
        local score = combine(a_scores, a_weights)
        group.score = score
        if score then
          p_scores[#p_scores + 1] = score
          p_weights[#p_weights + 1] = weight_of(pillar.id)
          p_members[#p_members + 1] = { areas = a_members, ws = a_weights }
        else
          group.note = "the weights of its scored action areas add up to 0"
        end
      end
    end
    out.pillars[pillar.id] = group
  end

  local overall = { n_scored = #p_scores, n_total = n_pillars, n_core_total = core_total,
                    n_core_missing = core_missing, n_core_scored = core_total - core_missing }
  if #p_scores == 0 then
    overall.note = "no pillar with a score"
  elseif core_total > 0 and core_missing / core_total > max_missing_core then
    overall.note = string.format(
      "%d of %d applicable core indicators have no score (%s); at most %s may be missing",
      core_missing, core_total, percent(core_missing / core_total), percent(max_missing_core))
  else
    local score = combine(p_scores, p_weights)
    overall.score = score
    if not score then
      overall.note = "the weights of the scored pillars add up to 0"
    end
  end
  out.overall = overall

  -- effective weight of each scored indicator in the overall score: its share within its area ×
  -- the area's share within its pillar × the pillar's share of the overall score
  if overall.score then
    local sp = 0
    for _, w in ipairs(p_weights) do
      sp = sp + w
    end
    for i, p in ipairs(p_members) do
      local sa = 0
      for _, w in ipairs(p.ws) do
        sa = sa + w
      end
      for j, a in ipairs(p.areas) do
        local si = 0
        for _, w in ipairs(a.ws) do
          si = si + w
        end
        for k, id in ipairs(a.ids) do
          out.effective_weights[id] = (p_weights[i] / sp) * (p.ws[j] / sa) * (a.ws[k] / si)
        end
      end
    end
  end
  return out
end

--- Provisional scores: what the groups the availability rules withhold would score on the data
-- there is, level by level, from the figures a report shows. An action area withheld for lack of
-- data gets the weighted mean of the indicators that do have a score (the same formula as
-- `nested`). A pillar without an official score gets the combination (same method and weights as
-- `nested`) of its action areas' official or provisional scores; the overall score the combination
-- of the pillars' official or provisional scores. So a pillar with an official score enters the
-- provisional overall with that score, and every provisional figure can be recomputed from the
-- figures next to it. Each such group of `official` (the result of `nested` with the real rules)
-- gets `provisional`; its n_core_scored and n_core_total say how much of the framework's core it
-- rests on. A provisional score is never an official one: reports show it marked, with its coverage.
-- @param framework, results, options as for `nested`
-- @param official table the result of `nested(framework, results, options)`; changed in place
-- @return table official
function M.provisional(framework, results, options, official)
  options = options or {}
  local relaxed = {}
  for k, v in pairs(options) do
    relaxed[k] = v
  end
  relaxed.min_share, relaxed.min_count, relaxed.max_missing_core = 0, 1, 1
  local any = M.nested(framework, results, relaxed)
  local weights = options.weights or {}
  local function weight_of(id)
    return weights[id] == nil and 1 or weights[id]
  end
  local function combine(values, ws)
    if #values == 0 then
      return nil
    end
    if options.method == "geometric" then
      return M.geometric_mean(values, ws, options.floor or 1)
    end
    return M.weighted_mean(values, ws)
  end
  local function figure(group)
    return group and (group.score or group.provisional)
  end
  local p_values, p_weights = {}, {}
  for _, pillar in ipairs(framework.pillars) do
    local a_values, a_weights = {}, {}
    for _, area in ipairs(pillar.action_areas or {}) do
      local g = official.action_areas[area.id]
      if g and g.score == nil and any.action_areas[area.id] then
        g.provisional = any.action_areas[area.id].score
      end
      if figure(g) then
        a_values[#a_values + 1] = figure(g)
        a_weights[#a_weights + 1] = weight_of(area.id)
      end
    end
    local pg = official.pillars[pillar.id]
    if pg and pg.score == nil then
      pg.provisional = combine(a_values, a_weights)
    end
    if figure(pg) then
      p_values[#p_values + 1] = figure(pg)
      p_weights[#p_weights + 1] = weight_of(pillar.id)
    end
  end
  if official.overall.score == nil then
    official.overall.provisional = combine(p_values, p_weights)
  end
  return official
end

return M
