-- Worked examples for methods/normalise.lua (goalposts min-max, docs/methodology.md).
local check = require("helpers.check")
local normalise = require("methods.normalise")

local T = {}

function T.minmax_worked_examples()
  -- higher is better: PS.DRR.5 early-warning coverage, bounds 0..100
  check.near(normalise.minmax(90, 0, 100), 90)
  -- lower is better: worst 5 > best 0 (PS.DRR.1 disaster deaths per 100,000): 100*(0.1-5)/(0-5) = 98
  check.near(normalise.minmax(0.1, 5, 0), 98)
  -- PS.SRL.1 homicides, worst 10 best 0.5: 100*(2.3-10)/(0.5-10) = 81.0526...
  check.near(normalise.minmax(2.3, 10, 0.5), 100 * 7.7 / 9.5)
  -- clamping at both ends
  check.equal(normalise.minmax(9, 0, 6), 100)
  check.equal(normalise.minmax(-3, 0, 6), 0)
  check.equal(normalise.minmax(0, 10, 0.5), 100)
  check.equal(normalise.minmax(12, 10, 0.5), 0)
  -- the bounds themselves
  check.equal(normalise.minmax(5, 5, 0), 0)
  check.equal(normalise.minmax(0, 5, 0), 100)
end

function T.minmax_is_monotone()
  -- monotone in the right direction
  local previous = -1
  for x = 0, 100, 5 do
    local s = normalise.minmax(x, 0, 100)
    assert(s >= previous, "not monotone at " .. x)
    previous = s
  end
  previous = 101
  for x = 0, 10, 0.5 do
    local s = normalise.minmax(x, 10, 0.5)
    assert(s <= previous, "not monotone (lower is better) at " .. x)
    previous = s
  end
end

function T.minmax_without_a_score()
  -- no score, with a reason
  local s, why = normalise.minmax(5, 3, 3)
  check.is_nil(s)
  check.equal(why, "worst and best bounds are equal")
  s, why = normalise.minmax(5, nil, 3)
  check.is_nil(s)
  check.equal(why, "no normalisation bounds")
  s, why = normalise.minmax(0 / 0, 0, 3)
  check.is_nil(s)
  check.equal(why, "no numeric value")
end

-- distance to target (COINr n_dist2targ, cap_max = TRUE, fixed worst value) -----------------------
function T.distance_to_target()
  -- higher is better: worst 0, 2030 target 80; value 60: 100*(60-0)/(80-0) = 75
  check.near(normalise.distance_to_target(60, 0, 80), 75)
  -- lower is better: worst 5 > target 0.5 (homicides); value 2.3: 100*(2.3-5)/(0.5-5) = 100*2.7/4.5 = 60
  check.near(normalise.distance_to_target(2.3, 5, 0.5), 60)
  -- past the target: capped at 100; beyond the worst value: floored at 0
  check.equal(normalise.distance_to_target(95, 0, 80), 100)
  check.equal(normalise.distance_to_target(0.2, 5, 0.5), 100)
  check.equal(normalise.distance_to_target(-1, 0, 80), 0)
  check.equal(normalise.distance_to_target(7, 5, 0.5), 0)
  -- same number as minmax with best = target
  check.near(normalise.distance_to_target(2.3, 5, 0.5), normalise.minmax(2.3, 5, 0.5))
  local s, why = normalise.distance_to_target(3, 4, 4)
  check.is_nil(s)
  check.equal(why, "worst value and target are equal")
  s, why = normalise.distance_to_target(3, 4, nil)
  check.is_nil(s)
  check.equal(why, "no worst value or no target")
  s, why = normalise.distance_to_target(nil, 0, 4)
  check.is_nil(s)
  check.equal(why, "no numeric value")
end

function T.distance_to_target_is_monotone()
  -- monotone: increasing when worst < target, decreasing when worst > target, always within 0-100
  local previous = -1
  for x = -10, 100, 2.5 do
    local d = normalise.distance_to_target(x, 0, 80)
    assert(d >= previous and d >= 0 and d <= 100, "distance_to_target not monotone at " .. x)
    previous = d
  end
  previous = 101
  for x = 0, 8, 0.25 do
    local d = normalise.distance_to_target(x, 5, 0.5)
    assert(d <= previous and d >= 0 and d <= 100, "distance_to_target (lower) not monotone at " .. x)
    previous = d
  end
end

-- z-score (sample standard deviation, as COINr n_zscore / R's sd) ---------------------------------
function T.zscore()
  -- values 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32;
  -- sample sd = sqrt(32/7) = 2.138090; z(9) = (9-5)/2.138090 = 1.870829
  local group = { 2, 4, 4, 4, 5, 5, 7, 9 }
  check.near(normalise.zscore(9, group), 4 / math.sqrt(32 / 7))
  check.near(normalise.zscore(9, group), 1.870829, 1e-6)
  check.near(normalise.zscore(5, group), 0)
  -- lower is better: the sign flips, so higher z is still better
  check.near(normalise.zscore(9, group, "lower"), -1.870829, 1e-6)
  -- x need not be in the group: z(6) against {4, 8}: mean 6 -> 0; z(10) = (10-6)/sqrt(8) = 1.414214
  check.near(normalise.zscore(10, { 4, 8 }), 4 / math.sqrt(8))
  local s, why = normalise.zscore(3, { 3 })
  check.is_nil(s)
  check.equal(why, "a z-score needs at least 2 values to compare with")
  s, why = normalise.zscore(3, { 3, 3, 3 })
  check.is_nil(s)
  check.equal(why, "all values are equal")
  check.fails("direction must be", normalise.zscore, 1, { 1, 2 }, "sideways")
end

-- percentile rank (COINr n_prank: (min rank - 1)/(n - 1), x 100; best = 100) -----------------------
function T.percentile_rank()
  -- five cities, higher is better: 10, 20, 30, 40, 50 -> 30 has rank 3: (3-1)/(5-1) = 50
  local cities = { 10, 20, 30, 40, 50 }
  check.near(normalise.percentile_rank(30, cities), 50)
  check.near(normalise.percentile_rank(50, cities), 100)
  check.near(normalise.percentile_rank(10, cities), 0)
  -- lower is better: 20 is the second best of five -> 3 worse values: 3/4 = 75
  check.near(normalise.percentile_rank(20, cities, "lower"), 75)
  -- ties share the lowest rank: {1, 2, 2, 3}: 2 has min rank 2 -> (2-1)/(4-1) = 33.33
  check.near(normalise.percentile_rank(2, { 1, 2, 2, 3 }), 100 / 3)
  -- x not in the group is added: 25 among {10, 20, 30} -> {10, 20, 30, 25}: 2 worse, 2/3 = 66.67
  check.near(normalise.percentile_rank(25, { 10, 20, 30 }), 200 / 3)
  local s, why = normalise.percentile_rank(5, { 5 })
  check.is_nil(s)
  check.equal(why, "a percentile rank needs at least 2 values")
  -- always within 0-100
  for _, v in ipairs(cities) do
    local r = normalise.percentile_rank(v, cities, "lower")
    assert(r >= 0 and r <= 100)
  end
end

return T
