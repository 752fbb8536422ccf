-- Worked examples for methods/priorities.lua (the default priority formula; see its header).
local check = require("helpers.check")
local priorities = require("methods.priorities")


local drr = {
  id = "PS.DRR", name = "Disaster resilience", pillar = "PS", score = 40, alignment = 25,
  indicators = {
    { id = "PS.DRR.1", core = true, score = 30, target_gap = 0.8, class = "regressing" },
    { id = "PS.DRR.2", core = true, score = 50, target_gap = 0.6, class = "progressing_slowly" },
    { id = "PS.DRR.3", core = true, score = 70, class = "on_track" },
    { id = "PS.DRR.5", core = true, score = 10, target_gap = 0.4, class = "deterioration" },
    { id = "PS.DRR.6", core = false, score = 0, target_gap = 1, class = "regressing" },  -- optional
  },
  answers = {
    { question = "PS.DRR.Q1", dimensions = { "POL" }, level = 2 },
    { question = "PS.DRR.Q2", dimensions = { "BUD", "CAP" }, level = 1 },
    { question = "PS.DRR.Q3", dimensions = { "DAT", "PAR" }, level = 0 },
  },
}
local job = {
  id = "EC.JOB", name = "Decent jobs", pillar = "EC", score = 80,
  indicators = {
    { id = "EC.JOB.1", core = true, score = 80, class = "on_track" },
    { id = "EC.JOB.4", core = true, class = "insufficient_data" },
  },
  answers = { { question = "EC.JOB.Q1", dimensions = { "POL" }, level = 3 },
              { question = "EC.JOB.Q2", level = 3 }, { question = "EC.JOB.Q3", level = 2 } },
}
local cul = { id = "SC.CUL", name = "Culture and heritage", pillar = "SC" }   -- nothing known
local dig = { id = "CN.DIG", pillar = "CN", score = 60, alignment = 50, weight = 1.5 }

local T = {}

function T.ranks_by_the_default_formula()
  local ranked = priorities.rank({ job, cul, drr })
  -- PS.DRR: performance 100 − 40 = 60
  --   progress: core classes red 1, yellow 0.5, green 0, red 1 -> 2.5/4 = 0.625 -> 62.5
  --   target: core gaps 0.8, 0.6, 0.4 -> mean 0.6 -> 60
  --   readiness: 100 − 25 = 75
  --   base = 0.4 × 60 + 0.3 × 62.5 + 0.1 × 60 + 0.2 × 75 = 24 + 18.75 + 6 + 15 = 63.75
  check.equal(ranked[1].id, "PS.DRR")
  check.equal(ranked[1].rank, 1)
  check.near(ranked[1].priority, 63.75)
  check.near(ranked[1].components.progress, 62.5)
  check.near(ranked[1].components.target, 60)
  local reasons = ranked[1].reasons
  check.equal(reasons[1], "performance score 40 of 100")
  check.equal(reasons[2], "3 of 4 core indicators off track")
  check.equal(reasons[3], "2 of 4 core indicators going the wrong way")
  check.equal(reasons[4], "on average 60% of the distance to the targets still to go (3 core indicators)")
  check.equal(reasons[5], "self-assessment readiness 25 of 100")
  check.equal(reasons[6], "data and monitoring at level 0 (PS.DRR.Q3)")
  check.equal(reasons[7], "partnerships at level 0 (PS.DRR.Q3)")
  check.equal(reasons[8], "budget alignment at level 1 (PS.DRR.Q2)")
  check.equal(reasons[9], "institutional capacity at level 1 (PS.DRR.Q2)")
  check.equal(#reasons, 9)
  -- EC.JOB: performance 20; progress: 1 known class, on track -> 0 (insufficient data left out);
  --   no target gaps; readiness from the answers: (3 + 3 + 2)/3 × 25 = 66.667 -> 33.333
  --   base = (0.4 × 20 + 0.3 × 0 + 0.2 × 33.333)/(0.4 + 0.3 + 0.2) = 14.6667/0.9 = 16.2963
  check.equal(ranked[2].id, "EC.JOB")
  check.near(ranked[2].priority, (8 + 0.2 * 100 / 3) / 0.9)
  check.near(ranked[2].priority, 16.296296, 1e-6)
  check.equal(ranked[2].reasons[1], "performance score 80 of 100")
  check.equal(ranked[2].reasons[2], "the 1 core indicator with a trend on track")
  check.equal(ranked[2].reasons[3], "self-assessment readiness 67 of 100")
  -- SC.CUL: nothing to go on -> no priority, last
  check.equal(ranked[3].id, "SC.CUL")
  check.is_nil(ranked[3].priority)
  check.equal(ranked[3].reasons[1], "no score, progress class or self-assessment to set a priority")
end

function T.city_weight()
  -- a city weight: CN.DIG × 1.5, score 60, readiness 50: base = (0.4 × 40 + 0.2 × 50)/0.6 = 43.333;
  -- priorities are base × weight / 1.5 (the largest weight): CN.DIG 43.333, PS.DRR 63.75/1.5 = 42.5,
  -- EC.JOB 16.2963/1.5 = 10.8642
  local ranked = priorities.rank({ drr, job, dig })
  check.equal(ranked[1].id, "CN.DIG")
  check.near(ranked[1].priority, 26 / 0.6)
  check.equal(ranked[1].reasons[#ranked[1].reasons], "weight 1.5 set by the city")
  check.equal(ranked[2].id, "PS.DRR")
  check.near(ranked[2].priority, 42.5)
  check.near(ranked[3].priority, 16.296296 / 1.5, 1e-6)
  check.equal(ranked[1].reasons[1], "performance score 60 of 100")
  check.equal(ranked[1].reasons[2], "self-assessment readiness 50 of 100")
  check.equal(#ranked[1].reasons, 3)
end

function T.own_coefficients()
  -- a city's own coefficients: readiness left out -> PS.DRR (24 + 18.75 + 6)/0.8 = 60.9375
  local ranked = priorities.rank({ drr }, { coefficients = { readiness = 0 } })
  check.near(ranked[1].priority, 60.9375)
end

function T.ties_broken_by_id()
  -- ties are broken by id, whatever the input order
  local a = { id = "B.TWO", score = 50 }
  local b = { id = "A.ONE", score = 50 }
  local ranked = priorities.rank({ a, b })
  check.equal(ranked[1].id, "A.ONE")
  check.equal(ranked[2].id, "B.TWO")
  check.near(ranked[1].priority, ranked[2].priority)
  check.equal(ranked[1].reasons[2], "no self-assessment answers")
end

function T.deterministic()
  -- deterministic: the same input gives the same order and reasons
  local r1 = priorities.rank({ job, cul, drr })
  local r2 = priorities.rank({ drr, cul, job })
  for i = 1, #r1 do
    check.equal(r1[i].id, r2[i].id)
    check.equal(#r1[i].reasons, #r2[i].reasons)
    for j = 1, #r1[i].reasons do
      check.equal(r1[i].reasons[j], r2[i].reasons[j])
    end
  end
end

function T.within_0_100()
  -- priorities stay within 0-100
  for _, area in ipairs(priorities.rank({ drr, job, dig,
    { id = "X.WORST", score = 0, alignment = 0, weight = 2,
      indicators = { { core = true, class = "reverse", target_gap = 3 } } },
    { id = "X.BEST", score = 100, alignment = 100,
      indicators = { { core = true, class = "target_achieved", target_gap = -1 } } } })) do
    assert(area.priority >= 0 and area.priority <= 100, area.id .. " out of range")
  end
end

function T.bad_input_fails()
  check.fails("area 1 has no id", priorities.rank, { { score = 1 } })
  check.fails("unknown progress class", priorities.rank,
    { { id = "X", indicators = { { core = true, class = "sideways" } } } })
end

function T.no_data_is_not_ranked()
  -- X.NONE has two indicators and no data for either; its readiness 0 alone would give it
  -- priority 100 − 0 = 100 and the first rank. It is listed after the ranked areas instead,
  -- without priority or rank. X.SOME: performance 100 − 90 = 10 only -> priority 10, rank 1
  local ranked = priorities.rank({
    { id = "X.NONE", alignment = 0, indicators = { { id = "X.NONE.1", core = true },
                                                   { id = "X.NONE.2", core = true } } },
    { id = "X.SOME", score = 90, indicators = { { id = "X.SOME.1", core = true, score = 90 } } },
    cul,
  })
  check.equal(ranked[1].id, "X.SOME")
  check.near(ranked[1].priority, 10)
  check.equal(ranked[1].rank, 1)
  -- SC.CUL gives no indicators at all: ranked as before, last of the ranked, without a priority
  check.equal(ranked[2].id, "SC.CUL")
  check.equal(ranked[2].rank, 2)
  check.equal(ranked[3].id, "X.NONE")
  check.equal(ranked[3].no_data, true)
  check.is_nil(ranked[3].priority)
  check.is_nil(ranked[3].rank)
  check.equal(ranked[3].reasons[1], "none of its 2 indicators has data yet")
  check.equal(ranked[3].reasons[2],
    "self-assessment readiness 0 of 100 (not ranked on the self-assessment alone)")
end

return T
