-- Worked examples for methods/aggregate.lua (nested equal weights).
local check = require("helpers.check")
local aggregate = require("methods.aggregate")


local framework = {
  pillars = {
    { id = "PS", action_areas = {
      { id = "PS.DRR", indicators = { "PS.DRR.1", "PS.DRR.5", "PS.DRR.6" } },
      { id = "PS.CBS", indicators = { "PS.CBS.1", "PS.CBS.2" } },
    } },
    { id = "EC", action_areas = {
      { id = "EC.JOB", indicators = { "EC.JOB.1" } },
    } },
  },
}
local results = {
  ["PS.DRR.1"] = { score = 98 },
  ["PS.DRR.5"] = { score = 90 },
  ["PS.DRR.6"] = {},                       -- no data: not counted in the mean
  ["PS.CBS.1"] = {},
  ["PS.CBS.2"] = { contextual = true },    -- never counted
  ["EC.JOB.1"] = { score = 70 },
}
local fw = {
  pillars = {
    { id = "PS", action_areas = {
      { id = "PS.DRR", indicators = { "PS.DRR.1", "PS.DRR.2", "PS.DRR.3", "PS.DRR.4" } },
      { id = "PS.CBS", indicators = { "PS.CBS.1", "PS.CBS.2", "PS.CBS.3" } },
    } },
    { id = "EC", action_areas = {
      { id = "EC.JOB", indicators = { "EC.JOB.1", "EC.JOB.2" } },
      { id = "EC.FIN", indicators = { "EC.FIN.1", "EC.FIN.2", "EC.FIN.3", "EC.FIN.4" } },
    } },
  },
}
local res = {
  ["PS.DRR.1"] = { score = 80, core = true },
  ["PS.DRR.2"] = { score = 60, core = true },
  ["PS.DRR.3"] = { core = true },                          -- missing
  ["PS.DRR.4"] = { score = 40, core = false },             -- optional
  ["PS.CBS.1"] = { score = 50, core = true },
  ["PS.CBS.2"] = { contextual = true, core = true },       -- never counts
  ["PS.CBS.3"] = { core = true, not_applicable = true },   -- dropped, not missing
  ["EC.JOB.1"] = { score = 70, core = true },
  ["EC.JOB.2"] = { score = 90, core = true },
  ["EC.FIN.1"] = { score = 30, core = true },
  ["EC.FIN.2"] = { core = true },
  ["EC.FIN.3"] = { core = true },
  ["EC.FIN.4"] = { core = false },
}

local T = {}

function T.mean()
  check.equal(aggregate.mean({}), nil)
  check.near(aggregate.mean({ 90, 98 }), 94)
end

function T.nested_mean_equal_weights()
  local out = aggregate.nested_mean(framework, results)
  check.near(out.action_areas["PS.DRR"].score, 94)
  check.equal(out.action_areas["PS.DRR"].n_scored, 2)
  check.equal(out.action_areas["PS.DRR"].n_total, 3)
  check.is_nil(out.action_areas["PS.CBS"].score)
  check.equal(out.action_areas["PS.CBS"].n_total, 1)
  check.equal(out.action_areas["PS.CBS"].note, "no indicator with data")
  check.near(out.pillars.PS.score, 94)
  check.equal(out.pillars.PS.n_scored, 1)
  check.equal(out.pillars.PS.n_total, 2)
  check.near(out.pillars.EC.score, 70)
  check.near(out.overall.score, (94 + 70) / 2)
  check.equal(out.overall.n_scored, 2)
end

-- weighted and geometric means ---------------------------------------------------------------------
function T.weighted_and_geometric_means()
  -- (2 × 90 + 1 × 60)/(2 + 1) = 240/3 = 80
  check.near(aggregate.weighted_mean({ 90, 60 }, { 2, 1 }), 80)
  check.near(aggregate.weighted_mean({ 90, 60 }), 75)
  local v, why = aggregate.weighted_mean({})
  check.is_nil(v)
  check.equal(why, "no values")
  v, why = aggregate.weighted_mean({ 1, 2 }, { 0, 0 })
  check.is_nil(v)
  check.equal(why, "the weights add up to 0")
  check.fails("weights must be a list as long as values", aggregate.weighted_mean, { 1, 2 }, { 1 })
  -- geometric: sqrt(25 × 100) = 50
  check.near(aggregate.geometric_mean({ 25, 100 }), 50)
  -- weighted: 16^(1/4) × 81^(3/4) = 2 × 27 = 54
  check.near(aggregate.geometric_mean({ 16, 81 }, { 1, 3 }), 54)
  -- a 0 is floored at 1 before the log: sqrt(1 × 100) = 10
  check.near(aggregate.geometric_mean({ 0, 100 }), 10)
  check.near(aggregate.geometric_mean({ 0, 100 }, nil, 4), 20)   -- sqrt(4 × 100)
  -- geometric ≤ arithmetic, and it penalises imbalance
  assert(aggregate.geometric_mean({ 20, 100 }) < aggregate.weighted_mean({ 20, 100 }))
end

-- nested with options ------------------------------------------------------------------------------
function T.nested_without_thresholds_matches_nested_mean()
  -- nested_mean's scores are reproduced with the thresholds switched off
  local out = aggregate.nested_mean(framework, results)
  local same = aggregate.nested(framework, results, { min_share = 0, min_count = 1, max_missing_core = 1 })
  check.near(same.action_areas["PS.DRR"].score, out.action_areas["PS.DRR"].score)
  check.near(same.pillars.PS.score, out.pillars.PS.score)
  check.near(same.overall.score, out.overall.score)
end

function T.thresholds_and_core_missing()
  local n = aggregate.nested(fw, res)
  -- PS.DRR: 3 of 4 scored (≥ half and ≥ 2): (80 + 60 + 40)/3 = 60
  check.near(n.action_areas["PS.DRR"].score, 60)
  check.equal(n.action_areas["PS.DRR"].n_scored, 3)
  check.equal(n.action_areas["PS.DRR"].n_total, 4)
  -- PS.CBS: contextual ignored, N/A dropped -> 1 applicable, 1 scored: 50 (min_count capped at 1)
  check.near(n.action_areas["PS.CBS"].score, 50)
  check.equal(n.action_areas["PS.CBS"].n_total, 1)
  check.equal(n.action_areas["PS.CBS"].n_not_applicable, 1)
  -- EC.FIN: 1 of 4 -> withheld
  check.is_nil(n.action_areas["EC.FIN"].score)
  check.equal(n.action_areas["EC.FIN"].n_scored, 1)
  check.equal(n.action_areas["EC.FIN"].note, "1 of 4 indicators have data; at least half are needed")
  -- pillars: PS (60 + 50)/2 = 55; EC only EC.JOB: (70 + 90)/2 = 80
  check.near(n.pillars.PS.score, 55)
  check.near(n.pillars.EC.score, 80)
  check.equal(n.pillars.EC.n_scored, 1)
  check.equal(n.pillars.EC.n_total, 2)
  -- core: 9 applicable (PS.CBS.3 is N/A, PS.CBS.2 contextual), 3 without a score (PS.DRR.3, EC.FIN.2,
  -- EC.FIN.3) = 33.3% > 20% -> no overall score
  check.is_nil(n.overall.score)
  check.equal(n.overall.n_core_total, 9)
  check.equal(n.overall.n_core_missing, 3)
  check.equal(n.overall.note,
    "3 of 9 applicable core indicators have no score (33.3%); at most 20% may be missing")
  check.is_nil(next(n.effective_weights))
end

function T.effective_weights()
  -- allowing 40% missing: overall (55 + 80)/2 = 67.5
  local n = aggregate.nested(fw, res, { max_missing_core = 0.4 })
  check.near(n.overall.score, 67.5)
  -- effective weights: PS 1/2 × PS.DRR 1/2 × 1/3 = 1/12 for each DRR indicator; PS.CBS.1 1/2 × 1/2 = 1/4;
  -- EC 1/2 × EC.JOB 1 (the only scored area) × 1/2 = 1/4 for each JOB indicator; they add up to 1
  check.near(n.effective_weights["PS.DRR.1"], 1 / 12)
  check.near(n.effective_weights["PS.DRR.4"], 1 / 12)
  check.near(n.effective_weights["PS.CBS.1"], 1 / 4)
  check.near(n.effective_weights["EC.JOB.2"], 1 / 4)
  check.is_nil(n.effective_weights["EC.FIN.1"])   -- its area has no score
  local total = 0
  for _, w in pairs(n.effective_weights) do
    total = total + w
  end
  check.near(total, 1)
end

function T.geometric_pillars_and_overall()
  -- geometric at pillar and overall level (action areas stay arithmetic):
  -- PS = sqrt(60 × 50) = 54.772256; EC = 80; overall = sqrt(54.772256 × 80) = 66.195018
  local n = aggregate.nested(fw, res, { method = "geometric", max_missing_core = 0.4 })
  check.near(n.action_areas["PS.DRR"].score, 60)
  check.near(n.pillars.PS.score, math.sqrt(3000))
  check.near(n.pillars.PS.score, 54.772256, 1e-6)
  check.near(n.overall.score, math.sqrt(math.sqrt(3000) * 80))
  check.near(n.overall.score, 66.195018, 1e-6)
end

function T.weights()
  -- weights: PS.DRR counts twice in PS: (2 × 60 + 50)/3 = 56.667; PS.DRR.1 counts twice in PS.DRR:
  -- (2 × 80 + 60 + 40)/4 = 65
  local n = aggregate.nested(fw, res, { max_missing_core = 0.4, weights = { ["PS.DRR"] = 2 } })
  check.near(n.pillars.PS.score, 170 / 3)
  check.near(n.effective_weights["PS.DRR.1"], 1 / 2 * 2 / 3 * 1 / 3)
  n = aggregate.nested(fw, res, { max_missing_core = 0.4, weights = { ["PS.DRR.1"] = 2 } })
  check.near(n.action_areas["PS.DRR"].score, 65)
  check.fails("weight of 'PS.DRR.1' must be a number", aggregate.nested, fw, res,
    { weights = { ["PS.DRR.1"] = -1 } })
end

function T.core_only()
  -- core only: PS.DRR.4 (optional) leaves: (80 + 60)/2 = 70, 2 of 3
  local n = aggregate.nested(fw, res, { core_only = true, max_missing_core = 0.4 })
  check.near(n.action_areas["PS.DRR"].score, 70)
  check.equal(n.action_areas["PS.DRR"].n_total, 3)
end

function T.fewer_than_two_withheld()
  -- fewer than 2: an area with 2 applicable indicators and 1 score is withheld
  local n = aggregate.nested({ pillars = { { id = "X", action_areas = {
    { id = "X.A", indicators = { "X.A.1", "X.A.2" } } } } } },
    { ["X.A.1"] = { score = 10 }, ["X.A.2"] = {} })
  check.is_nil(n.action_areas["X.A"].score)
  check.equal(n.action_areas["X.A"].note, "1 of 2 indicators have data; at least 2 are needed")
  check.equal(n.pillars.X.note, "no action area with a score")
  check.equal(n.overall.note, "no pillar with a score")
end

function T.all_not_applicable_left_out()
  -- an area whose indicators are all N/A is left out of its pillar
  local n = aggregate.nested({ pillars = { { id = "X", action_areas = {
    { id = "X.A", indicators = { "X.A.1" } }, { id = "X.B", indicators = { "X.B.1" } } } } } },
    { ["X.A.1"] = { score = 10, core = true }, ["X.B.1"] = { not_applicable = true, core = true } })
  check.equal(n.action_areas["X.B"].note, "all its indicators are not applicable")
  check.near(n.pillars.X.score, 10)
  check.equal(n.pillars.X.n_total, 1)
  check.near(n.overall.score, 10)
end

function T.one_area_does_not_move_another()
  -- property: an indicator of one action area does not move another action area's score
  for _, method in ipairs({ "arithmetic", "geometric" }) do
    local before = aggregate.nested(fw, res, { method = method })
    local changed = {}
    for id, r in pairs(res) do
      changed[id] = r
    end
    changed["EC.FIN.1"] = { score = 99, core = true }
    changed["EC.JOB.1"] = { score = 1, core = true }
    local after = aggregate.nested(fw, changed, { method = method })
    check.equal(after.action_areas["PS.DRR"].score, before.action_areas["PS.DRR"].score)
    check.equal(after.action_areas["PS.CBS"].score, before.action_areas["PS.CBS"].score)
    check.equal(after.pillars.PS.score, before.pillars.PS.score)
  end
end

function T.scores_within_0_100()
  -- property: scores stay within 0-100 whatever the method and weights
  for _, method in ipairs({ "arithmetic", "geometric" }) do
    local x = aggregate.nested(fw, res, { method = method, max_missing_core = 1,
      weights = { PS = 3, ["EC.JOB.2"] = 0.5 } })
    for _, groups in ipairs({ x.action_areas, x.pillars, { x.overall } }) do
      for _, group in pairs(groups) do
        if group.score then
          assert(group.score >= 0 and group.score <= 100, "score out of range")
        end
      end
    end
  end
end

function T.provisional_where_the_rules_withhold()
  -- official (T.thresholds_and_core_missing): PS.DRR 60, PS.CBS 50, EC.JOB 80, EC.FIN withheld
  -- (1 of 4), PS 55, EC 80, no overall (3 of 9 core missing)
  local opts = {}
  local n = aggregate.nested(fw, res, opts)
  aggregate.provisional(fw, res, opts, n)
  -- EC.FIN: the one scored indicator, EC.FIN.1 30; 1 of its 3 core indicators
  check.near(n.action_areas["EC.FIN"].provisional, 30)
  check.is_nil(n.action_areas["EC.FIN"].score)
  check.equal(n.action_areas["EC.FIN"].n_core_scored, 1)
  check.equal(n.action_areas["EC.FIN"].n_core_total, 3)
  -- groups with an official score get no provisional one
  check.is_nil(n.action_areas["PS.DRR"].provisional)
  check.is_nil(n.pillars.EC.provisional)
  check.equal(n.pillars.EC.n_core_scored, 3)  -- EC.JOB.1, EC.JOB.2, EC.FIN.1
  check.equal(n.pillars.EC.n_core_total, 5)
  -- overall from the pillars' official scores as shown: (55 + 80)/2 = 67.5; 6 of 9 core scored
  check.near(n.overall.provisional, 67.5)
  check.equal(n.overall.n_core_scored, 6)
  check.equal(n.overall.n_core_total, 9)
end

function T.provisional_pillar_from_provisional_areas()
  -- without EC.JOB.2's score EC.JOB has 1 of 2 (2 needed) and EC has no official score:
  -- EC.JOB provisional 70, EC.FIN 30; EC (70 + 30)/2 = 50; overall (55 + 50)/2 = 52.5
  local r = {}
  for id, x in pairs(res) do
    r[id] = x
  end
  r["EC.JOB.2"] = { core = true }
  local n = aggregate.provisional(fw, r, {}, aggregate.nested(fw, r, {}))
  check.is_nil(n.pillars.EC.score)
  check.near(n.action_areas["EC.JOB"].provisional, 70)
  check.near(n.pillars.EC.provisional, 50)
  check.near(n.overall.provisional, 52.5)
  -- with EC.FIN weighted 3: EC (70 + 3 × 30)/4 = 40; overall (55 + 40)/2 = 47.5
  local opts = { weights = { ["EC.FIN"] = 3 } }
  n = aggregate.provisional(fw, r, opts, aggregate.nested(fw, r, opts))
  check.near(n.pillars.EC.provisional, 40)
  check.near(n.overall.provisional, 47.5)
end

function T.no_provisional_without_any_score()
  -- nothing scored anywhere: no official and no provisional score
  local empty = {}
  for id, x in pairs(res) do
    empty[id] = { core = x.core, contextual = x.contextual, not_applicable = x.not_applicable }
  end
  local n = aggregate.provisional(fw, empty, {}, aggregate.nested(fw, empty, {}))
  check.is_nil(n.overall.provisional)
  check.is_nil(n.pillars.PS.provisional)
  check.is_nil(n.action_areas["PS.DRR"].provisional)
  check.equal(n.overall.n_core_scored, 0)
end

function T.nested_area_method_geometric()
  -- area_method = "geometric": within the action area too, sqrt(25 x 100) = 50 instead of
  -- (25 + 100) / 2 = 62.5; a 0 is floored at 1: sqrt(1 x 100) = 10
  local fw = { pillars = { { id = "P", action_areas = { { id = "A", indicators = { "x", "y" } } } } } }
  local rules = { min_share = 0, min_count = 1, max_missing_core = 1 }
  local res = { x = { score = 25 }, y = { score = 100 } }
  check.near(aggregate.nested(fw, res, rules).action_areas.A.score, 62.5)
  rules.area_method = "geometric"
  check.near(aggregate.nested(fw, res, rules).action_areas.A.score, 50)
  res.x.score = 0
  check.near(aggregate.nested(fw, res, rules).action_areas.A.score, 10)
  rules.area_method = "harmonic"
  check.fails("area_method must be 'arithmetic' or 'geometric'", function()
    aggregate.nested(fw, res, rules)
  end)
end

return T
