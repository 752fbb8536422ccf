-- The scoring entry point: latest value, contextual and not-applicable indicators, no data.
local check = require("helpers.check")
local scoring = require("scoring")

local series = {
  { period = "2023", year = 2023, value = 0.12 },
  { period = "2024", year = 2024, value = 0.3 },
  { period = "2025", year = 2025, value = 0.1 },
}
local ind = { id = "PS.DRR.1", direction = "lower", worst = 5, best = 0, series = series }

local T = {}

function T.latest_value_is_scored()
  local r = scoring.indicator(ind, 2025)
  check.equal(r.value, 0.1)
  check.equal(r.period, "2025")
  check.near(r.score, 98)
end

function T.no_data()
  local r = scoring.indicator({ id = "PS.DRR.1", direction = "lower", worst = 5, best = 0, series = {} },
    2025)
  check.is_nil(r.score)
  check.equal(r.note, "no data up to 2025")
end

function T.no_data_names_the_data_element()
  -- a derived indicator without its data elements: the note names the missing element as the
  -- framework does and the indicator that needs it; the code when the element has no name
  local derived = { id = "PS.SRL.2", direction = "higher", worst = 0, best = 100, series = {},
    formula = { numerator = "DE.SVY.FEEL_SAFE", numerator_name = "Residents who feel safe",
                denominator = "DE.SVY.RESPONDENTS", denominator_name = "Survey respondents",
                factor = 100 } }
  local r = scoring.indicator(derived, 2025)
  check.is_nil(r.score)
  check.equal(r.note, "no data for “Residents who feel safe”, needed by PS.SRL.2")
  -- the numerator is there, the denominator is not
  r = scoring.indicator(derived, 2025, { ["DE.SVY.FEEL_SAFE"] = series })
  check.equal(r.note, "no data for “Survey respondents”, needed by PS.SRL.2")
  derived.formula = { numerator = "DE.X", factor = 1 }
  r = scoring.indicator(derived, 2025)
  check.equal(r.note, "no data for “DE.X”, needed by PS.SRL.2")
end

function T.contextual_is_not_scored()
  local r = scoring.indicator({ id = "PS.CBS.2", direction = "contextual", series = series }, 2025)
  check.is_nil(r.score)
  check.equal(r.value, 0.1)
  check.equal(r.note, "contextual: reported, not scored")
end

function T.not_applicable()
  local r = scoring.indicator({ id = "EC.GBE.5", direction = "higher", worst = 0, best = 40,
    not_applicable = "no coastline", series = series }, 2025)
  check.is_nil(r.score)
  check.equal(r.note, "not applicable: no coastline")
end

function T.whole_area()
  -- a whole area: two indicators in one action area, one pillar
  local out = scoring.area({
    year = 2025,
    framework = { pillars = { { id = "PS", action_areas = {
      { id = "PS.DRR", indicators = { "PS.DRR.1", "PS.DRR.5" } } } } } },
    indicators = {
      ["PS.DRR.1"] = ind,
      ["PS.DRR.5"] = { id = "PS.DRR.5", direction = "higher", worst = 0, best = 100,
                       series = { { period = "2025", year = 2025, value = 90 } } },
    },
  })
  check.near(out.indicators["PS.DRR.5"].score, 90)
  check.near(out.action_areas["PS.DRR"].score, 94)
  check.near(out.pillars.PS.score, 94)
  check.near(out.overall.score, 94)
end

function T.starter_data_provisional_collect_first_no_data_yet()
  -- PS.DRR has 1 of its 2 core indicators (2 needed): withheld, provisional 98 (PS.DRR.1:
  -- 100 × (5 − 0.1)/5); EC.JOB.1 has no data. No official pillar or overall score; provisional
  -- PS 98, EC none, overall 98 (PS alone); 1 of 3 core indicators scored
  local function core(t)
    t.core = true
    return t
  end
  local out = scoring.area({
    year = 2025,
    framework = { pillars = {
      { id = "PS", action_areas = { { id = "PS.DRR", indicators = { "PS.DRR.1", "PS.DRR.5" } } } },
      { id = "EC", action_areas = { { id = "EC.JOB", indicators = { "EC.JOB.1" } } } } } },
    indicators = {
      ["PS.DRR.1"] = core({ id = "PS.DRR.1", direction = "lower", worst = 5, best = 0,
                            series = series }),
      ["PS.DRR.5"] = core({ id = "PS.DRR.5", direction = "higher", worst = 0, best = 100,
                            data_source = "DRRM office; household survey", series = {} }),
      ["EC.JOB.1"] = core({ id = "EC.JOB.1", direction = "lower", worst = 12, best = 2,
                            data_source = "NSO Labour Force Survey", series = {} }),
    },
  })
  check.is_nil(out.action_areas["PS.DRR"].score)
  check.near(out.action_areas["PS.DRR"].provisional, 98)
  check.is_nil(out.pillars.PS.score)
  check.near(out.pillars.PS.provisional, 98)
  check.is_nil(out.pillars.EC.provisional)
  check.is_nil(out.overall.score)
  check.near(out.overall.provisional, 98)
  check.equal(out.overall.n_core_scored, 1)
  check.equal(out.overall.n_core_total, 3)
  -- collect first: PS.DRR.5 (administrative) then EC.JOB.1 (survey); with PS.DRR.5 alone 1 of 3
  -- core is still missing (33% > 20%), with both none is
  check.equal(#out.collect_first, 2)
  check.equal(out.collect_first[1].id, "PS.DRR.5")
  check.equal(out.collect_first[1].source, "administrative records")
  check.equal(out.collect_first[2].id, "EC.JOB.1")
  check.equal(out.collect_first[2].source, "surveys and censuses")
  -- EC.JOB has no data at all: listed after PS.DRR, not ranked
  check.equal(out.priorities[1].id, "PS.DRR")
  check.equal(out.priorities[1].rank, 1)
  check.equal(out.priorities[2].id, "EC.JOB")
  check.equal(out.priorities[2].no_data, true)
  check.is_nil(out.priorities[2].priority)
end

local function pts(list)
  local out = {}
  for i = 1, #list, 2 do
    out[#out + 1] = { period = tostring(list[i]), year = list[i], value = list[i + 1] }
  end
  return out
end

function T.progress_note_base_year_fallback()
  -- no 2015 value: ESCAP API (the default) takes 2019 as the base and the report says so.
  -- 2019 10, 2025 20, target 30: the two-point weighted fit passes through both points, slope 10/6,
  -- X̂_2030 = 20 + 5 × 10/6 = 28.333; AP = (28.333 − 10)/(30 − 10) = 0.9167, gap 0.083 -> accelerate
  local r = scoring.indicator({ id = "EC.JOB.2", direction = "higher", worst = 0, best = 100,
    series = pts { 2019, 10, 2025, 20 }, targets = { [2030] = { kind = "abs", value = 30 } } }, 2025)
  check.equal(r.class, "accelerate")
  check.equal(r.note, "no value for 2015; base year 2019 used")
  -- after the smoothing note: 2 values 2024-2025 (15, 20), mean 17.5
  r = scoring.indicator({ id = "EC.JOB.2", direction = "higher", worst = 0, best = 100,
    smoothing_years = 2, series = pts { 2019, 10, 2024, 15, 2025, 20 },
    targets = { [2030] = { kind = "abs", value = 30 } } }, 2025)
  check.near(r.value, 17.5)
  check.equal(r.note, "mean of 2 values 2024-2025; no value for 2015; base year 2019 used")
end

function T.progress_note_zero_replaced()
  -- no target: Open SDG; base 0 -> 0.001, CAGR = (0.004/0.001)^(1/5) − 1 = 0.3195 ≥ 1.5 %: on track
  local r = scoring.indicator({ id = "EC.GBE.2", direction = "higher", worst = 0, best = 100,
    series = pts { 2015, 0, 2020, 0.004 } }, 2020)
  check.equal(r.class, "on_track")
  check.equal(r.note, "base value 0 replaced by 0.001")
end

function T.progress_note_no_change_from_zero()
  -- 0 every year, lower is better, no target: not "on_track" from a −100 % rate; no change,
  -- growth 0 -> limited progress
  local r = scoring.indicator({ id = "PS.DRR.1", direction = "lower", worst = 5, best = 0,
    series = pts { 2015, 0, 2018, 0, 2021, 0 } }, 2021)
  check.near(r.score, 100)
  check.equal(r.class, "limited_progress")
  check.equal(r.note, "no change from zero")
end

function T.progress_note_unresolvable_baseline()
  -- −50 % vs 2015, but the series starts in 2019: no target, so the method without a target runs
  -- (Open SDG: CAGR = (8/10)^(1/6) − 1 = −0.036526, lower is better: v = 0.036526 ≥ 1.5 %: on track)
  -- and the report says why there is no target
  local r = scoring.indicator({ id = "SC.INC.1", direction = "lower", worst = 20, best = 0,
    series = pts { 2019, 10, 2025, 8 },
    targets = { [2030] = { kind = "rel_pct", value = -50, baseline = "2015" } } }, 2025)
  check.equal(r.class, "on_track")
  check.is_nil(r.target_gap)
  check.equal(r.note, "no 2030 target: no observation in the baseline 2015; "
    .. "no value for 2015; base year 2019 used")
end

function T.sdsn_trend_from_the_base_year()
  -- method sdsn, bounds 0..100 (score = value), target 80 = green; 20 (2010), 40 (2015), 50 (2020):
  -- from 2015, observed (50 − 40)/5 = 2, required (80 − 40)/15 = 2.667, r = 0.75 -> moderately
  -- improving (from 2010 it was 3/3 = 1 -> on track)
  local sdsn = { id = "SC.EDU.2", direction = "higher", worst = 0, best = 100, method = "sdsn",
    series = pts { 2010, 20, 2015, 40, 2020, 50 }, targets = { [2030] = { kind = "abs", value = 80 } } }
  local r = scoring.indicator(sdsn, 2020)
  check.equal(r.class, "moderately_improving")
  check.is_nil(r.note)
  -- a framework base year of 2010 gives the old reading back
  r = scoring.indicator(sdsn, 2020, nil, { progress = "escap_api", imputation = "none",
    carry_forward_years = 3, base_year = 2010, target_year = 2030 })
  check.equal(r.class, "on_track")
end

function T.check_helpers_fail_loudly()
  -- the check helpers themselves fail loudly
  check.fails("expected 2, got 1", check.equal, 1, 2)
  check.fails("within", check.near, 1, 2)
end

return T
