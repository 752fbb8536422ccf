-- Worked examples for methods/uncertainty.lua: the example of docs/methodology.md ("Uncertainty
-- and sensitivity of ranks"), four areas in action area PS.DRR, each assumption on its own.
local check = require("helpers.check")
local uncertainty = require("methods.uncertainty")

local T = {}

-- PS.DRR as the starter framework has it: six indicators, PS.DRR.1 and .2 without data anywhere.
-- PS.DRR.3 % of GDP lost (lower, worst 2, best 0, 2030 target 0.5); PS.DRR.4 scorecard (higher,
-- 0-100, target 60); PS.DRR.5 early-warning coverage (0-100, target 100); PS.DRR.6 residents in
-- high-hazard zones (lower, worst 40, best 0, a relative target: distance to `best`).
local function model()
  return {
    level = "action_area", code = "PS.DRR",
    options = { aggregation = "arithmetic", min_share = 0.5, max_missing_core = 0.2 },
    indicators = {
      { id = "PS.DRR.1", worst = 5, best = 0, core = true, weight = 1 },
      { id = "PS.DRR.2", worst = 10000, best = 1, transform = "log", core = true, weight = 1 },
      { id = "PS.DRR.3", worst = 2, best = 0, target = 0.5, core = false, weight = 1 },
      { id = "PS.DRR.4", worst = 0, best = 100, target = 60, core = true, weight = 1 },
      { id = "PS.DRR.5", worst = 0, best = 100, target = 100, core = true, weight = 1 },
      { id = "PS.DRR.6", worst = 40, best = 0, core = true, weight = 1 },
    },
    pillars = { { id = "PS", weight = 1, action_areas = { { id = "PS.DRR", weight = 1,
      indicators = { "PS.DRR.1", "PS.DRR.2", "PS.DRR.3", "PS.DRR.4", "PS.DRR.5", "PS.DRR.6" } } } } },
  }
end

-- areas a, b, c, d: values and the min-max scores their runs stored
local function block()
  return {
    n = 4,
    value = { { false, false, false, false }, { false, false, false, false },
              { 0.5, 1.0, 1.5, false }, { 80, 90, 100, 70 }, { 60, 50, 80, 60 },
              { 10, 10, 10, 10 } },
    score = { { false, false, false, false }, { false, false, false, false },
              { 75, 50, 25, false }, { 80, 90, 100, 70 }, { 60, 50, 80, 60 },
              { 75, 75, 75, 75 } },
  }
end

local function scores(a)
  local m, b = model(), block()
  m.totals = uncertainty.sums(m, b)
  return uncertainty.replicate(m, b, a)
end

function T.nominal_is_the_stored_score()
  -- a (75 + 80 + 60 + 75) / 4 = 72.5; b (50 + 90 + 50 + 75) / 4 = 66.25;
  -- c (25 + 100 + 80 + 75) / 4 = 70; d (70 + 60 + 75) / 3 = 68.33 (3 of 6: enough)
  local s = scores({ aggregation = "framework", normalisation = "minmax", imputation = "none" })
  check.near(s[1], 72.5)
  check.near(s[2], 66.25)
  check.near(s[3], 70)
  check.near(s[4], 205 / 3)
end

function T.distance_to_target()
  -- PS.DRR.3: 100 (x - 2) / (0.5 - 2): a 100, b 66.67, c 33.33; PS.DRR.4 capped at the target 60:
  -- a, b, c, d 100; PS.DRR.5 and .6 as min-max. a 335 / 4 = 83.75; b (66.67 + 225) / 4 = 72.92;
  -- c (33.33 + 255) / 4 = 72.08; d (100 + 60 + 75) / 3 = 78.33
  local s = scores({ normalisation = "distance_to_target" })
  check.near(s[1], 83.75)
  check.near(s[2], (200 / 3 + 225) / 4)
  check.near(s[3], (100 / 3 + 255) / 4)
  check.near(s[4], 235 / 3)
end

function T.geometric_at_every_level()
  -- a (75 * 80 * 60 * 75)^(1/4) = 27,000,000^(1/4) = 72.08; b 16,875,000^(1/4) = 64.09;
  -- c 15,000,000^(1/4) = 62.23; d (70 * 60 * 75)^(1/3) = 315,000^(1/3) = 68.04
  local s = scores({ aggregation = "geometric" })
  check.near(s[1], 27000000 ^ 0.25)
  check.near(s[2], 16875000 ^ 0.25)
  check.near(s[3], 15000000 ^ 0.25)
  check.near(s[4], 315000 ^ (1 / 3))
  check.near(s[4], 68.04, 0.005)
end

function T.mean_imputation()
  -- d's missing PS.DRR.3 takes the mean of a, b and c: (75 + 50 + 25) / 3 = 50, so
  -- d = (50 + 70 + 60 + 75) / 4 = 63.75; PS.DRR.1 and .2 have no mean (nobody has data) and stay
  -- missing; the others keep their scores
  local s = scores({ imputation = "mean" })
  check.near(s[1], 72.5)
  check.near(s[4], 63.75)
  -- under distance to target the mean is of those scores: (100 + 66.67 + 33.33) / 3 = 66.67
  s = scores({ imputation = "mean", normalisation = "distance_to_target" })
  check.near(s[4], (200 / 3 + 100 + 60 + 75) / 4)
end

function T.weights_multiply()
  -- PS.DRR.4 weighted 1.2 and PS.DRR.3 0.8 in a: (0.8 * 75 + 1.2 * 80 + 60 + 75) / 4 = 72.75
  local s = scores({ weights = { ["PS.DRR.3"] = 0.8, ["PS.DRR.4"] = 1.2 } })
  check.near(s[1], (0.8 * 75 + 1.2 * 80 + 60 + 75) / 4)
  -- d has no PS.DRR.3: (1.2 * 70 + 60 + 75) / 3.2
  check.near(s[4], (1.2 * 70 + 60 + 75) / 3.2)
end

function T.withheld_stays_withheld()
  -- an area with 2 of 6 indicators has no score under any normalisation or weights
  local m, b = model(), block()
  b.score[5][4], b.value[5][4] = false, false
  m.totals = uncertainty.sums(m, b)
  check.equal(uncertainty.replicate(m, b, {})[4], false)
  check.equal(uncertainty.replicate(m, b, { normalisation = "distance_to_target" })[4], false)
end

function T.sums_per_indicator()
  local m, b = model(), block()
  local t = uncertainty.sums(m, b)
  -- PS.DRR.3 is the third indicator: entries 9..12
  check.near(t[9], 150)
  check.equal(t[10], 3)
  check.near(t[11], 200)
  check.equal(t[12], 3)
  check.equal(t[2], 0)
end

function T.log_transform_on_logs()
  -- PS.DRR.2 (log): 100 between log 10000 and log 1: the value 100 scores 50 either way
  local ind = { worst = 10000, best = 1, transform = "log" }
  check.near(uncertainty.score_of(ind, 100, 50, "distance_to_target"), 50)
  check.equal(uncertainty.score_of(ind, 100, false, "distance_to_target"), nil)
end

function T.unknown_assumption_fails()
  check.fails("unknown normalisation 'zscore'", function()
    scores({ normalisation = "zscore" })
  end)
end

return T
