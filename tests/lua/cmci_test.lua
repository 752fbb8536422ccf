-- acvluatest: --root indicators/frameworks/cmci
-- The CMCI framework's scripts (indicators/frameworks/cmci/scripts): the rounding bound, the
-- checks of published figures and the Overall Score, on figures of the published files
-- (tests/data/cmci-region1) worked by hand.
local check = require("helpers.check")
local index = require("cmci.index")
local scoring = require("scoring")

local T = {}

function T.rounding_bound_is_a_half_unit_per_rounded_figure()
  -- 4 pillars and the total, each off by at most 0.00005: 5 x 0.00005 = 0.00025
  check.near(index.rounding_bound(4, 4), 0.00025, 1e-15)
  -- 10 indicator scores and the pillar: 11 x 0.00005 = 0.00055
  check.near(index.rounding_bound(10, 4), 0.00055, 1e-15)
end

function T.a_score_is_never_carried_forward()
  local series = { { year = 2017, value = 1.2412 } }
  check.equal(index.value_in(series, 2017), 1.2412)
  check.is_nil(index.value_in(series, 2018))
  check.is_nil(index.value_in(nil, 2018))
end

function T.pillar_below_its_indicator_scores_is_flagged()
  -- Agoo 2018, Economic Dynamism: published 0.0000; its 10 indicator scores
  -- 0.1059 + 0.0104 + 0.8184 + 0.3243 + 0.3018 + 1.8981 + 2.1508 + 0.2172 + 0.0053 + 0.1662
  -- = 5.9984, far more than the 0.00055 rounding allows
  local parts = { 0.1059, 0.0104, 0.8184, 0.3243, 0.3018, 1.8981, 2.1508, 0.2172, 0.0053, 0.1662 }
  check.equal(index.check_pillar("Economic Dynamism", 0, parts, 4),
    "published Economic Dynamism 0.0000 is below the sum of its 10 indicator scores, 5.9984")
end

function T.pillar_within_rounding_of_its_indicator_scores_holds()
  -- Vigan 2014, Economic Dynamism: published 6.9543; its 8 published indicator scores
  -- 0.1198 + 1.2001 + 0.0889 + 2.9487 + 1.7690 + 0.1601 + 0.0790 + 0.5888 = 6.9544: 0.0001 above
  -- the pillar, within the 9 x 0.00005 = 0.00045 rounding allows
  local parts = { 0.1198, 1.2001, 0.0889, 2.9487, 1.7690, 0.1601, 0.0790, 0.5888 }
  check.is_nil(index.check_pillar("Economic Dynamism", 6.9543, parts, 4))
  -- above the sum is fine: the export lacks some indicators (Government Efficiency)
  check.is_nil(index.check_pillar("Government Efficiency", 18.8828, { 3.3333, 3.3333 }, 4))
end

function T.pillar_check_at_the_rounding_bound()
  -- parts 1.0001 + 2.0001 = 3.0002; 2 parts and the pillar allow 3 x 0.00005 = 0.00015
  check.is_nil(index.check_pillar("P", 3.0001, { 1.0001, 2.0001 }, 4)) -- 0.0001 below
  check.equal(index.check_pillar("P", 3.0000, { 1.0001, 2.0001 }, 4), -- 0.0002 below
    "published P 3.0000 is below the sum of its 2 indicator scores, 3.0002")
  check.equal(index.check_pillar("P", 100.5, {}, 4), "published P 100.5000 is outside 0-100")
end

local function pillars(scores)
  local names = { "Economic Dynamism", "Government Efficiency", "Infrastructure", "Resiliency" }
  local list = {}
  for i, s in ipairs(scores) do
    list[i] = { name = names[i], score = s, in_index = true }
  end
  return list
end

function T.overall_equal_to_the_published_one()
  -- San Fernando (LU) 2014: 10.9767 + 18.0151 + 8.9995 = 37.9913, as published
  local g = index.overall(pillars({ 10.9767, 18.0151, 8.9995 }), 37.9913, 30, 4)
  check.near(g.score, 37.9913, 1e-9)
  check.equal(g.n_scored, 3)
  check.equal(g.n_total, 3)
  check.equal(g.note, "sum of 3 published pillar scores = published Overall Score 37.9913")
end

function T.overall_within_rounding_of_the_published_one()
  -- Agoo 2017: 6.5749 + 11.4780 + 7.5467 + 16.3728 = 41.9724; published 41.9723 (the portal
  -- rounds the sum of unrounded pillars): 0.0001 apart, within 5 x 0.00005 = 0.00025
  local g = index.overall(pillars({ 6.5749, 11.4780, 7.5467, 16.3728 }), 41.9723, 40, 4)
  check.near(g.score, 41.9724, 1e-9)
  check.equal(g.note,
    "sum of 4 published pillar scores 41.9724; published Overall Score 41.9723 (within rounding)")
end

function T.overall_that_is_not_the_sum_is_flagged()
  -- the same pillars against a published 41.9730: 0.0006 apart, beyond 0.00025
  local g = index.overall(pillars({ 6.5749, 11.4780, 7.5467, 16.3728 }), 41.9730, 40, 4)
  check.is_nil(g.score)
  check.equal(g.note, "data-quality flag, not ranked: published Overall Score 41.9730 is not the "
    .. "sum of its 4 pillar scores, 41.9724")
end

function T.overall_without_a_pillar_of_the_index()
  local list = pillars({ 6.5749, 11.4780, 7.5467, 16.3728 })
  list[4].score = nil
  local g = index.overall(list, 41.9723, 40, 4)
  check.is_nil(g.score)
  check.equal(g.n_scored, 3)
  check.equal(g.n_total, 4)
  check.equal(g.note, "not computed: no published Resiliency")
end

function T.overall_without_a_published_one()
  -- 10.9767 + 18.0151 + 8.9995 = 37.9913, nothing to compare with
  local g = index.overall(pillars({ 10.9767, 18.0151, 8.9995 }), nil, 30, 4)
  check.near(g.score, 37.9913, 1e-9)
  check.equal(g.note, "sum of 3 published pillar scores; no published Overall Score")
end

-- The scoring input of one area and year (docs/scripting.md) from published figures.
local FRAMEWORK = {
  pillars = {
    { id = "ED", name = "Economic Dynamism",
      action_areas = { { id = "ED.IND", indicators = { "ED.IND.1", "ED.IND.2" } } } },
    { id = "GE", name = "Government Efficiency", action_areas = {} },
    { id = "INF", name = "Infrastructure", action_areas = {} },
    { id = "RES", name = "Resiliency", action_areas = {} },
    { id = "INN", name = "Innovation", action_areas = {} },
  },
}

local function input(year, published, indicators)
  local data_elements = {}
  for code, v in pairs(published) do
    data_elements["DE.CMCI." .. code] = { { period = tostring(year), year = year, value = v } }
  end
  local inds = {}
  for id, v in pairs(indicators) do
    inds[id] = { id = id, pillar = "ED", series = { { period = tostring(year), year = year, value = v } } }
  end
  return { year = year, framework = FRAMEWORK, indicators = inds, data_elements = data_elements }
end

function T.agoo_2018_is_flagged_not_ranked()
  -- Agoo 2018 as published: Overall 0.0000, pillars 0.0000, while Economic Dynamism's indicator
  -- scores are above 0 (two of them here: 1.8981 + 2.1508 = 4.0489)
  local r = scoring.area(input(2018, { OVERALL = 0, ED = 0, GE = 0, INF = 0, RES = 0 },
    { ["ED.IND.1"] = 1.8981, ["ED.IND.2"] = 2.1508 }))
  check.is_nil(r.overall.score)
  check.equal(r.overall.note, "data-quality flag, not ranked: published Overall Score 0.0000 "
    .. "with 2 indicator scores above 0; published Economic Dynamism 0.0000 is below the sum of "
    .. "its 2 indicator scores, 4.0489")
  check.is_nil(r.pillars.ED.score)
  -- reports count a pillar's action areas with data: ED.IND, 1 of 1; the action area's 2 of 2
  check.equal(r.pillars.ED.n_scored, 1)
  check.equal(r.pillars.ED.n_total, 1)
  check.equal(r.action_areas["ED.IND"].n_scored, 2)
  check.equal(r.pillars.RES.n_total, 0)
  check.equal(r.pillars.GE.score, 0)
  check.equal(r.pillars.RES.score, 0)
  check.is_nil(r.pillars.INN.score)
  check.equal(r.pillars.INN.note, "not in the index before 2022")
  check.equal(r.indicators["ED.IND.1"].value, 1.8981)
  check.is_nil(r.indicators["ED.IND.1"].score)
end

function T.pillars_enter_in_their_year()
  -- Candon 2016: three pillars, 9.8313 + 14.0667 + 8.3949 = 32.2929 as published; Resiliency
  -- and Innovation are not in the index yet
  local r = scoring.area(input(2016, { OVERALL = 32.2929, ED = 9.8313, GE = 14.0667, INF = 8.3949 },
    {}))
  check.near(r.overall.score, 32.2929, 1e-9)
  check.equal(r.overall.n_total, 3)
  check.equal(r.pillars.RES.note, "not in the index before 2017")
  -- Candon 2022: five pillars, 4.2960 + 9.0976 + 4.0052 + 12.9856 + 5.9799 = 36.3643
  r = scoring.area(input(2022, { OVERALL = 36.3643, ED = 4.2960, GE = 9.0976, INF = 4.0052,
    RES = 12.9856, INN = 5.9799 }, {}))
  check.near(r.overall.score, 36.3643, 1e-9)
  check.equal(r.overall.n_total, 5)
  -- 2022 without Innovation: the index is incomplete, not a lower score
  r = scoring.area(input(2022, { OVERALL = 30.3844, ED = 4.2960, GE = 9.0976, INF = 4.0052,
    RES = 12.9856 }, {}))
  check.is_nil(r.overall.score)
  check.equal(r.overall.note, "not computed: no published Innovation")
  check.equal(r.pillars.INN.note, "not published for 2022")
end

function T.a_pillar_published_before_it_enters_is_flagged()
  -- Innovation in 2020, two years before the index has it: 5 + 10 + 5 + 15 = 35 without it
  local r = scoring.area(input(2020, { OVERALL = 35, ED = 5, GE = 10, INF = 5, RES = 15, INN = 3 },
    {}))
  check.is_nil(r.overall.score)
  check.equal(r.overall.note, "data-quality flag, not ranked: Innovation published for 2020, "
    .. "before it enters the index in 2022")
end

return T
