-- Worked examples for methods/alignment.lua (starter framework B.0: readiness = mean level × 25).
local check = require("helpers.check")
local alignment = require("methods.alignment")


local framework = {
  pillars = {
    { id = "PS", action_areas = {
      { id = "PS.DRR", questions = { "PS.DRR.Q1", "PS.DRR.Q2", "PS.DRR.Q3" } },
      { id = "PS.SRL", questions = { "PS.SRL.Q1", "PS.SRL.Q2", "PS.SRL.Q3" } },
    } },
    { id = "EC", action_areas = {
      { id = "EC.JOB", questions = { "EC.JOB.Q1", "EC.JOB.Q2", "EC.JOB.Q3" } },
    } },
  },
}

local T = {}

function T.action_area_readiness()
  -- Demo capital metro (illustrative), PS.DRR answers 4, 4, 3: (4 + 4 + 3)/3 × 25 = 91.667
  check.near(alignment.action_area({ 4, 4, 3 }), 275 / 3)
  -- PS.SRL answers 3, 3, 2: 8/3 × 25 = 66.667
  check.near(alignment.action_area({ 3, 3, 2 }), 200 / 3)
  -- bounds: all 0 -> 0, all 4 -> 100
  check.equal(alignment.action_area({ 0, 0, 0 }), 0)
  check.equal(alignment.action_area({ 4, 4, 4 }), 100)
  -- unanswered questions (false, or a table without level) are left out: (2 + 1)/2 × 25 = 37.5
  check.near(alignment.action_area({ 2, false, { level = 1 }, { question = "PS.GOV.Q3" } }), 37.5)
  local s, why = alignment.action_area({})
  check.is_nil(s)
  check.equal(why, "no question answered")
  s, why = alignment.action_area({ 2, 5 })
  check.is_nil(s)
  check.equal(why, "answer level 5 is not a whole number from 0 to 4")
end

function T.evidence_rule()
  -- the evidence rule: 3 and 4 need evidence, otherwise capped at 2
  check.equal(alignment.effective_level(4, true), 4)
  local level, note = alignment.effective_level(4, false)
  check.equal(level, 2)
  check.equal(note, "capped at 2: levels 3 and 4 need evidence")
  check.equal(alignment.effective_level(1, false), 1)
  check.is_nil(alignment.effective_level(2.5, true))
end

function T.nested_means()
  -- nested: action areas, pillars (mean of areas) and overall (mean of pillars)
  local out = alignment.nested(framework, {
    ["PS.DRR"] = { 4, 4, 3 },
    ["PS.SRL"] = { 3, 3, 2 },
    ["EC.JOB"] = { 1, 2 },          -- one question not answered
  })
  check.near(out.action_areas["PS.DRR"].score, 275 / 3)
  check.equal(out.action_areas["PS.DRR"].n_answered, 3)
  check.equal(out.action_areas["PS.DRR"].n_questions, 3)
  -- EC.JOB: (1 + 2)/2 × 25 = 37.5, 2 of 3 answered
  check.near(out.action_areas["EC.JOB"].score, 37.5)
  check.equal(out.action_areas["EC.JOB"].n_answered, 2)
  check.equal(out.action_areas["EC.JOB"].n_questions, 3)
  -- PS: (91.667 + 66.667)/2 = 79.167
  check.near(out.pillars.PS.score, (275 / 3 + 200 / 3) / 2)
  check.equal(out.pillars.PS.n_answered, 6)
  check.equal(out.pillars.PS.n_questions, 6)
  -- overall: (79.167 + 37.5)/2 = 58.333
  check.near(out.overall.score, ((275 / 3 + 200 / 3) / 2 + 37.5) / 2)
  check.equal(out.overall.n_answered, 8)
  check.equal(out.overall.n_questions, 9)
end

function T.area_without_answers()
  -- an area without answers has no score and does not count as 0
  local out = alignment.nested(framework, { ["PS.DRR"] = { 2, 2, 2 } })
  check.is_nil(out.action_areas["PS.SRL"].score)
  check.equal(out.action_areas["PS.SRL"].note, "no question answered")
  check.equal(out.action_areas["PS.SRL"].n_questions, 3)
  check.near(out.pillars.PS.score, 50)
  check.equal(out.pillars.EC.note, "no action area with answers")
  check.near(out.overall.score, 50)
end

function T.dimension_profile()
  -- dimension profile: mean level × 25 per dimension
  local profile = alignment.dimensions({
    { question = "PS.DRR.Q1", dimensions = { "POL" }, level = 4 },
    { question = "PS.DRR.Q2", dimensions = { "BUD", "CAP" }, level = 1 },
    { question = "PS.DRR.Q3", dimensions = { "DAT", "PAR" }, level = 3 },
    { question = "PS.SRL.Q2", dimensions = { "CAP", "BUD" }, level = 2 },
  })
  check.near(profile.POL.score, 100)
  check.near(profile.BUD.score, 37.5)   -- (1 + 2)/2 × 25
  check.equal(profile.BUD.n, 2)
  check.equal(profile.BUD.lowest, 1)
  check.near(profile.DAT.score, 75)
  check.is_nil(profile.XYZ)
end

return T
