--- Uncertainty analysis of rankings: one area's score again under other assumptions.
--
-- `acvtrack rank --uncertainty N` (docs/methodology.md, "Uncertainty and sensitivity of ranks")
-- scores every ranked area again N times, each time under assumptions drawn from
-- indicators/uncertainty/assumptions.yml, from what the area's stored run kept for each indicator
-- (its value and its 0-100 score). The engine draws the assumptions; this file applies them, with
-- the methods the scoring itself uses (methods/normalise.lua, methods/aggregate.lua):
--
-- * weights: every weight (indicator, action area, pillar) times the multiplier the engine drew
--   (1 + U(-noise, noise), COINr's `get_noisy_weights`); 1 when none is given;
-- * normalisation "minmax": the run's own score (the framework's goalposts); "distance_to_target":
--   `normalise.distance_to_target` of the run's value between the `worst` bound and the
--   indicator's absolute target for the framework's target year (its `best` bound when it has no
--   absolute target), on logs for log-transformed indicators. Only indicators the run scored get a
--   score, so the data an area is scored on never changes with the normalisation;
-- * aggregation "framework": as the run (arithmetic within action areas, the framework's method
--   above); "arithmetic" or "geometric": that mean at every level (COINr `a_amean`, `a_gmean`);
-- * imputation "none": a missing indicator stays missing (the availability rules apply as in the
--   run); "mean": it takes the mean score of the indicator over the ranked areas that have one,
--   under the same normalisation (COINr `i_mean`, by indicator).
--
-- With the nominal assumptions (weights 1, "framework", "minmax", "none") an area's score is the
-- score its run stored, which the tests check.
local normalise = require("methods.normalise")
local aggregate = require("methods.aggregate")

local M = {}

M.VERSION = "1"

M.NORMALISATIONS = { minmax = true, distance_to_target = true }
M.AGGREGATIONS = { framework = true, arithmetic = true, geometric = true }
M.IMPUTATIONS = { none = true, mean = true }

local TINY = 1e-9

--- The 0-100 score of one indicator under a normalisation.
-- @param ind table {worst =, best =, target =, transform =}
-- @param value number the run's value
-- @param stored number|false the run's score (false: the run did not score it)
-- @param normalisation string "minmax" or "distance_to_target"
-- @return number|nil
function M.score_of(ind, value, stored, normalisation)
  if type(stored) ~= "number" then
    return nil
  end
  if normalisation == "minmax" then
    return stored
  end
  if normalisation ~= "distance_to_target" then
    error("normalisation must be 'minmax' or 'distance_to_target', got " .. tostring(normalisation),
      2)
  end
  if type(value) ~= "number" then
    return nil
  end
  local target = ind.target or ind.best
  if ind.transform == "log" then
    return (normalise.distance_to_target(math.log(math.max(value, TINY)),
      math.log(math.max(ind.worst, TINY)), math.log(math.max(target, TINY))))
  end
  return (normalise.distance_to_target(value, ind.worst, target))
end

--- Sums of the indicators' scores over the areas of a block, under each normalisation: a flat
-- list of 4 numbers per indicator (in model order): minmax sum, minmax count, distance-to-target
-- sum, distance-to-target count. The engine adds the blocks up and gives the totals back as
-- `model.totals`, from which `mean` imputation takes its means.
function M.sums(model, block)
  local out = {}
  for k, ind in ipairs(model.indicators) do
    local values, scores = block.value[k], block.score[k]
    local s1, n1, s2, n2 = 0, 0, 0, 0
    if not ind.contextual and not ind.not_applicable then
      for i = 1, block.n do
        local a = M.score_of(ind, values[i], scores[i], "minmax")
        if a then
          s1, n1 = s1 + a, n1 + 1
        end
        local b = M.score_of(ind, values[i], scores[i], "distance_to_target")
        if b then
          s2, n2 = s2 + b, n2 + 1
        end
      end
    end
    local at = 4 * (k - 1)
    out[at + 1], out[at + 2], out[at + 3], out[at + 4] = s1, n1, s2, n2
  end
  return out
end

--- The mean score of each indicator (by model position) under a normalisation, from the totals
-- of `sums`; nil where no area has one.
function M.means(totals, n_indicators, normalisation)
  local means = {}
  local off = normalisation == "distance_to_target" and 2 or 0
  for k = 1, n_indicators do
    local at = 4 * (k - 1) + off
    local sum, n = totals[at + 1], totals[at + 2]
    if n and n > 0 then
      means[k] = sum / n
    end
  end
  return means
end

local function check_assumption(a)
  local norm = a.normalisation or "minmax"
  local agg = a.aggregation or "framework"
  local imp = a.imputation or "none"
  if not M.NORMALISATIONS[norm] then
    error("unknown normalisation '" .. tostring(norm) .. "'", 3)
  end
  if not M.AGGREGATIONS[agg] then
    error("unknown aggregation '" .. tostring(agg) .. "'", 3)
  end
  if not M.IMPUTATIONS[imp] then
    error("unknown imputation '" .. tostring(imp) .. "'", 3)
  end
  return norm, agg, imp
end

--- The score of every area of a block at the model's level under one set of assumptions.
-- @param model table {level = "overall"|"pillar"|"action_area", code =, options = {aggregation,
--   min_share, max_missing_core}, indicators = {{id, worst, best, target, transform, core,
--   contextual, not_applicable, weight}}, pillars = {{id, weight, action_areas = {{id, weight,
--   indicators = {id, ...}}}}}, totals = the summed `sums` (needed by "mean" imputation)}
-- @param block table {n =, value = {[k] = {v1, ..., vn}}, score = {[k] = {...}}}: per indicator
--   (model order) each area's stored value and score, false where there is none
-- @param a table {weights = {[id] = multiplier}|nil, aggregation =, normalisation =, imputation =}
-- @return table list of n scores, false for an area without a score at that level
function M.replicate(model, block, a)
  local norm, agg, imp = check_assumption(a)
  local inds = model.indicators
  local mult = a.weights or {}
  local weights = {}
  for _, ind in ipairs(inds) do
    weights[ind.id] = ind.weight * (mult[ind.id] or 1)
  end
  for _, p in ipairs(model.pillars) do
    weights[p.id] = p.weight * (mult[p.id] or 1)
    for _, area in ipairs(p.action_areas) do
      weights[area.id] = area.weight * (mult[area.id] or 1)
    end
  end
  local o = model.options
  local method, area_method = o.aggregation, "arithmetic"
  if agg ~= "framework" then
    method, area_method = agg, agg
  end
  local rules = { method = method, area_method = area_method, weights = weights,
                  min_share = o.min_share, min_count = o.min_share > 0 and 2 or 1,
                  max_missing_core = o.max_missing_core }
  local means = imp == "mean" and M.means(model.totals or {}, #inds, norm) or nil
  -- one results table per indicator, refilled for each area
  local results = {}
  for _, ind in ipairs(inds) do
    results[ind.id] = { core = ind.core, contextual = ind.contextual,
                        not_applicable = ind.not_applicable }
  end
  local out = {}
  for i = 1, block.n do
    for k, ind in ipairs(inds) do
      local s = M.score_of(ind, block.value[k][i], block.score[k][i], norm)
      if s == nil and means and not ind.contextual and not ind.not_applicable then
        s = means[k]
      end
      results[ind.id].score = s
    end
    local g = aggregate.nested(model, results, rules)
    local group
    if model.level == "overall" then
      group = g.overall
    elseif model.level == "pillar" then
      group = g.pillars[model.code]
    else
      group = g.action_areas[model.code]
    end
    out[i] = (group and group.score) or false
  end
  return out
end

return M
