-- Worked examples for methods/normalise.lua (goalposts min-max, docs/methodology.md).
local check = require("helpers.check")
local normalise = require("methods.normalise")

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
