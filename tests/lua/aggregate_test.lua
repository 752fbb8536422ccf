-- Worked examples for methods/aggregate.lua (nested equal weights).
local check = require("helpers.check")
local aggregate = require("methods.aggregate")

check.equal(aggregate.mean({}), nil)
check.near(aggregate.mean({ 90, 98 }), 94)

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
